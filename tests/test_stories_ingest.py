"""Ingest into the story database: dedup, ids, dates, resumption, bad input."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from newsweave.errors import InputError
from newsweave.stories import service
from newsweave.stories.quality import score
from newsweave.stories.synth import synthetic_articles

FEEDS = Path(__file__).parent / "fixtures" / "feeds"


def write_dump(path: Path, docs: list[dict], *, bad_line: bool = False) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i, d in enumerate(docs):
            fh.write(json.dumps({"id": f"line{i}", "documents": [d]}) + "\n")
            if bad_line and i == 2:
                fh.write("{not json\n")
    return path


@pytest.fixture
def corpus():
    arts = synthetic_articles(4, 4, seed=11)
    docs = [a.to_doc() for a in arts]
    gold = {f"line{i}/{a.id}": a.story for i, a in enumerate(arts)}
    return docs, gold


def _rows(db):
    return db.query(
        "SELECT a.id, a.duplicate_of, a.ts, sa.story FROM articles a "
        "JOIN story_articles sa ON sa.article = a.seq ORDER BY a.seq"
    )


def test_ingest_dump_groups_stories_and_is_resumable(tmp_path, corpus):
    docs, gold = corpus
    dump = write_dump(tmp_path / "dump.jsonl", docs, bad_line=True)
    warnings: list[str] = []
    with service.open_db(tmp_path / "s.db") as db:
        st = service.ingest(db, [str(dump)], on_warning=warnings.append)
        assert (st.read, st.stored, st.already_stored) == (16, 16, 0)
        assert any("dump.jsonl:4" in w for w in warnings)  # the bad line, by its real number
        rows = _rows(db)
        assert len(rows) == 16
        stories = {}
        for r in rows:
            stories.setdefault(gold[r["id"]], set()).add(r["story"])
        assert all(len(s) == 1 for s in stories.values())  # each story in one piece
        assert len({next(iter(s)) for s in stories.values()}) == 4  # and apart
        listed = service.list_stories(db)
        assert sorted(s["size"] for s in listed) == [4, 4, 4, 4]
        assert all(s["first_date"] and s["outlets"] for s in listed)
        # same file again: skipped as a whole
        again = service.ingest(db, [str(dump)])
        assert (again.files_skipped, again.stored) == (1, 0)
        # changed file (mtime): read again, every article already stored
        os.utime(dump, (1, 1))
        again = service.ingest(db, [str(dump)])
        assert (again.read, again.stored, again.already_stored) == (16, 0, 16)
        assert len(_rows(db)) == 16


def test_duplicates_near_duplicates_ids_and_dates(tmp_path, corpus):
    docs, _ = corpus
    base = docs[0]
    extra = [
        dict(base, id="exact-copy"),  # same text: stored once
        dict(base, id="wire-copy", text=base["text"] + "\n\n(Reporting by A. Writer.)"),
        dict(docs[1], id=docs[2]["id"], text=docs[1]["text"] + " Updated."),  # id reused
        {"id": "undated", "title": "No date", "text": docs[3]["text"] + " Later edition."},
        {"id": "odd-date", "text": docs[5]["text"] + " More.", "date": "the day after"},
    ]
    extra[3].pop("date", None)
    with service.open_db(tmp_path / "s.db") as db:
        service.ingest(db, [str(write_dump(tmp_path / "a.jsonl", docs))])
        st = service.ingest(db, [str(write_dump(tmp_path / "b.jsonl", extra))])
        assert st.already_stored == 1
        assert st.stored == 4
        assert st.near_duplicates >= 2
        assert st.undated == 2
        assert any("the day after" in w for w in st.warnings)
        rows = {r["id"]: r for r in _rows(db)}
        wire = rows["line1/wire-copy"]
        orig = next(r for r in rows.values() if r["id"].endswith("/" + base["id"]))
        assert wire["story"] == orig["story"]
        assert wire["duplicate_of"] is not None
        assert rows["line3/undated"]["ts"] is None
        # a different article under an id already used by another file: both kept
        assert len(db.query("SELECT id FROM articles")) == 16 + 4


def test_copies_within_one_run_are_counted_as_repeated_not_already_stored(
    tmp_path, corpus, capsys, monkeypatch
):
    from newsweave.stories.messages import report

    docs, _ = corpus
    # articles in two clusters of one dump: lines 16 and 17 in one unit (of 5
    # lines), lines 1 and 18 in two
    again = [dict(docs[15], id="again15"), dict(docs[0], id="again0")]
    dump = write_dump(tmp_path / "d.jsonl", [*docs, *again])
    monkeypatch.setenv("NEWSWEAVE_INGEST_LINES", "5")
    with service.open_db(tmp_path / "s.db") as db:
        st = service.ingest(db, [str(dump)])
        assert (st.read, st.stored, st.already_stored, st.repeated) == (18, 16, 0, 2)
        assert st.to_dict()["repeated"] == 2
        report(db.path, st, False)
        assert "(0 already stored, 2 repeated in this run," in capsys.readouterr().err
        os.utime(dump, (1, 1))  # read again: every article was stored before this run
        again = service.ingest(db, [str(dump)])
        assert (again.stored, again.already_stored, again.repeated) == (0, 18, 0)
        report(db.path, again, False)
        assert "repeated" not in capsys.readouterr().err


def test_same_id_different_content_is_renamed_not_lost(tmp_path, corpus):
    docs, _ = corpus
    with service.open_db(tmp_path / "s.db") as db:
        service.ingest(db, [str(write_dump(tmp_path / "a.jsonl", docs[:3]))])
        changed = [dict(docs[0], text=docs[0]["text"] + " Correction appended.")]
        st = service.ingest(db, [str(write_dump(tmp_path / "a2.jsonl", changed))])
        ids = [r[0] for r in db.query("SELECT id FROM articles ORDER BY seq")]
        # a2.jsonl line 0 has the same id "line0/<doc id>" as a.jsonl line 0
        assert st.renamed == 1 and len(ids) == 4
        assert ids[-1].startswith(ids[0] + "~")
        assert any("already used" in w for w in st.warnings)


def test_feeds_folder_and_time_window(tmp_path):
    with service.open_db(tmp_path / "s.db") as db:
        st = service.ingest(db, [str(FEEDS / "wire.rss"), str(FEEDS / "city.atom")])
        assert st.stored == 5
        rows = {r["id"]: r["story"] for r in _rows(db)}
        bridge_2024 = {
            rows["wire-2024-0304-bridge"],
            rows["wire-2024-0306-bridge"],
            rows["urn:example:city-desk:1"],
        }
        assert len(bridge_2024) == 1
        assert rows["urn:example:city-desk:2"] not in bridge_2024  # 2014: another story
        assert rows["wire-2024-0305-chess"] not in bridge_2024


def test_bad_inputs_are_named_and_nothing_is_lost(tmp_path, corpus):
    docs, _ = corpus
    with service.open_db(tmp_path / "s.db") as db:
        with pytest.raises(InputError, match="missing.jsonl"):
            service.ingest(db, [str(tmp_path / "missing.jsonl")])
        folder = tmp_path / "in"
        folder.mkdir()
        (folder / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
        (folder / "story.txt").write_text(docs[0]["text"], encoding="utf-8")
        st = service.ingest(db, [str(folder)])
        assert st.stored == 1 and any("photo.txt" in w for w in st.warnings)
        with pytest.raises(InputError, match="broken.rss"):
            service.ingest(db, [str(FEEDS / "bad")])
        assert db.scalar("SELECT count(*) FROM articles") == 1


def test_pipes_broken_links_and_linked_folders_in_an_inbox(tmp_path, corpus):
    docs, _ = corpus
    inbox, kept = tmp_path / "inbox", tmp_path / "kept"
    inbox.mkdir()
    kept.mkdir()
    (inbox / "a.txt").write_text(docs[0]["text"], encoding="utf-8")
    (kept / "b.txt").write_text(docs[5]["text"], encoding="utf-8")
    os.symlink(kept, inbox / "kept")  # followed
    os.symlink(inbox, kept / "loop")  # read once
    os.symlink(tmp_path / "gone.txt", inbox / "dangling.txt")
    os.mkfifo(inbox / "pipe")  # nobody writes to it: reading it would wait forever
    with service.open_db(tmp_path / "s.db") as db:
        st = service.ingest(db, [str(inbox)], workers=1)
        assert st.stored == 2
        warned = "\n".join(st.warnings)
        assert f"skipped {inbox / 'pipe'}: not a regular file" in warned
        assert f"skipped {inbox / 'dangling.txt'}: a broken link" in warned
        with pytest.raises(InputError, match="not a regular file"):  # a pipe named alone
            service.ingest(db, [str(inbox / "pipe")], workers=1)
        again = service.ingest(db, [str(inbox)], workers=1)  # the two files are done
        assert again.stored == 0 and again.files_skipped == 2


def test_stdin_is_refused_with_a_message_saying_so(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with service.open_db(tmp_path / "s.db") as db:
        with pytest.raises(InputError, match="do not read standard input") as exc:
            service.ingest(db, ["-"])
        assert "no such file" not in str(exc.value)
        assert db.scalar("SELECT count(*) FROM articles") == 0


def test_file_names_that_are_not_utf8_are_stored_escaped(tmp_path, corpus):
    """A Latin-1 file name (os.fsdecode gives lone surrogates, which SQLite
    cannot store) was an internal error; it is stored as \\xNN text, the same
    on every run, so the file is skipped once ingested."""
    docs, _ = corpus
    folder = tmp_path / "in"
    folder.mkdir()
    raw = os.fsencode(folder) + b"/caf\xe9.txt"
    with open(raw, "wb") as fh:
        fh.write(docs[0]["text"].encode("utf-8"))
    with open(os.fsencode(folder) + b"/bin\xe9.txt", "wb") as fh:
        fh.write(bytes(range(256)) * 4)
    with service.open_db(tmp_path / "s.db") as db:
        st = service.ingest(db, [str(folder)], workers=1)
        assert (st.read, st.stored) == (1, 1)
        assert any("bin\\xe9.txt: looks like a binary" in w for w in st.warnings)
        assert db.scalar("SELECT id FROM articles") == f"{folder}/caf\\xe9.txt"
        again = service.ingest(db, [str(folder)], workers=1)
        assert (again.files_skipped, again.read) == (1, 0)  # the binary file is tried again


def test_a_database_inside_an_ingested_folder_is_not_read_as_input(tmp_path, corpus):
    """``ingest inbox/ --db inbox/news.db`` read its own database, journal,
    lock and index cache as articles: four or more 'skipped' warnings every run."""
    docs, _ = corpus
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for i, d in enumerate(docs[:3]):
        (inbox / f"{i}.txt").write_text(d["text"], encoding="utf-8")
    for extra in (".ann", ".ann.json", "-journal"):  # as a cache or a crash leaves them
        (inbox / f"news.db{extra}").write_text("{}", encoding="utf-8")
    with service.open_db(inbox / "news.db") as db:
        first = service.ingest(db, [str(inbox)], workers=1)
        (inbox / "3.txt").write_text(docs[3]["text"], encoding="utf-8")
        again = service.ingest(db, [str(inbox)], workers=1)
    assert (first.read, first.warnings) == (3, [])
    assert (again.read, again.files_skipped, again.warnings) == (1, 3, [])
    with service.open_db(tmp_path / "other.db") as db:  # named, it is read (and refused)
        with pytest.raises(InputError, match="news.db: nothing to ingest"):
            service.ingest(db, [str(inbox / "news.db")], workers=1)


def test_a_meta_json_side_car_is_applied_not_skipped(tmp_path):
    """The bundled sample's ``meta.json`` gave its titles and outlets to the
    stored articles, yet every run warned 'skipped .../meta.json: no articles
    found' as if it had been refused."""
    sample = Path(__file__).parents[1] / "newsweave" / "data" / "sample"
    with service.open_db(tmp_path / "news.db") as db:
        first = service.ingest(db, [str(sample)], workers=1)
        again = service.ingest(db, [str(sample)], workers=1)
        outlets = {r[0] for r in db.query("SELECT outlet FROM articles")}
    assert (first.read, first.files_skipped, first.warnings) == (2, 0, [])
    assert (again.read, again.files_skipped, again.warnings) == (0, 3, [])
    assert "Reuters" in outlets  # from the side-car
    lone = tmp_path / "lone"
    lone.mkdir()
    (lone / "meta.json").write_bytes((sample / "meta.json").read_bytes())
    with service.open_db(tmp_path / "other.db") as db:  # no articles: still refused
        with pytest.raises(InputError, match="nothing to ingest"):
            service.ingest(db, [str(lone)], workers=1)


