"""Score the cross-source analysis against hand-annotated gold sets.

Gold files (``tests/gold/*.json``) hold stories, each with its articles
(inline, the bundled sample via ``"source": "sample"``, or documents of a
JSONL fixture via ``"source": {"jsonl": ..., "cluster": ..., "docs": ...}``)
and annotations:

``conflicts``   ``{"type", "sides": [[article, substring], [article, substring]]}``
                (substrings of each side's sentence); anything else flagged is a
                false positive, so every gold file is exhaustive;
``quotes``      ``{"article", "quote": substring, "speaker": [accepted names],
                "kind", "optional"?}``, every quote of the annotated articles;
``timeline``    ``{"article", "expression": substring, "in"?: context, "date":
                ISO or null (kept relative), "optional"?}``.

Predicted and gold items match when their spans overlap in the same article.
Optional gold items count neither way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..records import Article

_SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
_FILLER = {"the", "a", "an", "mr", "mrs", "ms", "dr", "of"}


@dataclass
class Story:
    """One gold story: its articles and annotations."""

    id: str
    articles: list[Article]
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    compatible: list[dict[str, Any]] = field(default_factory=list)
    quotes: list[dict[str, Any]] | None = None  # None: quotes not annotated
    timeline: list[dict[str, Any]] | None = None
    annotated: list[str] | None = None  # articles whose quotes/dates are annotated


def _articles(spec: dict[str, Any], base: Path) -> list[Article]:
    src = spec.get("source")
    if src == "sample":
        from ..ingest import load_inputs

        (cluster,) = load_inputs([str(_SAMPLE)])
        return cluster.articles
    if isinstance(src, dict):
        dates = src.get("dates", {})
        want = src.get("docs")
        for line in (base / src["jsonl"]).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row["id"] != src["cluster"]:
                continue
            docs = [d for d in row["documents"] if want is None or d["id"] in want]
            return [
                Article(id=d["id"], text=d["text"], title=d.get("title"), date=dates.get(d["id"]))
                for d in docs
            ]
        raise ValueError(f"cluster {src['cluster']} not in {src['jsonl']}")
    return [Article(**a) for a in spec["articles"]]


def load(path: str | Path) -> list[Story]:
    """Stories of a gold file."""
    path = Path(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        Story(
            id=s["id"],
            articles=_articles(s, path.parent),
            conflicts=s.get("conflicts", []),
            compatible=s.get("compatible", []),
            quotes=s.get("quotes"),
            timeline=s.get("timeline"),
            annotated=s.get("annotated"),
        )
        for s in data["stories"]
    ]


def _norm(text: str) -> str:
    return " ".join(text.split())


def _locate(article: Article, sub: str, context: str | None = None) -> tuple[int, int]:
    text = article.text
    base = 0
    if context:
        i = _find(text, context)
        base, text = i, text[i : i + len(context) + 40]
    i = _find(text, sub)
    return base + i, base + i + len(sub)


def _find(text: str, sub: str) -> int:
    i = text.find(sub)
    if i < 0:  # tolerate collapsed whitespace in the annotation
        pattern = r"\s+".join(re.escape(w) for w in sub.split())
        m = re.search(pattern, text)
        if not m:
            raise ValueError(f"gold text not found: {sub!r}")
        return m.start()
    return i


def _name_tokens(name: str) -> set[str]:
    toks = re.sub(r"['’]s\b", "", name.lower()).replace("-", " ").split()
    return {t.strip(".,") for t in toks} - _FILLER


def speaker_matches(predicted: list[str], accepted: list[str]) -> bool:
    """Whether a predicted speaker name (or alias) names an accepted gold speaker."""
    for p in predicted:
        pt = _name_tokens(p)
        for a in accepted:
            at = _name_tokens(a)
            if pt and at and (at <= pt or pt <= at):
                return True
    return False


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, Any]:
    p = tp / n_pred if n_pred else 1.0
    r = tp / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "tp": tp,
        "predicted": n_pred,
        "gold": n_gold,
        "precision": round(p, 3),
        "recall": round(r, 3),
        "f1": round(f, 3),
    }


def _side_match(side: dict[str, Any], gold_side: list[str]) -> bool:
    art, sub = gold_side
    return side["article"] == art and _norm(sub) in _norm(side["sentence"]["text"])


def score_conflicts(stories: list[Story], analyses: dict[str, dict]) -> dict[str, Any]:
    """Precision/recall of flagged conflicts (and with the right type)."""
    tp = typed = n_pred = n_gold = 0
    fps: list[str] = []
    missed: list[str] = []
    for st in stories:
        pred = analyses[st.id]["conflicts"]
        n_pred += len(pred)
        n_gold += len(st.conflicts)
        hit_gold: set[int] = set()
        for c in pred:
            a, b = c["sides"]
            matches = [
                gi
                for gi, g in enumerate(st.conflicts)
                if (_side_match(a, g["sides"][0]) and _side_match(b, g["sides"][1]))
                or (_side_match(a, g["sides"][1]) and _side_match(b, g["sides"][0]))
            ]
            # one sentence pair can carry several gold conflicts: prefer the same type
            same = [gi for gi in matches if st.conflicts[gi]["type"] == c["type"]]
            match = (same or matches or [None])[0]
            if match is None:
                fps.append(f"{st.id}: {c['type']} {c['detail']}")
                continue
            tp += 1
            typed += c["type"] == st.conflicts[match]["type"]
            hit_gold.add(match)
        for gi, g in enumerate(st.conflicts):
            if gi not in hit_gold:
                missed.append(f"{st.id}: {g['type']} {g['sides'][0][1]!r} / {g['sides'][1][1]!r}")
    out = _prf(tp, n_pred, n_gold)
    found = n_gold - len(missed)
    out["recall"] = round(found / n_gold, 3) if n_gold else 1.0
    out["typed_precision"] = round(typed / n_pred, 3) if n_pred else 1.0
    out["false_positives"] = fps
    out["missed"] = missed
    return out


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def score_quotes(stories: list[Story], analyses: dict[str, dict]) -> dict[str, Any]:
    """Quote detection, and quote with the right speaker, precision/recall."""
    n_pred = n_gold = found = found_sp = correct = correct_sp = 0
    errors: list[str] = []
    for st in stories:
        if st.quotes is None:
            continue
        arts = {a.id: a for a in st.articles}
        annotated = set(st.annotated or [q["article"] for q in st.quotes] or arts)
        gold = []
        for g in st.quotes:
            start, end = _locate(arts[g["article"]], g["quote"], g.get("in"))
            gold.append((g, g["article"], (start, end)))
        a = analyses[st.id]
        speakers = {s["id"]: s for s in a["speakers"]}
        preds = []
        for q in a["quotes"]:
            sp = speakers.get(q["speaker"]) if q["speaker"] else None
            names = [sp["name"], *sp["aliases"]] if sp else []
            for ev in q["evidence"]:
                span = ev["quote"]
                if span["article"] in annotated:
                    preds.append(
                        (names, span["article"], (span["start"], span["end"]), span["text"])
                    )
        matched_gold: dict[int, bool] = {}
        for names, art, span, text in preds:
            # a predicted span may cover several gold quotes (one quoted paragraph)
            hits = [gi for gi, (_g, ga, gs) in enumerate(gold) if ga == art and _overlap(span, gs)]
            if not hits:
                n_pred += 1
                errors.append(f"{st.id}/{art}: not a gold quote: {text[:70]!r}")
                continue
            if all(gold[gi][0].get("optional") for gi in hits):
                continue
            hits = [gi for gi in hits if not gold[gi][0].get("optional")]
            oks = {gi: speaker_matches(names, gold[gi][0]["speaker"]) for gi in hits}
            n_pred += 1
            correct += 1
            correct_sp += any(oks.values())
            for gi, ok in oks.items():
                matched_gold[gi] = matched_gold.get(gi, False) or ok
            if not any(oks.values()):
                g = gold[hits[0]][0]
                who = names[0] if names else None
                errors.append(
                    f"{st.id}/{art}: speaker {who!r} for {g['quote'][:50]!r} ({g['speaker'][0]})"
                )
        for gi, (g, art, _span) in enumerate(gold):
            if g.get("optional"):
                continue
            n_gold += 1
            if gi in matched_gold:
                found += 1
                found_sp += matched_gold[gi]
            else:
                errors.append(f"{st.id}/{art}: missed {g['quote'][:60]!r}")
    detect = _prf(correct, n_pred, n_gold)
    detect["recall"] = round(found / n_gold, 3) if n_gold else 1.0
    with_sp = _prf(correct_sp, n_pred, n_gold)
    with_sp["recall"] = round(found_sp / n_gold, 3) if n_gold else 1.0
    return {"detection": detect, "with_speaker": with_sp, "errors": errors}


def score_timeline(stories: list[Story], analyses: dict[str, dict]) -> dict[str, Any]:
    """Date expressions found and resolved to the right date, precision/recall."""
    n_pred = n_gold = correct = found = 0
    errors: list[str] = []
    for st in stories:
        if st.timeline is None:
            continue
        arts = {a.id: a for a in st.articles}
        annotated = set(st.annotated or arts)
        gold = []
        for g in st.timeline:
            gold.append(
                (g, g["article"], _locate(arts[g["article"]], g["expression"], g.get("in")))
            )
        hit: dict[int, bool] = {}
        for ev in analyses[st.id]["timeline"]:
            for item in ev["evidence"]:
                x = item["expression"]
                if x["article"] not in annotated:
                    continue
                span = (x["start"], x["end"])
                cands = [
                    gi
                    for gi, (_g, art, gs) in enumerate(gold)
                    if art == x["article"] and _overlap(span, gs)
                ]
                if not cands:
                    n_pred += 1
                    errors.append(
                        f"{st.id}/{x['article']}: not a gold date: {x['text']!r} -> {ev['date']}"
                    )
                    continue
                g = gold[cands[0]][0]
                if g.get("optional"):
                    continue
                n_pred += 1
                ok = ev["date"] == g["date"]
                correct += ok
                hit[cands[0]] = hit.get(cands[0], False) or ok
                if not ok:
                    errors.append(
                        f"{st.id}/{x['article']}: {x['text']!r} -> {ev['date']} (gold {g['date']})"
                    )
        for gi, (g, art, _s) in enumerate(gold):
            if g.get("optional"):
                continue
            n_gold += 1
            if hit.get(gi):
                found += 1
            elif gi not in hit:
                errors.append(f"{st.id}/{art}: missed {g['expression']!r}")
    out = _prf(correct, n_pred, n_gold)
    out["recall"] = round(found / n_gold, 3) if n_gold else 1.0
    out["errors"] = errors
    return out


def run(
    stories: list[Story], prepare: Callable[[list[Article]], Any] | None = None
) -> dict[str, dict]:
    """Analyse every story; ``prepare`` builds the DocSet (default: the pipeline's)."""
    import copy

    from ..pipeline import prepare as _prepare
    from . import analyze

    prep = prepare or _prepare
    return {st.id: analyze(prep(copy.deepcopy(st.articles))) for st in stories}


def evaluate(paths: list[str | Path], prepare=None) -> dict[str, Any]:
    """Scores over the gold files ``paths`` (conflicts, quotes, timeline)."""
    stories = [st for p in paths for st in load(p)]
    analyses = run(stories, prepare)
    return {
        "stories": len(stories),
        "conflicts": score_conflicts(stories, analyses),
        "quotes": score_quotes(stories, analyses),
        "timeline": score_timeline(stories, analyses),
    }
