"""The Dask batch path against the single-machine path, on the same dump.

The dump (JSONL, written outside the repository) holds the 1,088 real
articles of ../shared/data (undated, labelled by their source cluster), N
synthetic dated articles recombined from the shared clusters' sentences
(:func:`newsweave.stories.synth.recombined_articles`, as
scripts/bench_stories.py), wire copies of 10% of all of them (an attribution
line appended, another outlet, dated 0-3 days later) and exact duplicates of
2%. Each path runs in a fresh subprocess and writes a story database:

* ``single``: ``service.ingest`` (2 reader processes, online clustering)
  then ``service.recluster`` (batch), i.e. ``newsweave ingest`` +
  ``newsweave recluster``;
* ``dask-<scheduler>``: :func:`newsweave.stories.distributed.run_job`
  (no summaries) then :func:`newsweave.stories.distributed_store.write_job`;
  ``dask-local2`` runs the job on a ``distributed.LocalCluster`` of 2 worker
  processes (one thread each), started before the job (its start-up is in
  ``wall`` only) and kept until the job is written, so the job's articles
  stay on the workers (:func:`newsweave.stories.dask_scheduler.connect`);
* ``dask-daysK``: daily jobs: the dump split into K files by date (K equal
  slices of its distinct dates; undated articles in the first), one job
  (threads) and one write per file in date order, each writing into the
  database the previous ones wrote, so its stories of new articles continue
  stored ones (:mod:`newsweave.stories.continuation`); ``dask-daysK-apart``
  the same with ``write_job(..., continue_stored=False)``.

Reported: wall time of each stage and in all (process start and imports
included in ``wall``), peak RSS of the process tree, stories, B-cubed
scores against the labels (all articles, the dated ones, the undated
ones), stories mixing dated and undated articles, and the B-cubed F1 of
each Dask partition against the single-machine one (1.0 = the same
stories). Usage:

    python scripts/bench_distributed.py [--synthetic 4000] [--embedder tfidf]
        [--modes single,dask-synchronous,dask-threads,dask-processes,dask-local2]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sqlite3
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench_stories import SHARED, at_least, run_measured, sentence_pools

from newsweave.errors import InputError
from newsweave.stories.represent import canonical

MODES = ("single", "dask-synchronous", "dask-threads", "dask-processes", "dask-local2")
DAYS = re.compile(r"dask-days(\d+)(-apart)?$")  # daily jobs (see the module docstring)


def split_by_date(dump: str, k: int) -> list[Path]:
    """``dump`` as ``k`` files of consecutive date slices (undated: the first)."""
    lines = Path(dump).read_text(encoding="utf-8").splitlines(keepends=True)
    dates = [json.loads(line)["documents"][0].get("date") for line in lines]
    distinct = sorted({d for d in dates if d})
    cuts = [distinct[len(distinct) * j // k] for j in range(1, k)]
    parts: list[list[str]] = [[] for _ in range(k)]
    for line, d in zip(lines, dates, strict=True):
        parts[0 if d is None else sum(d >= c for c in cuts)].append(line)
    out = []
    for j, part in enumerate(parts):
        path = Path(dump).with_name(f"day{j:03d}.jsonl")
        path.write_text("".join(part), encoding="utf-8")
        out.append(path)
    return out


def write_dump(path: Path, synthetic: int, seed: int = 0) -> tuple[dict[str, str], set[str]]:
    """Write the benchmark dump; returns article id → gold story, and the
    ids of the dated articles."""
    from newsweave.stories.synth import recombined_articles

    rng = random.Random(seed)
    lines: list[tuple[str, dict, str]] = []
    for f in sorted(SHARED.glob("*.jsonl")):
        for row in map(json.loads, f.open(encoding="utf-8")):
            for d in row["documents"]:
                doc = {"id": d["id"], "text": d["text"].replace("NEWLINE_CHAR", "\n")}
                if d.get("title"):
                    doc["title"] = d["title"]
                lines.append((f"{f.stem}-{row['id']}", doc, f"{f.stem}/{row['id']}"))
    for a in recombined_articles(sentence_pools(), synthetic, seed=seed):
        lines.append((a.id, a.to_doc(), a.story))
    extra = []
    for i, (lid, doc, gold) in enumerate(rng.sample(lines, len(lines) // 10)):
        copy = dict(doc, outlet="Wire Service")
        copy["text"] = doc["text"] + f"\n\n(Reporting by Writer {i}; editing by Desk {i % 7}.)"
        if doc.get("date"):
            copy["date"] = (
                date.fromisoformat(doc["date"]) + timedelta(rng.randint(0, 3))
            ).isoformat()
        extra.append((f"wire{i}-{lid}", copy, gold))
    extra += [
        (f"dup{i}-{lid}", doc, gold)
        for i, (lid, doc, gold) in enumerate(rng.sample(lines, len(lines) // 50))
    ]
    lines += extra
    rng.shuffle(lines)
    labels, dated = {}, set()
    with path.open("w", encoding="utf-8") as fh:
        for lid, doc, gold in lines:
            fh.write(json.dumps({"id": lid, "documents": [doc]}) + "\n")
            labels[f"{lid}/{doc['id']}"] = gold
            if doc.get("date"):
                dated.add(f"{lid}/{doc['id']}")
    return labels, dated


def child(mode: str, dump: str, db_path: str, embedder: str) -> dict:
    """Run one path in this process; timings of its stages."""
    from newsweave.stories import service

    out: dict = {"mode": mode}
    with service.open_db(db_path) as db:
        t0 = time.perf_counter()
        days = DAYS.match(mode)
        if days:
            from newsweave.stories.distributed import run_job
            from newsweave.stories.distributed_store import write_job

            job_s = write_s = 0.0
            out["continued_stories"] = 0
            for path in split_by_date(dump, int(days.group(1))):
                t1 = time.perf_counter()
                job = run_job([str(path)], embedder=embedder, scheduler="threads", summarize=False)
                t2 = time.perf_counter()
                ws = write_job(db, job, continue_stored=not days.group(2))
                job_s, write_s = job_s + t2 - t1, write_s + time.perf_counter() - t2
                out["continued_stories"] += ws.continued_stories
            out.update(job_s=job_s, write_s=write_s)
        elif mode == "single":
            st = service.ingest(db, [dump], embedder=embedder)
            t1 = time.perf_counter()
            service.recluster(db)
            out.update(ingest_s=t1 - t0, recluster_s=time.perf_counter() - t1)
            out["stored"], out["near_duplicates"] = st.stored, st.near_duplicates
        else:
            from newsweave.stories.dask_scheduler import connect
            from newsweave.stories.distributed import run_job
            from newsweave.stories.distributed_store import write_job

            sched = mode.split("-", 1)[1]
            if sched.startswith("local"):  # dask-local2: a LocalCluster of 2 workers
                sched = "local:" + sched.removeprefix("local")
            with connect(sched) as client:  # a cluster: the articles stay on its workers
                t0 = time.perf_counter()  # the cluster's start-up not included
                job = run_job([dump], embedder=embedder, scheduler=client, summarize=False)
                t1 = time.perf_counter()
                ws = write_job(db, job)
                out.update(job_s=t1 - t0, write_s=time.perf_counter() - t1)
            out["stored"], out["near_duplicates"] = ws.stored, ws.near_duplicates
        out["total_s"] = time.perf_counter() - t0
    return {k: round(v, 2) if isinstance(v, float) else v for k, v in out.items()}


def partition(db_path: Path) -> dict[str, int]:
    con = sqlite3.connect(db_path)
    rows = con.execute(
        "SELECT a.id, sa.story FROM articles a JOIN story_articles sa ON sa.article = a.seq"
    ).fetchall()
    con.close()
    return dict(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--synthetic", type=at_least(0), default=4000, help="synthetic dated articles")
    ap.add_argument("--embedder", default="tfidf")
    ap.add_argument(
        "--modes",
        default="single,dask-synchronous,dask-threads,dask-processes",
        help=f"comma-separated, among {', '.join(MODES)}, dask-daysK, dask-daysK-apart",
    )
    ap.add_argument("--workdir", default=None, help="dump and databases (default: a temp dir)")
    ap.add_argument("--child", nargs=3, metavar=("MODE", "DUMP", "DB"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    unknown = {m for m in args.modes.split(",") if m not in MODES and not DAYS.match(m)}
    if unknown:
        ap.error(f"unknown --modes {', '.join(sorted(unknown))}; choose among {', '.join(MODES)}")
    if any(int(m.group(1)) < 1 for m in map(DAYS.match, args.modes.split(",")) if m):
        ap.error("--modes dask-daysK: K is the number of daily jobs, at least 1")
    try:
        args.embedder = canonical(args.embedder)
    except InputError as exc:
        ap.error(str(exc))
    if args.child:
        print(json.dumps(child(*args.child, args.embedder)))
        return 0
    from newsweave.stories.quality import bcubed

    work = Path(args.workdir or tempfile.mkdtemp(prefix="nw-dask-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    dump = work / "dump.jsonl"
    labels, dated = write_dump(dump, args.synthetic)
    print(f"dump: {len(labels)} lines, {dump.stat().st_size / 2**20:.1f} MB, {work}", flush=True)
    parts = {}
    for mode in args.modes.split(","):
        db = work / f"{mode}.db"
        for p in work.glob(f"{mode}.db*"):
            p.unlink()
        cmd = [
            sys.executable,
            __file__,
            "--embedder",
            args.embedder,
            "--child",
            mode,
            str(dump),
            str(db),
        ]
        res = run_measured(cmd, {**__import__("os").environ})
        row = json.loads(res.pop("stdout").strip().splitlines()[-1])
        row.update(wall_s=res["seconds"], peak_rss_mb=res["peak_rss_mb"])
        parts[mode] = part = partition(db)
        ids = sorted(part)
        row["stories"] = len(set(part.values()))
        row["gold_f1"] = round(bcubed([labels[i] for i in ids], [part[i] for i in ids])[2], 4)
        for name, sub in (
            ("dated", [i for i in ids if i in dated]),
            ("undated", [i for i in ids if i not in dated]),
        ):
            p, r, f = bcubed([labels[i] for i in sub], [part[i] for i in sub])
            row[f"{name}_articles"], row[f"{name}_p_r_f1"] = (
                len(sub),
                [round(x, 4) for x in (p, r, f)],
            )
        kinds: dict[int, set[bool]] = {}
        for i, s in part.items():
            kinds.setdefault(s, set()).add(i in dated)
        row["stories_mixing_dated_undated"] = sum(1 for k in kinds.values() if len(k) == 2)
        if "single" in parts and mode != "single":
            ref = parts["single"]
            same = sorted(set(ref) & set(part))
            row["same_articles"] = set(ref) == set(part)
            row["agreement_f1"] = round(
                bcubed([ref[i] for i in same], [part[i] for i in same])[2], 4
            )
        print(json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