def test_malformed_dump_lines_are_skipped_never_stored_as_text(tmp_path, corpus, monkeypatch):
    """A .jsonl is JSON lines whatever a unit of it looks like: a malformed
    line is skipped with a warning naming it, even when it is a unit's only
    line or most of its lines (it was once sniffed as a plain-text article)."""
    from newsweave.stories import sources

    docs, _ = corpus
    only = tmp_path / "only.jsonl"
    only.write_text('{"id": broken\n', encoding="utf-8")
    good = json.dumps({"id": "c1", "documents": [docs[0]]})
    mostly = tmp_path / "mostly.jsonl"
    mostly.write_text(f'{{"id": broken\n{good}\n[1, 2\n', encoding="utf-8")
    monkeypatch.setenv(sources.ENV_LINES, "1")  # one line per unit
    with service.open_db(tmp_path / "s.db") as db:
        with pytest.raises(InputError, match=r"only.jsonl:1: not valid JSON"):
            service.ingest(db, [str(only)], workers=1)
        monkeypatch.setenv(sources.ENV_LINES, "3")  # the three lines in one unit
        st = service.ingest(db, [str(mostly)], workers=1)
        assert st.stored == 1
        bad = [w for w in st.warnings if "not valid JSON" in w]
        assert [w.split(": not valid JSON")[0] for w in bad] == [
            f"skipped {mostly}:1",
            f"skipped {mostly}:3",
        ]
        texts = [r[0] for r in db.query("SELECT text FROM articles")]
        assert texts == [docs[0]["text"]]


