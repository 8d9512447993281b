"""The story database: migrations, settings, transactions, bad files."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from newsweave.errors import InputError
from newsweave.stories import db as dbmod
from newsweave.stories import schema


def test_open_creates_and_migrates(tmp_path):
    path = tmp_path / "s.db"
    with dbmod.open_db(path) as store:
        assert store.version == schema.SCHEMA_VERSION
        assert store.scalar("PRAGMA journal_mode") == "wal"
        tables = {r[0] for r in store.query("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"articles", "embeddings", "stories", "story_articles", "reports"} <= tables
        assert store.integrity() == "ok"
    with dbmod.open_db(path) as store:  # reopening runs no migration twice
        assert store.version == schema.SCHEMA_VERSION


def test_default_path_from_env(tmp_path, monkeypatch):
    monkeypatch.setenv(dbmod.ENV_DB, str(tmp_path / "env.db"))
    assert dbmod.default_path() == tmp_path / "env.db"
    assert dbmod.default_path(tmp_path / "x.db") == tmp_path / "x.db"
    monkeypatch.delenv(dbmod.ENV_DB)
    assert str(dbmod.default_path()) == dbmod.DEFAULT_DB


def test_settings_round_trip_and_rollback(tmp_path):
    with dbmod.open_db(tmp_path / "s.db") as store:
        with store.transaction() as conn:
            store.set_setting(conn, "params", {"threshold": 0.3})
        assert store.setting("params") == {"threshold": 0.3}
        with pytest.raises(RuntimeError), store.transaction() as conn:
            store.set_setting(conn, "params", {"threshold": 0.9})
            raise RuntimeError("boom")
        assert store.setting("params") == {"threshold": 0.3}
        assert store.setting("missing", 7) == 7


def test_not_a_database_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("my precious notes, not a database\n")
    with pytest.raises(InputError, match="notes.db"):
        dbmod.open_db(path)
    assert path.read_text() == "my precious notes, not a database\n"


def test_another_programs_sqlite_database_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "app.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes (body TEXT)")
    con.execute("INSERT INTO notes VALUES ('keep me')")
    con.commit()
    con.close()
    before = path.read_bytes()
    for create in (True, False):
        with pytest.raises(
            InputError, match="app.db: a SQLite database, but not a newsweave.*notes"
        ):
            dbmod.open_db(path, create=create)
    assert path.read_bytes() == before  # no newsweave tables, not switched to WAL
    con = sqlite3.connect(path)
    assert [r[0] for r in con.execute("SELECT name FROM sqlite_master")] == ["notes"]
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    con.close()


def test_damaged_database_is_an_input_error(tmp_path):
    path = tmp_path / "broken.db"
    with dbmod.open_db(path) as store:
        with store.transaction() as conn:
            conn.executemany(
                "INSERT INTO settings(key, value) VALUES (?, ?)",
                [(f"k{i}", '"' + "x" * 500 + '"') for i in range(200)],
            )
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    data[4096 : 4096 * 3] = b"\xff" * (4096 * 2)  # trash the pages after the header
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match="broken.db.*damaged"):
        with dbmod.open_db(path) as store:
            store.query("SELECT count(*) FROM settings")
            store.query("SELECT * FROM articles")


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "new.db"
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 5}")
    con.close()
    with pytest.raises(InputError, match="newer"):
        dbmod.open_db(path)


def test_missing_file_without_create(tmp_path):
    with pytest.raises(InputError, match="no story database"):
        dbmod.open_db(tmp_path / "none.db", create=False)
    assert not (tmp_path / "none.db").exists()
    with pytest.raises(InputError, match="directory"):
        dbmod.open_db(tmp_path)


def test_empty_file_without_create_is_refused_and_left_empty(tmp_path):
    path = tmp_path / "touched.db"
    path.touch()
    with pytest.raises(InputError, match="touched.db: an empty file, not a story database"):
        dbmod.open_db(path, create=False)
    assert path.stat().st_size == 0 and sorted(tmp_path.iterdir()) == [path]
    with dbmod.open_db(path) as store:  # ingest may make it one
        assert store.query("PRAGMA user_version")[0][0] == schema.SCHEMA_VERSION


def test_an_empty_sqlite_file_is_not_made_a_story_database_by_a_reader(tmp_path):
    """'newsweave stories' on a SQLite file holding no table (made by
    another tool) created every story table in it and listed nothing."""
    path = tmp_path / "blank.db"
    con = sqlite3.connect(path)
    con.execute("VACUUM")  # a valid SQLite file of one page, no table
    con.close()
    before = path.read_bytes()
    assert before.startswith(b"SQLite format 3")
    with pytest.raises(InputError, match="blank.db: an empty SQLite database, not a story"):
        dbmod.open_db(path, create=False)
    assert path.read_bytes() == before and sorted(tmp_path.iterdir()) == [path]
    with dbmod.open_db(path) as store:  # ingest may make it one
        assert store.version == schema.SCHEMA_VERSION


def _version_1(path):
    """A database as the first schema made it (migration 1 only)."""
    con = sqlite3.connect(path)
    for statement in schema.MIGRATIONS[0].split(";"):
        if statement.strip():
            con.execute(statement)
    con.execute("PRAGMA user_version = 1")
    con.execute("INSERT INTO settings(key, value) VALUES ('embedder', '\"tfidf\"')")
    con.execute(
        "INSERT INTO articles(id, content_hash, text, added_at) VALUES ('a', 'h', 'text', 0)"
    )
    con.commit()
    con.close()


def test_version_1_database_is_upgraded_in_place(tmp_path):
    path = tmp_path / "old.db"
    _version_1(path)
    with dbmod.open_db(path) as store:
        assert store.version == schema.SCHEMA_VERSION == 3
        # nothing of the old content is lost
        assert store.setting("embedder") == "tfidf"
        assert store.scalar("SELECT id FROM articles") == "a"
        assert store.integrity() == "ok"
        # the new table is there and works
        assert store.idf_counts("bucket-idf", "live") is None
        with store.transaction() as conn:
            store.set_idf_counts(conn, "bucket-idf", "live", 3, b"\x01" * 16)
        assert store.idf_counts("bucket-idf", "live") == (3, b"\x01" * 16)
        with store.transaction() as conn:  # an update replaces the row
            store.set_idf_counts(conn, "bucket-idf", "live", 4, b"\x02" * 16)
        assert store.idf_counts("bucket-idf", "live") == (4, b"\x02" * 16)
        assert store.idf_counts("bucket-idf", "weights") is None
        # migration 3: the feed validators table
        assert store.feed_validators() == {}
        with store.transaction() as conn:
            store.set_feed_validators(conn, "http://x/feed", '"v1"', None)
        assert store.feed_validators() == {"http://x/feed": ('"v1"', None)}


def test_failed_migration_leaves_the_old_version(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    _version_1(path)
    good = schema.SCHEMA_VERSION
    monkeypatch.setattr(dbmod, "MIGRATIONS", [*schema.MIGRATIONS, "CREATE TABLE idf (x)"])
    monkeypatch.setattr(dbmod, "SCHEMA_VERSION", len(dbmod.MIGRATIONS))
    with pytest.raises(InputError, match="already exists"):
        dbmod.open_db(path)
    con = sqlite3.connect(path)  # migrations 2-3 committed, the broken last one rolled back
    assert con.execute("PRAGMA user_version").fetchone()[0] == good
    con.close()


def test_migrations_another_process_applied_meanwhile_are_skipped(tmp_path):
    """Two commands creating one new database at once both read version 0;
    the second to migrate finds the tables made and skips those steps."""
    path = tmp_path / "s.db"
    first = dbmod.open_db(path)
    with dbmod.open_db(path) as second:
        dbmod._migrate(second, 0)  # as if it had read version 0 before `first` migrated
        assert second.version == schema.SCHEMA_VERSION
        assert second.scalar("SELECT count(*) FROM articles") == 0
    first.close()


def _set(path, key: str, value) -> None:
    conn = sqlite3.connect(path)
    conn.execute("UPDATE settings SET value = ? WHERE key = ?", (json.dumps(value), key))
    conn.commit()
    conn.close()


def _ingested(dump, lines, path):
    """``lines`` written to the dump ``dump`` and ingested into a new database at ``path``."""
    from newsweave.stories import service

    dump.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    with dbmod.open_db(path) as store:
        service.ingest(store, [str(dump)], embedder="tfidf", workers=1)
    return path


def test_an_embedder_this_version_does_not_know_is_named_with_the_database(tmp_path, capsys):
    """A database clustering with a representation this newsweave does not
    know (written by another version) was refused with "unknown embedder
    'e5-large'; the story commands take: ...", as if the user had mistyped an
    option they never gave. The message names the file and the way out; the
    file is left as it was, readers still work, and recluster --embedder
    switches it."""
    from newsweave.cli import main
    from newsweave.stories.synth import synthetic_articles

    dump = tmp_path / "d.jsonl"
    lines = [
        {"id": f"c{i}", "documents": [a.to_doc()]}
        for i, a in enumerate(synthetic_articles(2, 3, seed=3))
    ]
    path = _ingested(dump, lines, tmp_path / "s.db")
    _set(path, "embedder", "e5-large")
    before = path.read_bytes()
    capsys.readouterr()
    for args in (["recluster"], ["ingest", str(dump)], ["recluster", "--threshold", "0.3"]):
        assert main([*args, "--db", str(path)]) == 2
        err = capsys.readouterr().err
        assert f"{path}: this database clusters with the 'e5-large' embedder, which" in err
        assert "recluster --embedder" in err and "the story commands take" not in err
    assert path.read_bytes() == before
    assert main(["stories", "--db", str(path), "-f", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) >= 2
    assert main(["recluster", "--db", str(path), "--embedder", "tfidf"]) == 0
    with dbmod.open_db(path, create=False) as store:
        assert store.setting("embedder") == "tfidf"


def test_clustering_parameters_this_version_does_not_know_are_named(tmp_path, capsys):
    """Parameters a newer newsweave stored (``params`` with a key this one
    lacks) made ingest, recluster and batch fail with "internal error:
    TypeError: ClusterParams.__init__() got an unexpected keyword argument"
    (exit 70). They are now an input error naming the file and the key, and
    the file is left as it was."""
    from newsweave.cli import main
    from newsweave.stories.synth import synthetic_articles

    dump = tmp_path / "d.jsonl"
    lines = [{"id": f"c{i}", **a.to_doc()} for i, a in enumerate(synthetic_articles(2, 2))]
    path = _ingested(dump, lines, tmp_path / "s.db")
    with dbmod.open_db(path) as store:
        params = store.setting("params")
    _set(path, "params", {**params, "stitch": 0.3})
    before = path.read_bytes()
    capsys.readouterr()
    for args in (["recluster"], ["ingest", str(dump)], ["recluster", "--window", "3"]):
        assert main([*args, "--db", str(path)]) == 2
        err = capsys.readouterr().err
        assert f"{path}: this database's clustering parameters include 'stitch'," in err
        assert "internal error" not in err
    assert path.read_bytes() == before
    assert main(["stories", "--db", str(path)]) == 0  # readers do not need them


def _read_only_mount(monkeypatch, folder):
    """Simulate a read-only mount of ``folder`` (statvfs's ST_RDONLY flag):
    the tests run as root and may not mount; everything else, the read-only
    SQLite connection included, is real."""
    from newsweave.stories import readonly

    real = readonly.read_only_fs
    monkeypatch.setattr(readonly, "read_only_fs", lambda f: f == folder or real(f))


def test_a_read_only_database_is_read_but_never_written(tmp_path, monkeypatch, capsys):
    """A read-only story database (file, mount or folder) gave raw SQLite
    errors ("unable to open database file", "attempt to write a readonly
    database", exit 2) to every command. Readers now open it read-only;
    writers say which file and why, with exit code 73."""
    from newsweave.cli import main
    from newsweave.errors import OutputError
    from newsweave.stories import service
    from newsweave.stories.synth import synthetic_articles

    dump = tmp_path / "d.jsonl"
    docs = [a.to_doc() for a in synthetic_articles(2, 3, seed=3)]
    dump.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    path = tmp_path / "s.db"
    assert main(["ingest", str(dump), "--db", str(path), "--embedder", "tfidf"]) == 0
    assert not (tmp_path / "s.db-wal").exists() and not (tmp_path / "s.db-shm").exists()
    before = path.read_bytes()
    capsys.readouterr()
    _read_only_mount(monkeypatch, tmp_path)
    with dbmod.open_db(path, create=False) as store:
        assert store.read_only and store.scalar("SELECT count(*) FROM articles") == 6
        with pytest.raises(OutputError, match="read-only file system"):
            with store.transaction():
                pass
        with pytest.raises(OutputError, match="read-only"):  # the connection itself is ro
            store.query("DELETE FROM articles")
    assert main(["stories", "--db", str(path), "-f", "json"]) == 0
    assert sum(r["size"] for r in json.loads(capsys.readouterr().out)) == 6
    sid = service.list_stories(dbmod.open_db(path, create=False))[0]["id"]
    args = ["story", str(sid), "--db", str(path), "--embedder", "tfidf", "-f", "json"]
    assert main([*args, "--no-analyze"]) == 0  # served, not cached
    assert json.loads(capsys.readouterr().out)["summary"]
    for cmd in (["recluster"], ["ingest", str(dump)]):
        assert main([*cmd, "--db", str(path)]) == 73
        err = capsys.readouterr().err
        assert str(path) in err and "read-only file system" in err and "Traceback" not in err
    # nothing written: no report cached, no -wal/-shm made, the file unchanged
    assert path.read_bytes() == before
    assert not (tmp_path / "s.db-wal").exists() and not (tmp_path / "s.db-shm").exists()
    new = tmp_path / "new.db"
    assert main(["ingest", str(dump), "--db", str(new)]) == 73
    assert "new.db: cannot write the story database" in capsys.readouterr().err


def test_unwritable_names_the_reason(tmp_path, monkeypatch):
    from newsweave.errors import OutputError
    from newsweave.stories import readonly

    path = tmp_path / "s.db"
    assert dbmod.unwritable(path) is None
    dbmod.open_db(path).close()
    os_access = readonly.os.access
    # a folder SQLite cannot write to, on a writable file system: a writer could
    # change the file while it is read, so it is not read as immutable
    monkeypatch.setattr(readonly.os, "access", lambda p, m: str(p) != str(tmp_path))
    with pytest.raises(OutputError, match="needs its -shm file"):
        dbmod.open_db(path, create=False)
    # a read-only file in a writable folder: read with mode=ro (SQLite makes its -shm)
    monkeypatch.setattr(readonly.os, "access", lambda p, m: str(p) != str(path))
    with dbmod.open_db(path, create=False) as store:
        assert store.read_only and store.scalar("SELECT count(*) FROM stories") == 0
    monkeypatch.setattr(readonly.os, "access", os_access)
    for x in ("-wal", "-shm"):
        Path(f"{path}{x}").unlink(missing_ok=True)
    path.unlink()
    monkeypatch.setattr(dbmod.os, "access", lambda p, mode: str(p) != str(tmp_path))
    assert "folder" in dbmod.unwritable(path) and "-wal" in dbmod.unwritable(path)
    for x in ("-wal", "-shm"):
        (tmp_path / f"s.db{x}").write_bytes(b"")
    assert dbmod.unwritable(path) is None  # SQLite needs to make nothing there
    path.write_bytes(b"")
    monkeypatch.setattr(dbmod.os, "access", lambda p, mode: str(p) != str(path))
    assert "file is read-only" in dbmod.unwritable(path)


def test_a_full_database_is_named_not_hidden_behind_the_rollback(tmp_path):
    """SQLITE_FULL rolls the transaction back itself; the ROLLBACK that
    followed failed and its 'cannot rollback - no transaction is active'
    replaced the real reason. Simulated with PRAGMA max_page_count."""
    from newsweave.errors import OutputError

    with dbmod.open_db(tmp_path / "s.db") as store:
        pages = store.scalar("PRAGMA page_count")
        store.conn.execute(f"PRAGMA max_page_count = {pages + 2}")
        with pytest.raises(OutputError, match="database or disk is full") as err:
            with store.transaction() as conn:
                for i in range(2000):
                    dbmod.Store.set_setting(store, conn, f"k{i}", "x" * 500)
        assert "run the same command again" in str(err.value)
        assert not store.conn.in_transaction and store.setting("k1") is None
        assert store.integrity() == "ok"


def test_a_device_or_a_pipe_is_no_story_database(tmp_path, capsys):
    """'--db /dev/null' or a named pipe: readers called it "an empty file",
    and ingest failed with SQLite's "disk I/O error" (now reported as a full
    disk). Any file that is not a regular one is refused up front, exit 2."""
    import os

    from newsweave.cli import main

    pipe = tmp_path / "fifo"
    os.mkfifo(pipe)
    seeds = tmp_path / "a.txt"
    seeds.write_text("A lone article about the harbor bridge flood. " * 5, encoding="utf-8")
    targets = [pipe, *([Path("/dev/null")] if Path("/dev/null").exists() else [])]
    for target in targets:
        for create in (True, False):
            with pytest.raises(InputError, match="not a regular file"):
                dbmod.open_db(target, create=create)
        assert main(["ingest", str(seeds), "--db", str(target)]) == 2
        assert "not a regular file" in capsys.readouterr().err
        assert main(["stories", "--db", str(target)]) == 2
        assert "not a regular file" in capsys.readouterr().err
    assert pipe.exists() and not pipe.is_file()  # left as it was
