#!/usr/bin/env python
"""Speed, load time, memory and agreement of the embedding backends (a benchmark).

Each backend is measured in a fresh child process so that its load time
(imports + model) and peak RSS are its own. Sentences are real news: DUC 2003
documents from ../shared/data split with ``nupunkt.sent_tokenize`` (the
bundled sample story, repeated, when the data set is absent).

Prints a table: load time, sentences/s on 250 and 2,500 sentences (warm, the
in-process cache cleared before each run), peak RSS, cosine to the
``sentence-transformers`` reference, and the wall time of a cold
``python -c "from newsweave.embed import get_embedder; get_embedder().embed(['x'])"``.

Usage: python scripts/bench_embed.py [--backends minilm,tfidf,sentence-transformers]
       [--repeat 3] [--cold 5] [--threads N]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from bench_stories import at_least

ROOT = Path(__file__).resolve().parents[1]
DUC = ROOT.parent / "shared" / "data" / "duc2003_task2.jsonl"
SAMPLE = ROOT / "newsweave" / "data" / "sample"
SIZES = (250, 2500)
COLD_CMD = "from newsweave.embed import get_embedder; get_embedder().embed(['x'])"


def sentences(n: int) -> list[str]:
    """The first ``n`` sentences of the DUC 2003 documents (in file order)."""
    import nupunkt

    docs: list[str] = []
    if DUC.exists():
        for line in DUC.open():
            docs += [d["text"] for d in json.loads(line)["documents"]]
    else:
        docs = [p.read_text() for p in sorted(SAMPLE.glob("*.txt"))]
    out: list[str] = []
    for doc in docs:
        out += [s.strip() for s in nupunkt.sent_tokenize(doc) if s.strip()]
    if not out:
        raise SystemExit("no text to benchmark on")
    base = list(out)
    while len(out) < n:  # the sample story alone is short: repeat it, kept unique
        out += [f"{s} ({len(out)})" for s in base]
    return out[:n]


def worker(name: str, repeat: int, save: str) -> None:
    """Child process: load one backend, time it, print one JSON line."""
    texts = sentences(max(SIZES))
    t0 = time.perf_counter()
    from newsweave.embed import get_embedder

    emb = get_embedder(name)
    load = time.perf_counter() - t0
    t = time.perf_counter()
    emb.embed(["A first call, so that lazy set-up is not timed below."])
    first = time.perf_counter() - t
    rates = {}
    for n in SIZES:
        walls, cpus = [], []
        for _ in range(repeat if n <= 250 else 1):
            getattr(emb, "clear_cache", lambda: None)()
            t, c = time.perf_counter(), time.process_time()
            vecs = emb.embed(texts[:n])
            walls.append(time.perf_counter() - t)
            cpus.append(time.process_time() - c)
        rates[n] = {"wall": statistics.median(walls), "best": min(walls), "cpu": min(cpus)}
        if n == 250:
            np.save(save, vecs)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    row = {"name": name, "dim": emb.dim, "load": load, "first": first, "rates": rates, "rss": rss}
    print(json.dumps(row))


def cold(repeat: int) -> list[float]:
    walls = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", COLD_CMD], check=True, cwd=ROOT)
        walls.append(time.perf_counter() - t)
    return walls


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--backends", default="minilm,tfidf,sentence-transformers")
    ap.add_argument("--repeat", type=at_least(1), default=3, help="timed runs on 250 sentences")
    ap.add_argument("--cold", type=at_least(0), default=5, help="cold processes to time")
    ap.add_argument("--threads", type=at_least(1), help="NEWSWEAVE_THREADS for minilm")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--save", help=argparse.SUPPRESS)
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    if args.threads:
        os.environ["NEWSWEAVE_THREADS"] = str(args.threads)
    if args.worker:
        worker(args.worker, args.repeat, args.save)
        return

    load_before = os.getloadavg()[0]
    print(f"cpus: {os.cpu_count()}  python: {sys.version.split()[0]}  load avg: {load_before:.2f}")
    rows, vecs, failed = [], {}, []
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.backends.split(","):
            save = str(Path(tmp) / f"{name}.npy")
            cmd = [sys.executable, __file__, "--worker", name, "--save", save]
            cmd += ["--repeat", str(args.repeat)]
            proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
            if proc.returncode:
                print(f"{name}: failed\n{proc.stderr.strip()[-2000:]}")
                failed.append(name)
                continue
            rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
            vecs[name] = np.load(save)
    ref = vecs.get("sentence-transformers")

    head = f"{'backend':<23}{'dim':>5}{'load s':>8}{'1st call':>9}"
    head += "".join(f"{f'{n} sent/s':>14}" for n in SIZES)
    head += f"{'CPU s/250':>10}{'peak RSS':>10}{'cos vs ref (min/mean, 250)':>28}"
    print("\n" + head + "\n" + "-" * len(head))
    for r in rows:
        line = f"{r['name']:<23}{r['dim']:>5}{r['load']:>8.2f}{r['first']:>9.3f}"
        for n in SIZES:
            rate = r["rates"][str(n)]
            cell = f"{n / rate['wall']:.0f} ({n / rate['best']:.0f})"
            line += f"{cell:>14}"
        line += f"{r['rates']['250']['cpu']:>10.2f}{r['rss']:>7.0f} MB"
        v = vecs[r["name"]]
        if ref is not None and v.shape == ref.shape and r["name"] != "sentence-transformers":
            cos = np.sum(v * ref, axis=1)
            line += f"{cos.min():>17.6f} / {cos.mean():.6f}"
        print(line)
    print("sent/s: median over runs (best in brackets); load = imports + model, in a fresh process")
    print(
        "CPU s/250: process CPU seconds for 250 sentences (all threads; robust to a busy machine)"
    )

    if args.cold:
        walls = cold(args.cold)
        each = ", ".join(f"{w:.2f}" for w in walls)
        print(
            f'\ncold `python -c "{COLD_CMD}"` (default backend): '
            f"median {statistics.median(walls):.2f} s, min {min(walls):.2f} s  [{each}]"
        )
        rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"peak RSS of any child process: {rss:.0f} MB")
    print(f"load avg after: {os.getloadavg()[0]:.2f} (other work on the machine skews timings)")
    if failed:
        sys.exit(f"backends that failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