def test_a_binary_dump_is_skipped_naming_its_lines(tmp_path):
    """A dump unit refused whole (here: NUL bytes) was named by a line range
    that missed the last line when it had no newline: a one-line file without
    one was "dump.jsonl:1-0", three lines "1-2"."""
    cases = {
        "one.jsonl": (b"\x00\x01binary", "1"),
        "two.jsonl": (b"\x00\n\x00\n", "1-2"),
        "three.jsonl": (b'{"id": "a"}\n\x00\x01\n{"id": "b"}', "1-3"),
    }
    from newsweave.stories.sources import FileMark, plan, read_unit

    for name, (data, lines) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        (unit,) = [u for u in plan([str(path)], {}) if not isinstance(u, FileMark)]
        got = read_unit(unit)
        assert got.articles == []
        assert [w.split(": looks like a binary")[0] for w in got.warnings] == [
            f"skipped {path}:{lines}"
        ]
    with service.open_db(tmp_path / "s.db") as db, pytest.raises(InputError, match="nothing"):
        service.ingest(db, [str(tmp_path / "one.jsonl")], workers=1, embedder="tfidf")


def test_a_dump_refused_when_read_is_read_again_by_the_next_run(tmp_path, corpus, monkeypatch):
    """A .jsonl whose lines could not be used at all (NUL bytes) was recorded
    as done, unlike a binary article file: the next run said "skipped 1 file
    already ingested" and never read it again. Neither is a dump one of whose
    chunks was refused, though the file's done mark is on its last chunk."""
    from newsweave.stories import sources

    docs, _ = corpus
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(docs[0]["text"], encoding="utf-8")
    (folder / "bin.jsonl").write_bytes(b"\x00\x01binary")
    good = json.dumps({"id": "c1", "documents": [docs[1]]})
    (folder / "part.jsonl").write_bytes(b"\x00\x01\n" + good.encode() + b"\n")
    monkeypatch.setenv(sources.ENV_LINES, "1")  # the binary line is a unit of its own
    with service.open_db(tmp_path / "s.db") as db:
        for run in (1, 2):
            st = service.ingest(db, [str(folder)], workers=1, embedder="tfidf")
            binary = sorted(w.split(": ")[0] for w in st.warnings if "binary" in w)
            assert binary == [f"skipped {folder}/bin.jsonl:1", f"skipped {folder}/part.jsonl:1"]
            assert st.files_skipped == (run == 2)  # a.txt, once stored
            assert st.read == (2 if run == 1 else 1)  # part.jsonl's good line, read again
        assert db.scalar("SELECT count(*) FROM articles") == 2
        assert [r[0] for r in db.query("SELECT path FROM sources")] == [str(folder / "a.txt")]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_a_utf16_dump_is_read_whole_in_chunks_of_lines(tmp_path, corpus, monkeypatch, encoding):
    """Only the first chunk of a UTF-16 dump starts with the byte-order mark
    and its b"\\n" bytes are not line ends: every chunk after the first was
    skipped as a binary file."""
    from newsweave.stories import sources

    docs, _ = corpus
    lines = [json.dumps({"id": f"l{i}", "documents": [d]}) for i, d in enumerate(docs[:5])]
    lines.insert(2, "{broken")
    text = "\r\n".join(lines) + "\r\n"
    data = text.encode(encoding) if encoding != "utf-16-be" else b"\xfe\xff" + text.encode(encoding)
    (tmp_path / "wide.jsonl").write_bytes(data)
    monkeypatch.setenv(sources.ENV_LINES, "2")
    with service.open_db(tmp_path / "s.db") as db:
        st = service.ingest(db, [str(tmp_path / "wide.jsonl")], workers=1)
        assert (st.read, st.stored) == (5, 5)
        assert [w.split(": ")[0] for w in st.warnings] == [f"skipped {tmp_path}/wide.jsonl:3"]
        assert sorted(r[0] for r in db.query("SELECT id FROM articles"))[0].startswith("l0/")


