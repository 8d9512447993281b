#!/usr/bin/env python
"""Speed and memory of the core summarizer (a benchmark, not a test).

Prints, for the figures the README records:

* warm time to summarise a 10-article story (~250 sentences; DUC 2003
  clusters from ../shared/data, or the sample story repeated when absent),
  with a per-stage breakdown;
* cold end-to-end time of the ``newsweave summarize`` command on the sample
  story (a fresh process: Python start, imports, model load);
* peak resident memory of both.

Usage: python scripts/bench_speed.py [--clusters 5] [--repeat 3] [--embedder NAME]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench_stories import at_least

ROOT = Path(__file__).resolve().parents[1]
DUC = ROOT.parent / "shared" / "data" / "duc2003_task2.jsonl"
SAMPLE = ROOT / "newsweave" / "data" / "sample"


def stories(limit: int) -> list[tuple[str, list[dict]]]:
    if DUC.exists():
        rows = [json.loads(line) for line in DUC.open()][:limit]
        return [(r["id"], r["documents"]) for r in rows]
    texts = [p.read_text() for p in sorted(SAMPLE.glob("*.txt"))]
    docs = [{"id": f"d{i}", "text": texts[i % len(texts)] + f"\n\nRun {i}."} for i in range(10)]
    return [("sample-x10", docs)]


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def warm(limit: int, repeat: int, embedder: str | None) -> dict:
    from newsweave import align, clean, dedup, segment
    from newsweave.budget import Budget
    from newsweave.embed import get_embedder
    from newsweave.ingest import articles_from_texts
    from newsweave.summarize import select

    t0 = time.perf_counter()
    emb = get_embedder(embedder)
    emb.embed(["warm up the model"])
    load = time.perf_counter() - t0
    budget = Budget.parse("150w")
    rows = []
    for sid, docs in stories(limit):
        for _ in range(repeat):
            times: dict[str, float] = {}
            start = time.perf_counter()
            arts = articles_from_texts(docs)
            for a in arts:
                clean.clean_article(a)
            shingles = dedup.shingle_sets(arts)  # once, as pipeline.prepare does
            clean.mark_duplicates(arts, sets=shingles)
            times["clean"] = time.perf_counter() - start
            t = time.perf_counter()
            sents = [s for a in arts for s in segment.segment(a)]
            times["segment"] = time.perf_counter() - t
            t = time.perf_counter()
            # a fresh process would not have these sentences cached
            cache_clear = getattr(emb, "clear_cache", None)
            if cache_clear:
                cache_clear()
            vecs = emb.embed([s.text for s in sents])
            times["embed"] = time.perf_counter() - t
            t = time.perf_counter()
            al = align.align(arts, sents, vecs, copy_of=dedup.copies(arts, sets=shingles))
            times["align"] = time.perf_counter() - t
            t = time.perf_counter()
            from newsweave.pipeline import DocSet

            ds = DocSet(arts, sents, vecs, al)
            select(ds, budget)
            times["summarize"] = time.perf_counter() - t
            times["total"] = time.perf_counter() - start
            rows.append((sid, len(arts), len(sents), times))
    return {"load": load, "rows": rows, "rss": peak_rss_mb()}


def cold(repeat: int, embedder: str | None) -> dict:
    files = [str(p) for p in sorted(SAMPLE.glob("*.txt"))]
    env = dict(os.environ)
    if embedder:
        env["NEWSWEAVE_EMBEDDER"] = embedder
    cmd = [sys.executable, "-m", "newsweave.cli", "summarize", *files, "-f", "json"]
    walls = []
    for _ in range(repeat):
        t = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
        walls.append(time.perf_counter() - t)
        if proc.returncode:
            raise SystemExit(f"cold run failed: {proc.stderr}")
    return {"walls": walls, "rss": peak_rss_mb(resource.RUSAGE_CHILDREN)}


def long_line(chars: int = 300_000, repeat: int = 3) -> float:
    """Fastest time to classify one line of ``chars`` random letters and digits
    (a pasted blob: cleaning it is linear, tests/test_boilerplate.py)."""
    import random
    import string

    from newsweave.boilerplate import classify_line

    blob = "".join(random.Random(3).choices(string.ascii_letters + string.digits, k=chars))
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        classify_line(blob)
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clusters", type=at_least(1), default=5)
    ap.add_argument("--repeat", type=at_least(1), default=3)
    ap.add_argument("--embedder", default=None)
    args = ap.parse_args()

    print(f"cpus: {os.cpu_count()}  python: {sys.version.split()[0]}")
    c = cold(args.repeat, args.embedder)
    w = warm(args.clusters, args.repeat, args.embedder)
    print(f"\nmodel load (in process): {w['load']:.2f} s")
    print("\nwarm, per story (median over repeats):")
    print(f"{'story':<20}{'arts':>5}{'sents':>7}" + "".join(f"{k:>11}" for k in w["rows"][0][3]))
    by_story: dict[str, list] = {}
    for sid, na, ns, times in w["rows"]:
        by_story.setdefault(sid, [na, ns, []])[2].append(times)
    totals = []
    for sid, (na, ns, runs) in by_story.items():
        med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        totals.append(med["total"])
        print(f"{sid:<20}{na:>5}{ns:>7}" + "".join(f"{v:>10.3f}s" for v in med.values()))
    print(f"\nwarm total, median over stories: {statistics.median(totals):.3f} s (target <= 1.0 s)")
    print(f"peak RSS, warm process: {w['rss']:.0f} MB (target <= 1536 MB)")
    walls = ", ".join(f"{x:.2f}" for x in c["walls"])
    print(
        f"cold `newsweave summarize` (sample story): median {statistics.median(c['walls']):.2f} s [{walls}] (target <= 3 s)"
    )
    print(f"peak RSS, cold process: {c['rss']:.0f} MB")
    print(
        f"boilerplate rules on one 300,000-character line: {long_line(repeat=args.repeat):.3f} s "
        "(target < 2 s)"
    )


if __name__ == "__main__":
    main()
