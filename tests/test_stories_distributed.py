"""The Dask batch path, run locally: read → dedup → wire copies → cluster by
time bucket → stitch → per story; and its agreement with the single-machine
path (``newsweave ingest`` + ``newsweave recluster``) on the same input."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import dask.bag  # noqa: F401  (a [test] dependency: missing is a failure, not a skip)
import pytest

from newsweave.errors import InputError
from newsweave.stories import service
from newsweave.stories.cluster import ClusterParams
from newsweave.stories.quality import bcubed, score
from newsweave.stories.synth import synthetic_articles

EMBEDDER = "tfidf"  # the model-free representation both paths support

from newsweave.stories.distributed import run_job, stitch  # noqa: E402

WIRE_TAIL = "\n\n(Reporting by A. Writer; editing by B. Editor for the wire desk.)"


def _shift(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def write_mixed_dump(path: Path) -> dict[str, str]:
    """A JSONL dump of 37 lines: 6 synthetic stories × 5 articles (60 days
    apart, each spread over 10 days so that most cross a weekly bucket edge),
    plus an exact duplicate, three wire copies published 5 days after their
    original (often in the next week), a copy of a copy, a copy published 200
    days after everything (outside the window) and an id reused by different
    content (itself a wire copy of another article). Returns article id →
    gold story for every article that must be stored."""
    arts = synthetic_articles(6, 5, seed=21, spread_days=10)
    lines = [(f"l{i}", a.to_doc()) for i, a in enumerate(arts)]
    gold = {f"l{i}/{a.id}": a.story for i, a in enumerate(arts)}
    lines.append(("dup", arts[0].to_doc()))  # exact duplicate: not stored
    for k in (1, 2, 3):
        doc = dict(arts[k].to_doc(), outlet="Wire", date=_shift(arts[k].date, 5))
        doc["text"] += WIRE_TAIL
        lines.append((f"w{k}", doc))
        gold[f"w{k}/{arts[k].id}"] = arts[k].story
    doc = dict(lines[-1][1])
    doc["text"] += "\n\nThis copy was updated later with a short note."
    lines.append(("ww", doc))
    gold[f"ww/{arts[3].id}"] = arts[3].story
    doc = dict(arts[4].to_doc(), date=_shift(max(a.date for a in arts), 200))
    doc["text"] += WIRE_TAIL
    lines.append(("late", doc))
    gold[f"late/{arts[4].id}"] = "late"
    doc = dict(arts[7].to_doc(), id=arts[5].id)  # the id of line l5, other content
    doc["text"] += " Updated."
    lines.append(("l5", doc))
    gold[f"l5/{arts[5].id}~"] = arts[7].story  # renamed: id~<hash prefix>
    with path.open("w", encoding="utf-8") as fh:
        for lid, d in lines:
            fh.write(json.dumps({"id": lid, "documents": [d]}) + "\n")
    return gold


def _gold_of(gold: dict[str, str], ident: str) -> str:
    return gold[ident.split("~")[0] + "~" if "~" in ident else ident]


def _root(links: dict[str, str], ident: str) -> str:
    while ident in links:
        ident = links[ident]
    return ident


def test_dask_job_on_mixed_input(tmp_path):
    dump = tmp_path / "dump.jsonl"
    gold = write_mixed_dump(dump)
    job = run_job([str(dump)], embedder=EMBEDDER, scheduler="synchronous", summary_embedder="tfidf")
    members = {a: s.id for s in job.stories for a in s.articles}
    assert (job.read, job.exact_duplicates, job.renamed) == (37, 1, 1)
    assert len(members) == len(gold) == 36 and job.articles == 36
    first = next(k for k in gold if k.startswith("l0/"))
    assert first in members and not any(m.startswith("dup/") for m in members)  # earliest kept
    assert any("already used by a different article" in w for w in job.warnings)
    # every wire copy is linked, through its chain, to its original (never dropped)
    copies = {m for m in members if m.split("/")[0] in {"w1", "w2", "w3", "ww", "late", "l5"}}
    copies = {m for m in copies if not m.startswith("l5/") or "~" in m}
    assert set(job.duplicates) == copies
    for c in copies:
        original = _root(job.duplicates, c)
        assert original.startswith("l") and original != c
        assert _gold_of(gold, original) == _gold_of(gold, c) or c.startswith("late/")
    # copies within the window share their original's story and count once
    for s in job.stories:
        inside = [m for m in s.articles if job.duplicates.get(m) in s.articles]
        assert s.accounts == len(s.articles) - len(inside)
        assert s.duplicates == {m: job.duplicates[m] for m in s.articles if m in job.duplicates}
    for c in copies - {m for m in copies if m.startswith("late/")}:
        assert members[c] == members[_root(job.duplicates, c)]
    late = next(m for m in copies if m.startswith("late/"))  # 200 days later: its own story
    assert members[late] != members[job.duplicates[late]]
    keys = sorted(members)
    q = score([_gold_of(gold, k) for k in keys], [members[k] for k in keys])
    assert q.f1 >= 0.95, q
    big = [s for s in job.stories if len(s.articles) >= 2]
    assert big and all(s.report and s.report["summary"] for s in big)
    assert all(s.title for s in job.stories)
    assert all(s.first_ts is not None and s.first_ts <= s.last_ts for s in job.stories)


def _single_machine(
    dump: Path, db_path: Path, embedder: str
) -> tuple[list[str], dict[str, str], list]:
    with service.open_db(db_path) as db:
        service.ingest(db, [str(dump)], workers=1, embedder=embedder)
        service.recluster(db)
        rows = db.query(
            "SELECT a.id, d.id AS dup, sa.story, s.title FROM articles a "
            "LEFT JOIN articles d ON d.seq = a.duplicate_of "
            "JOIN story_articles sa ON sa.article = a.seq JOIN stories s ON s.id = sa.story "
            "ORDER BY a.seq"
        )
    stories: dict[int, list[str]] = {}
    titles: dict[int, str] = {}
    for r in rows:
        stories.setdefault(r["story"], []).append(r["id"])
        titles[r["story"]] = r["title"]
    partition = sorted((sorted(m), titles[s]) for s, m in stories.items())
    return [r["id"] for r in rows], {r["id"]: r["dup"] for r in rows if r["dup"]}, partition


@pytest.mark.parametrize(
    ("embedder", "bucket_days"), [(EMBEDDER, 7.0), (EMBEDDER, 100_000.0), ("bucket-idf", 7.0)]
)
def test_dask_job_agrees_with_single_machine_batch(tmp_path, embedder, bucket_days):
    """What must agree with ``newsweave ingest`` + ``newsweave recluster``:

    * the stored articles (the earliest copy of each text) and their ids
      (renames included), in the same order;
    * every near-duplicate link (article id → id of the article it copies);
    * the stories: the same partition of the articles, with the same titles.
      With one time bucket this holds by construction (same vectors at stored
      precision, same order, same links, same ``batch_cluster``). With weekly
      buckets it holds on this input (stories 60 days apart, wire copies in
      the next week); in general a story split by a bucket edge is joined
      again only if the parts' centroids reach the stitch threshold (0.3).

    ``bucket-idf`` (the default representation): both paths weigh with the
    document frequencies of all the articles (the job sums them over its
    partitions, ``recluster`` counts the store).
    """
    dump = tmp_path / "dump.jsonl"
    write_mixed_dump(dump)
    ids, links, partition = _single_machine(dump, tmp_path / "single.db", embedder)
    job = run_job(
        [str(dump)],
        embedder=embedder,
        scheduler="synchronous",
        bucket_days=bucket_days,
        summarize=False,
    )
    order = sorted(job.records.map(lambda r: (r.order, r.id)).compute(scheduler="sync"))
    assert [i for _, i in order] == ids
    assert job.duplicates == links
    assert sorted((sorted(s.articles), s.title) for s in job.stories) == partition


@pytest.mark.parametrize("scheduler", ["threads", "processes"])
def test_parallel_schedulers_give_the_same_stories(tmp_path, scheduler):
    dump = tmp_path / "dump.jsonl"
    write_mixed_dump(dump)
    runs = [
        run_job([str(dump)], embedder=EMBEDDER, scheduler=sched, summarize=False)
        for sched in ("synchronous", scheduler)
    ]
    a, b = ([(s.articles, s.title, s.accounts) for s in job.stories] for job in runs)
    assert a == b and runs[0].duplicates == runs[1].duplicates


def test_dask_batch_matches_gold_on_undated_articles(tmp_path):
    # undated articles go to hash buckets; stories split there are stitched again.
    # Undated synthetic stories share common words (cosine ~0.2-0.3): threshold 0.4
    arts = synthetic_articles(6, 5, seed=4, dated=False)
    dump = tmp_path / "undated.jsonl"
    with dump.open("w", encoding="utf-8") as fh:
        for i, a in enumerate(arts):
            fh.write(json.dumps({"id": f"u{i}", "documents": [a.to_doc()]}) + "\n")
    params = ClusterParams(threshold=0.4)
    job = run_job(
        [str(dump)], embedder=EMBEDDER, scheduler="synchronous", summarize=False, params=params
    )
    members = {a: s.id for s in job.stories for a in s.articles}
    keys = [f"u{i}/{a.id}" for i, a in enumerate(arts)]
    p, r, f1 = bcubed([a.story for a in arts], [members[k] for k in keys])
    assert f1 >= 0.95, (p, r, f1)
    assert all(s.first_ts is None for s in job.stories)


def test_batch_command_counts_the_ids_the_job_renamed(tmp_path, capsys):
    from newsweave.cli import main

    dump = tmp_path / "dump.jsonl"
    write_mixed_dump(dump)
    args = [str(dump), "--embedder", EMBEDDER, "--scheduler", "synchronous", "--no-summarize"]
    assert main(["batch", *args, "--db", str(tmp_path / "a.db"), "-f", "json"]) == 0
    captured = capsys.readouterr()
    res = json.loads(captured.out)
    assert "already used by a different article" in captured.err
    assert (res["exact_duplicates"], res["renamed"], res["written"]["renamed"]) == (1, 1, 0)
    assert main(["batch", *args, "--db", str(tmp_path / "b.db")]) == 0
    assert "1 exact duplicates, 6 near-duplicates, 1 renamed)" in capsys.readouterr().err


def test_batch_does_not_read_its_database_inside_the_folder(tmp_path, capsys):
    """``batch inbox/ --db inbox/news.db`` read its own database, WAL, shared
    memory and lock files as articles (4 'skipped' warnings a run), unlike
    ``ingest``: they are left out of the folder as there."""
    from newsweave.cli import main

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    arts = synthetic_articles(2, 2, seed=5)
    for i, a in enumerate(arts[:3]):
        (inbox / f"{i}.txt").write_text(a.text, encoding="utf-8")
    (inbox / "news.db.ann.json").write_text("{}", encoding="utf-8")  # a cache left there
    args = ["batch", str(inbox), "--db", str(inbox / "news.db"), "--scheduler", "synchronous"]
    assert main([*args, "--embedder", EMBEDDER, "--no-summarize", "-f", "json"]) == 0
    first = capsys.readouterr()
    (inbox / "3.txt").write_text(arts[3].text, encoding="utf-8")
    assert main([*args, "--no-summarize", "-f", "json"]) == 0  # news.db-wal etc. exist now
    again = capsys.readouterr()
    assert "warning" not in first.err + again.err
    assert (json.loads(first.out)["read"], json.loads(again.out)["read"]) == (3, 4)
    assert json.loads(again.out)["written"]["stored"] == 1
    with service.open_db(inbox / "news.db", create=False) as db:
        job = run_job([str(inbox)], embedder=EMBEDDER, scheduler="synchronous", db=db.path)
    assert (job.read, job.warnings) == (4, [])


def test_bad_inputs_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        run_job([str(tmp_path / "missing.jsonl")], scheduler="synchronous")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="no articles"):
        run_job([str(empty)], embedder=EMBEDDER, scheduler="synchronous")
    binary = tmp_path / "blob.jsonl"
    binary.write_bytes(b"abc\x00\x01\x02" * 100)
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": broken\n', encoding="utf-8")
    for path, reason in ((binary, "looks like a binary file"), (broken, "1: not valid JSON")):
        with pytest.raises(InputError, match=f"nothing to process: skipped .*{reason}"):
            run_job([str(path)], embedder=EMBEDDER, scheduler="synchronous")


def test_nothing_to_process_counts_the_reasons_it_does_not_show(tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    for i in range(5):
        (folder / f"e{i}.txt").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match=r"skipped .*e2.txt: the input is empty \(and 2 more\)$"):
        run_job([str(folder)], embedder=EMBEDDER, scheduler="synchronous")


def test_stitch_respects_buckets_and_window():
    import numpy as np

    v = np.zeros(8, dtype=np.float32)
    v[0] = 1.0
    day = 86400.0
    clusters = [
        {"bucket": "t1", "sum": v * 3, "first": 10 * day, "last": 12 * day, "members": ["a"]},
        {"bucket": "t2", "sum": v * 2, "first": 14 * day, "last": 15 * day, "members": ["b"]},
        {"bucket": "t2", "sum": v, "first": 14 * day, "last": 14 * day, "members": ["c"]},
        {"bucket": "t90", "sum": v, "first": 900 * day, "last": 901 * day, "members": ["d"]},
    ]
    groups = sorted(sorted(g) for g in stitch(clusters, ClusterParams(window_days=30)))
    # same bucket never merges directly, but both t2 clusters join t1; t90 is years away
    assert groups == [[0, 1, 2], [3]]


def test_stitch_never_chains_stories_years_apart_through_an_undated_cluster():
    import numpy as np

    v = np.zeros(8, dtype=np.float32)
    v[0] = 1.0
    w = v.copy()
    w[1] = 0.3
    day = 86400.0
    clusters = [
        {"bucket": "t1", "sum": v * 2, "first": 10 * day, "last": 12 * day, "members": ["a"]},
        {"bucket": "u0", "sum": v, "first": None, "last": None, "members": ["b"]},
        {"bucket": "t90", "sum": w, "first": 900 * day, "last": 901 * day, "members": ["c"]},
    ]
    groups = sorted(sorted(g) for g in stitch(clusters, ClusterParams(window_days=30)))
    # the undated cluster joins the more similar dated one, not both
    assert groups == [[0, 1], [2]]


def test_files_over_the_size_limit_are_skipped_and_not_marked_done(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    arts = synthetic_articles(1, 2, seed=3)
    (folder / "big.txt").write_text(arts[0].text * 3, encoding="utf-8")
    (folder / "small.txt").write_text(arts[1].text[:300], encoding="utf-8")
    limit = len(arts[1].text[:300].encode()) + 10
    job = run_job(
        [str(folder)], embedder=EMBEDDER, scheduler="synchronous", summarize=False, max_bytes=limit
    )
    assert job.articles == 1 and any("big.txt" in w and "--max-bytes" in w for w in job.warnings)
    assert [m.path for m in job.marks] == [str(folder / "small.txt")]


def test_a_dump_whose_chunk_was_refused_is_not_marked_done(tmp_path, monkeypatch):
    """A dump one of whose chunks could not be used (NUL bytes) was marked
    done by its last chunk, so writing the job recorded it as ingested."""
    from newsweave.stories import sources

    folder = tmp_path / "in"
    folder.mkdir()
    arts = synthetic_articles(1, 2, seed=3)
    (folder / "a.txt").write_text(arts[0].text, encoding="utf-8")
    good = json.dumps({"id": "c1", "text": arts[1].text})
    (folder / "part.jsonl").write_bytes(b"\x00\x01\n" + good.encode() + b"\n")
    (folder / "bin.jsonl").write_bytes(b"\x00\x01binary")
    monkeypatch.setenv(sources.ENV_LINES, "1")
    job = run_job([str(folder)], embedder=EMBEDDER, scheduler="synchronous", summarize=False)
    assert job.articles == 2
    assert sum("binary" in w for w in job.warnings) == 2
    assert [m.path for m in job.marks] == [str(folder / "a.txt")]


def test_a_file_that_changed_since_the_plan_is_left_for_the_next_run(tmp_path):
    """The job reads a file the plan marked at another size/mtime (it is
    being written): nothing of it is kept, it is not marked done, and a
    warning names it."""
    from newsweave.stories.distributed import _prepare
    from newsweave.stories.sources import FileMark, Unit

    path = tmp_path / "a.txt"
    path.write_text("Half of an article that is still being written to disk", encoding="utf-8")
    st = path.stat()
    mark = FileMark(str(path), st.st_size - 10, st.st_mtime - 5)  # as planned, before
    got = _prepare((0, Unit("files", [str(path)], mark.size, done=[mark])), "tfidf")
    assert got["records"] == [] and got["done"] == []
    assert got["warnings"] == [
        f"skipped {path}: it changed while it was read; the next run reads it"
    ]


def test_batch_without_dask_names_what_to_install(tmp_path, monkeypatch, capsys):
    """Without Dask, ``newsweave batch`` (default scheduler ``threads``)
    failed with exit 70 'internal error: ModuleNotFoundError' instead of
    exit 3 and the install line the README promises."""
    import sys

    from newsweave.cli import main

    dump = tmp_path / "dump.jsonl"
    write_mixed_dump(dump)
    monkeypatch.setitem(sys.modules, "dask.base", None)  # as if not installed
    code = main(["batch", str(dump), "--db", str(tmp_path / "news.db")])
    err = capsys.readouterr().err
    assert code == 3
    assert 'pip install "newsweave[dask]"' in err and "Traceback" not in err
    assert not (tmp_path / "news.db").exists()