def test_the_first_line_decides_the_form_of_the_whole_dump(tmp_path, corpus, monkeypatch):
    """A dump is one article per line or one cluster per line, as its first
    line says; each unit of 400 lines used to decide for itself, so a
    cluster line opening a later unit of an article dump made that unit a
    dump of clusters, its article lines skipped as "no 'documents' list"."""
    from newsweave.stories import sources

    docs, _ = corpus
    articles = [json.dumps(dict(d, id=f"a{i}")) for i, d in enumerate(docs[:5])]
    cluster = json.dumps({"id": "c", "documents": [docs[5]]})
    dump = tmp_path / "articles.jsonl"
    dump.write_text("\n".join([*articles[:2], cluster, *articles[2:]]) + "\n", encoding="utf-8")
    clusters = tmp_path / "clusters.jsonl"
    clusters.write_text("\n".join([cluster, articles[0], articles[1]]) + "\n", encoding="utf-8")
    monkeypatch.setenv(sources.ENV_LINES, "2")  # line 3, a cluster, opens the second unit
    with service.open_db(tmp_path / "s.db") as db:
        st = service.ingest(db, [str(dump)], workers=1)
        assert (st.read, st.stored) == (5, 5)
        assert st.warnings == [
            f"skipped {dump}:3: a cluster line in a dump of one article per line"
        ]
        assert db.scalar("SELECT count(*) FROM articles WHERE source_cluster IS NULL") == 5
        st = service.ingest(db, [str(clusters)], workers=1)
        assert st.read == 1
        assert [w.split(": ", 1)[1] for w in st.warnings] == [
            "an article line in a dump of clusters"
        ] * 2


