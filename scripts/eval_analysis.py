"""Evaluate the cross-source analysis on the hand-annotated gold sets.

Usage::

    python scripts/eval_analysis.py                 # every gold file in tests/gold
    python scripts/eval_analysis.py --errors        # also list each error
    python scripts/eval_analysis.py --speed         # time the analysis of 10-article stories
    python scripts/eval_analysis.py --review        # flagged conflicts on ../shared clusters

Prints precision/recall of conflicts, quotes (with and without the right
speaker) and timeline dates per gold file, as reported in docs/analysis.md.
``--review`` runs the analysis on DUC 2003 (each article dated by its document
id) and the TAC 2011 clusters not in the fixtures (dated by their datelines;
from ../shared/data, when present) and prints every flagged
conflict, for a person to judge; ``tests/gold/review.json`` keeps the last
judgement.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
GOLD = ROOT / "tests" / "gold"
SHARED = ROOT.parent / "shared" / "data"
FILES = ("synthetic", "synthetic_heldout", "seed", "tac2011")


def _row(name: str, r: dict) -> str:
    c, qd, qs, t = (
        r["conflicts"],
        r["quotes"]["detection"],
        r["quotes"]["with_speaker"],
        r["timeline"],
    )

    def pr(x: dict) -> str:
        return f"{x['precision']:.2f}/{x['recall']:.2f} ({x['tp']}/{x['predicted']}/{x['gold']})"

    return f"| {name} | {pr(c)} | {pr(qd)} | {pr(qs)} | {pr(t)} |"


def scores(show_errors: bool) -> None:
    from newsweave.analysis.evaluate import evaluate

    print("| gold set | conflicts P/R | quotes P/R | quotes+speaker P/R | dates P/R |")
    print("| --- | --- | --- | --- | --- |")
    errors = []
    for name in FILES:
        r = evaluate([GOLD / f"{name}.json"])
        print(_row(name, r))
        errors += [f"{name}: {e}" for e in r["conflicts"]["false_positives"]]
        errors += [f"{name}: missed {e}" for e in r["conflicts"]["missed"]]
        errors += [f"{name}: {e}" for e in r["quotes"]["errors"] + r["timeline"]["errors"]]
    print("\n(P/R (true positives/predicted/gold))")
    if show_errors:
        print("\n".join(["", *errors]))


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _dateline(text: str) -> str | None:
    m = re.search(r"^\s*\w+day, (\w+ \d{1,2}, \d{4})\s*$", text, re.M)
    return datetime.strptime(m.group(1), "%B %d, %Y").date().isoformat() if m else None


def _id_date(doc_id: str) -> str | None:
    """The wire date in a DUC/AQUAINT document id: APW19981016.0240 → 1998-10-16."""
    m = re.fullmatch(r"[A-Z]{3}(\d{4})(\d{2})(\d{2})\.\d+", doc_id)
    if not m:
        return None
    try:
        return datetime(int(m[1]), int(m[2]), int(m[3])).date().isoformat()
    except ValueError:
        return None


def _shared_stories(n_duc: int = 30) -> list[tuple[str, list]]:
    from newsweave.records import Article

    out = []
    for row in _jsonl(SHARED / "duc2003_task2.jsonl")[:n_duc]:
        arts = [
            Article(id=d["id"], text=d["text"], date=_id_date(d["id"])) for d in row["documents"]
        ]
        out.append((row["id"], arts))
    fixtures = {row["id"] for row in _jsonl(GOLD / "tac2011_subset.jsonl")}
    for row in _jsonl(SHARED / "tac2011_multiling_en.jsonl"):
        if row["id"] in fixtures:
            continue
        arts = [
            Article(id=d["id"], text=d["text"], date=_dateline(d["text"])) for d in row["documents"]
        ]
        out.append((row["id"], arts))
    return out


def review() -> None:
    from newsweave.analysis import analyze
    from newsweave.pipeline import prepare

    if not SHARED.exists():
        sys.exit(f"{SHARED} not found")
    judged = json.loads((GOLD / "review.json").read_text(encoding="utf-8"))["true"]
    flagged = true = 0
    for sid, arts in _shared_stories():
        a = analyze(prepare(arts))
        for c in a["conflicts"]:
            flagged += 1
            texts = [side["sentence"]["text"] for side in c["sides"]]
            ok = any(
                j[0] == sid and {texts[0][:50], texts[1][:50]} == {j[1][:50], j[2][:50]}
                for j in judged
            )
            true += ok
            print(f"{'TRUE ' if ok else 'false'} {sid} {c['type']}: {c['detail']}")
            for side in c["sides"]:
                print(f"      {side['article']}: {side['sentence']['text'][:160]}")
    print(f"\n{flagged} flagged, {true} judged true (precision {true / max(1, flagged):.2f})")


def speed(n: int = 5) -> None:
    from newsweave.analysis import analyze
    from newsweave.pipeline import prepare

    if not SHARED.exists():
        sys.exit(f"{SHARED} not found")
    from newsweave.records import Article

    rows = _jsonl(SHARED / "duc2003_task2.jsonl")[:n]
    for row in rows:
        ds = prepare([Article(id=d["id"], text=d["text"]) for d in row["documents"]])
        analyze(ds)  # warm
        w0, c0 = time.perf_counter(), time.process_time()
        r = analyze(ds)
        wall, cpu = time.perf_counter() - w0, time.process_time() - c0
        print(
            f"{row['id']}: {len(ds.articles)} articles, {len(ds.sentences)} sentences: "
            f"wall {wall:.2f} s (spaCy {r['stats']['parse_seconds']:.2f} s), CPU {cpu:.2f} s"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--errors", action="store_true", help="list every error")
    ap.add_argument("--review", action="store_true", help="flagged conflicts on ../shared data")
    ap.add_argument("--speed", action="store_true", help="time 10-article stories")
    args = ap.parse_args()
    if args.review:
        review()
    elif args.speed:
        speed()
    else:
        scores(args.errors)


if __name__ == "__main__":
    main()