def test_files_over_the_size_limit_are_skipped_and_read_on_a_later_run(tmp_path, corpus):
    """A file over ``max_bytes`` is skipped with a warning naming the limit
    and not marked as done: the next run (with a higher limit) reads it."""
    docs, _ = corpus
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "big.txt").write_text(docs[0]["text"], encoding="utf-8")
    (folder / "small.txt").write_text(docs[1]["text"][:300], encoding="utf-8")
    feed = FEEDS / "wire.rss"
    limit = 400
    assert (folder / "big.txt").stat().st_size > limit and feed.stat().st_size > limit
    with service.open_db(tmp_path / "s.db") as db:
        st = service.ingest(db, [str(folder), str(feed)], workers=1, max_bytes=limit)
        assert st.stored == 1
        over = [w for w in st.warnings if "over the" in w and "--max-bytes" in w]
        assert len(over) == 2 and any("big.txt" in w for w in over)
        assert any(feed.name in w for w in over)
        done = {r[0] for r in db.query("SELECT path FROM sources")}
        assert done == {str(folder / "small.txt")}
        again = service.ingest(db, [str(folder), str(feed)], workers=1)
        assert again.stored > 1 and again.files_skipped == 1  # small.txt: done already
        done = {r[0] for r in db.query("SELECT path FROM sources")}
        assert done == {str(folder / "small.txt"), str(folder / "big.txt"), str(feed)}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_a_dump_line_over_the_size_limit_is_skipped_unread(tmp_path, corpus, encoding):
    """A JSONL line over ``max_bytes`` was read whole and stored whatever the
    limit (a 40 MB line with --max-bytes 10 MB: 1.1 GB of memory; a file
    without line ends was held whole): it is now skipped with a warning
    naming it and the limit, never held whole, the lines after it keep
    their numbers, the file is read again by the next run, and a unit of
    lines stays within the limit."""
    from newsweave.stories import sources

    docs, _ = corpus
    big = dict(docs[0], text=" ".join([docs[0]["text"]] * 20))
    lines = [json.dumps({"id": f"l{i}", "documents": [d]}) for i, d in enumerate(docs[1:5])]
    lines.insert(1, json.dumps({"id": "big", "documents": [big]}))
    lines.insert(3, "{broken")
    dump = tmp_path / "d.jsonl"
    dump.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    limit = 3 * max(len(ln) for i, ln in enumerate(lines) if i != 1)
    assert len(lines[1]) > limit
    units = [u for u in sources.plan([str(dump)], {}, limit) if isinstance(u, sources.Unit)]
    assert all(u.nbytes <= limit and len(u.data) <= limit for u in units)
    assert len(units) >= 2 and units[-1].done == []
    with service.open_db(tmp_path / "s.db") as db:
        st = service.ingest(db, [str(dump)], workers=1, max_bytes=limit)
        assert (st.read, st.stored) == (4, 4)
        assert [w.split(": ")[0] for w in st.warnings] == [
            f"skipped {dump}:2",
            f"skipped {dump}:4",  # the malformed line, by its real number
        ]
        assert "over the" in st.warnings[0] and "--max-bytes" in st.warnings[0]
        assert db.query("SELECT path FROM sources") == []
        again = service.ingest(db, [str(dump)], workers=1)  # the default limit
        assert (again.read, again.stored, again.already_stored) == (5, 1, 4)
        assert db.scalar("SELECT count(*) FROM sources") == 1
        alone = tmp_path / "alone.jsonl"
        alone.write_bytes(b'{"id": "x", "text": "' + b"word " * 1000)  # no line end
        with pytest.raises(
            InputError, match=r"alone.jsonl: nothing to ingest: skipped .*:1: a line"
        ):
            service.ingest(db, [str(alone)], workers=1, max_bytes=1000)


def test_articles_left_alone_get_a_second_chance_at_the_end_of_the_run(tmp_path, corpus):
    """With a threshold the synthetic stories' articles rarely reach online,
    the end-of-run second chance (bar 0.2 x 0.9 = 0.18) moves those left
    alone into their story; the database stays consistent (sizes, spans,
    no empty story) and the moves are counted."""
    from newsweave.stories.cluster import ClusterParams

    docs, gold = corpus
    dump = write_dump(tmp_path / "a.jsonl", docs)
    runs = {}
    for ratio in (1.0, 0.2):
        params = ClusterParams(threshold=0.9, attach_ratio=ratio)
        with service.open_db(tmp_path / f"r{ratio}.db") as db:
            st = service.ingest(db, [str(dump)], workers=1, embedder="tfidf", params=params)
            rows = _rows(db)
            stories = {
                r[0]: (r[1], r[2], r[3])
                for r in db.query("SELECT id, size, first_ts, last_ts FROM stories")
            }
            for sid, (size, first, last) in stories.items():
                ts = [r["ts"] for r in rows if r["story"] == sid]
                assert size == len(ts) > 0
                assert (first, last) == (min(ts), max(ts))
            assert set(stories) == {r["story"] for r in rows}
            assert st.new_stories == len(stories)
            assert st.stories_touched == len(st.changed) == len(stories)  # distinct, not per unit
            runs[ratio] = (st, {r["id"]: r["story"] for r in rows})
    (off, alone), (on, joined) = runs[1.0], runs[0.2]
    assert off.joined_later == 0 and on.joined_later > 0
    assert len(set(joined.values())) == len(set(alone.values())) - on.joined_later
    f_off = score([gold[i] for i in alone], list(alone.values())).f1
    f_on = score([gold[i] for i in joined], list(joined.values())).f1
    assert f_on > f_off


def test_a_run_killed_before_its_second_chance_is_made_up_by_the_next_run(
    tmp_path, corpus, monkeypatch
):
    """The articles of a run that died after storing them but before the
    end-of-run second chance get it from the next run (even one with nothing
    new to read), ending as an uninterrupted run ends; after that, and after
    a recluster, nothing is pending."""
    from newsweave.stories import ingest as ingest_mod
    from newsweave.stories.cluster import ClusterParams
    from newsweave.stories.membership import SECOND_CHANCE_MARK

    docs, _ = corpus
    dump = write_dump(tmp_path / "a.jsonl", docs)
    params = ClusterParams(threshold=0.9, attach_ratio=0.2)
    opts = {"workers": 1, "embedder": "tfidf", "params": params}
    with service.open_db(tmp_path / "whole.db") as db:
        whole = service.ingest(db, [str(dump)], **opts)
        expected = {r["id"]: r["story"] for r in _rows(db)}
    assert whole.joined_later > 0

    def killed(self):
        raise KeyboardInterrupt("killed")

    with service.open_db(tmp_path / "killed.db") as db:
        with monkeypatch.context() as m:
            m.setattr(ingest_mod._Writer, "second_chance", killed)
            with pytest.raises(KeyboardInterrupt):
                service.ingest(db, [str(dump)], **opts)
        assert db.setting(SECOND_CHANCE_MARK) == 0  # stored, second chance owed
        assert len({r["story"] for r in _rows(db)}) > len(set(expected.values()))
        again = service.ingest(db, [str(dump)], **opts)
        assert again.stored == 0 and again.files_skipped == 1
        assert again.joined_later == whole.joined_later
        # the stories emptied were the killed run's, not new ones of this run
        assert again.new_stories == 0 and again.to_dict()["new_stories"] == 0
        assert {r["id"]: r["story"] for r in _rows(db)} == expected
        last = db.scalar("SELECT max(seq) FROM articles")
        assert db.setting(SECOND_CHANCE_MARK) == last
        assert service.ingest(db, [str(dump)], **opts).joined_later == 0
        with db.transaction() as conn:
            db.set_setting(conn, SECOND_CHANCE_MARK, 0)
        service.recluster(db)
        assert db.setting(SECOND_CHANCE_MARK) == last


def test_switching_embedder_needs_recluster(tmp_path, corpus):
    docs, _ = corpus
    with service.open_db(tmp_path / "s.db") as db:
        service.ingest(db, [str(write_dump(tmp_path / "a.jsonl", docs[:4]))])
        with pytest.raises(InputError, match="recluster"):
            service.ingest(db, [str(write_dump(tmp_path / "b.jsonl", docs[4:]))], embedder="minilm")


def test_ann_index_cache_is_used_and_matches_a_rebuild(tmp_path, monkeypatch):
    from newsweave.stories import anncache
    from newsweave.stories import ingest as ingest_mod

    monkeypatch.setattr(ingest_mod, "CACHE_MIN", 1)
    arts = synthetic_articles(5, 4, seed=13)
    docs = [a.to_doc() for a in arts]
    first = write_dump(tmp_path / "a.jsonl", docs[:12])
    second = write_dump(tmp_path / "b.jsonl", docs[12:])
    loaded = []
    real_load = anncache.load

    def spy(path, expected):
        got = real_load(path, expected)
        loaded.append(got is not None)
        return got

    monkeypatch.setattr(anncache, "load", spy)
    results = {}
    for name in ("cached", "rebuilt"):
        path = tmp_path / f"{name}.db"
        with service.open_db(path) as db:
            service.ingest(db, [str(first)], workers=1)
            assert Path(f"{path}.ann").exists() and Path(f"{path}.ann.json").exists()
            if name == "rebuilt":  # a stale stamp: the index must be rebuilt
                stamp = json.loads(Path(f"{path}.ann.json").read_text())
                Path(f"{path}.ann.json").write_text(json.dumps({**stamp, "count": 1}))
            service.ingest(db, [str(second)], workers=1)
            results[name] = [tuple(r) for r in _rows(db)]
    assert loaded == [True, False]
    assert results["cached"] == results["rebuilt"]


def test_stories_touched_counts_each_story_once_across_units(tmp_path, corpus, monkeypatch):
    docs, gold = corpus
    monkeypatch.setenv("NEWSWEAVE_INGEST_LINES", "3")  # a story's articles span units
    with service.open_db(tmp_path / "u.db") as db:
        st = service.ingest(db, [str(write_dump(tmp_path / "a.jsonl", docs))], workers=1)
        stories = db.scalar("SELECT count(*) FROM stories")
    assert st.stories_touched == len(st.changed) == stories < len(docs)


def test_a_dump_of_one_article_per_line_keeps_its_ids_in_chunks(tmp_path, corpus, monkeypatch):
    """A flat dump ({"id", "text", ...} per line, as most news dumps are) is
    stored article by article: ids as given, a line without one named after
    its real line number in every chunk, no source cluster; other lines are
    skipped with a warning naming them, never dropped silently."""
    from newsweave.stories import sources

    docs, gold = corpus
    lines = [json.dumps({**d, "id": f"art{i}"}) for i, d in enumerate(docs)]
    lines[5] = json.dumps({k: v for k, v in docs[5].items() if k != "id"})  # no id
    lines.insert(7, json.dumps({"id": "c", "documents": [docs[0]]}))  # a cluster line
    (tmp_path / "flat.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setenv(sources.ENV_LINES, "3")  # chunks of three lines
    with service.open_db(tmp_path / "s.db") as db:
        st = service.ingest(db, [str(tmp_path / "flat.jsonl")], workers=1)
        assert (st.read, st.stored) == (16, 16)
        assert [w.split(": ", 1) for w in st.warnings] == [
            [f"skipped {tmp_path}/flat.jsonl:8", "a cluster line in a dump of one article per line"]
        ]
        rows = db.query("SELECT id, source_cluster, origin FROM articles ORDER BY seq")
        ids = [r["id"] for r in rows]
        assert ids[5] == "flat:6" and ids[6] == "art6" and ids[7] == "art7"
        assert {r["source_cluster"] for r in rows} == {None}
        assert rows[8]["origin"] == f"{tmp_path}/flat.jsonl:10"
        by_story: dict[str, set[int]] = {}
        for r in _rows(db):
            i = ids.index(r["id"])
            by_story.setdefault(gold[f"line{i}/{docs[i]['id']}"], set()).add(r["story"])
        assert all(len(s) == 1 for s in by_story.values()) and len(by_story) == 4


@pytest.mark.parametrize(
    ("first_line", "title"),
    [
        (
            "RIYADH, Saudi Arabia (AP) _ Egyptian President Hosni Mubarak arrived on Tuesday",
            "Egyptian President Hosni Mubarak arrived on Tuesday",
        ),
        (
            "WASHINGTON -- The Senate passed the bill on Friday after a long debate",
            "The Senate passed the bill on Friday after a long debate",
        ),
        (
            "LONDON (Reuters) - Britain said on Monday it would raise rates",
            "Britain said on Monday it would raise rates",
        ),
        ("US - China trade war escalates as new tariffs hit", None),  # no dateline: kept
        ("BEIJING (AP) _ Short.", None),  # too little left: kept whole
    ],
)
def test_story_title_drops_a_wire_dateline_and_cuts_at_a_word(first_line, title):
    from newsweave.stories.prepare import story_title

    assert story_title(None, first_line + "\nMore text.") == (title or first_line.strip())
    assert story_title("  Given title ", first_line) == "Given title"


def test_story_title_cuts_a_long_first_line_at_a_word():
    from newsweave.stories.prepare import story_title

    got = story_title(None, "LONDON (AP) _ The " + "lengthy " * 40)
    assert got == "The " + ("lengthy " * 11).strip() + "…" and len(got) <= 100


def test_untitled_wire_stories_are_listed_without_their_dateline(tmp_path, corpus):
    """The title of a story whose head article has no title is its first
    line without the wire dateline, after ingest and after recluster."""
    docs, _ = corpus
    wire = [
        {k: v for k, v in d.items() if k != "title"} | {"text": "PARIS (AP) _ " + d["text"]}
        for d in docs
    ]
    with service.open_db(tmp_path / "s.db") as db:
        service.ingest(db, [str(write_dump(tmp_path / "d.jsonl", wire))])
        titles = [s["title"] for s in service.list_stories(db)]
        assert len(titles) == 4 and not any(t.startswith("PARIS") for t in titles)
        service.recluster(db)  # heads chosen another way (closest to the centroid)
        titles = [s["title"] for s in service.list_stories(db)]
        assert len(titles) == 4 and not any(t.startswith("PARIS") for t in titles)


def test_an_index_cache_that_does_not_fit_on_the_disk_is_skipped(tmp_path):
    """faiss reports a write past the disk's room (here RLIMIT_FSIZE, SIGXFSZ
    ignored: EFBIG) as a RuntimeError, which escaped the end of a successful
    ingest as an internal error (exit 70). The cache is optional: it is
    skipped and its temporary file removed."""
    import subprocess
    import sys

    script = """
import resource, signal, sys
from pathlib import Path
import faiss, numpy as np
from newsweave.stories import anncache
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
index = faiss.IndexHNSWFlat(64, 16)
index.add(np.random.default_rng(0).random((500, 64), dtype=np.float32))
anncache.save(Path(sys.argv[1]), index, {"model": "tfidf", "count": 500, "max_seq": 500})
print("saved")
"""
    db = tmp_path / "s.db"
    done = subprocess.run(
        [sys.executable, "-c", script, str(db)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and done.stdout == "saved\n", done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no cache, no stamp, no .tmp


def test_a_file_named_twice_is_read_once_and_said_so(tmp_path, corpus):
    """The same dump twice, then its folder, then a link to it: it used to
    be read four times (read 64, repeated 48); now once, with a warning
    for each repeat."""
    docs, _ = corpus
    folder = tmp_path / "in"
    folder.mkdir()
    dump = write_dump(folder / "dump.jsonl", docs)
    (tmp_path / "link.jsonl").symlink_to(dump)
    warnings: list[str] = []
    with service.open_db(tmp_path / "s.db") as db:
        st = service.ingest(
            db,
            [str(dump), str(dump), str(folder), str(tmp_path / "link.jsonl")],
            on_warning=warnings.append,
        )
        assert (st.read, st.stored, st.repeated) == (16, 16, 0)
    repeats = [w for w in warnings if "read once" in w]
    assert len(repeats) == 3
    assert repeats[1].startswith(f"{folder}: {dump}")


def test_a_json_cluster_file_is_stored_as_a_dump_line(tmp_path, corpus):
    """A ``.json`` file holding one cluster (or a list of them) got
    ``file#doc`` ids and no source cluster; it is read as a line of a JSONL
    dump of clusters: ``<cluster id>/<document id>``, the cluster kept."""
    docs, _ = corpus
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"id": "c1", "documents": docs[:3]}), encoding="utf-8")
    solo = tmp_path / "solo.json"
    solo.write_text(json.dumps({"id": "c2", "documents": docs[3:4]}), encoding="utf-8")
    many = tmp_path / "many.json"
    many.write_text(
        json.dumps([{"id": "c3", "documents": docs[4:6]}, {"id": "c4", "documents": docs[6:7]}]),
        encoding="utf-8",
    )
    arts = tmp_path / "arts.json"  # a list of articles stays one file's articles
    arts.write_text(json.dumps(docs[7:9]), encoding="utf-8")
    with service.open_db(tmp_path / "s.db") as db:
        st = service.ingest(db, [str(one), str(solo), str(many), str(arts)])
        assert st.stored == 9
        rows = db.query("SELECT id, source_cluster FROM articles ORDER BY seq")
    got = {r["id"]: r["source_cluster"] for r in rows}
    for cid, part in [("c1", docs[:3]), ("c2", docs[3:4]), ("c3", docs[4:6]), ("c4", docs[6:7])]:
        for d in part:
            assert got[f"{cid}/{d['id']}"] == cid
    for d in docs[7:9]:
        assert got[f"{arts}#{d['id']}"] is None


def test_an_id_repeated_in_a_dump_is_renamed_the_same_wherever_it_is(tmp_path, monkeypatch):
    """The core reader made an id repeated within one unit of lines ``id-2``,
    silently, while a repeat in a later unit (or run) was ``id~<hash>`` with a
    warning: the same dump got other ids with other chunk sizes. Now every
    repeat is ``id~<hash>``, with the warning, and nothing is lost."""
    lines = [
        {"id": "dup", "text": "The council approved the school budget after a long debate."},
        {"id": "other", "text": "Storms closed the coast road overnight, police said."},
        {"id": "dup", "text": "The mayor opened a new library downtown on Friday morning."},
        {"id": "dup-2", "text": "A museum reopened its doors after two years of repairs."},
    ]
    dump = tmp_path / "arts.jsonl"
    dump.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    got = []
    for per_unit in ("400", "2"):
        monkeypatch.setenv("NEWSWEAVE_INGEST_LINES", per_unit)
        warnings: list[str] = []
        with service.open_db(tmp_path / f"s{per_unit}.db") as db:
            st = service.ingest(db, [str(dump)], on_warning=warnings.append)
            assert (st.stored, st.renamed) == (4, 1)
            rows = db.query("SELECT id, text FROM articles ORDER BY seq")
        ids = {r["text"][:10]: r["id"] for r in rows}
        assert ids["The mayor "].startswith("dup~") and ids["A museum r"] == "dup-2"
        assert any("arts.jsonl:3" in w and "'dup'" in w for w in warnings)
        got.append(ids)
    assert got[0] == got[1]
