"""ROUGE scoring the way the summarisation literature reports it.

Scores come from Google's ``rouge-score`` package with Porter stemming:
ROUGE-1, ROUGE-2 and ROUGE-Lsum (summary-level LCS, sentences separated by
newlines). Two modes:

* ``f1`` – F-measure of the whole output (Multi-News style);
* ``recall`` – recall of the output cut at a cap (``100w`` or ``665b``; DUC
  style, like ROUGE-1.5.5's ``-l 100`` / ``-b 665``, which cut the references
  at the cap too).

With several references the counts are pooled as ROUGE-1.5.5 does with
``-f A`` (the default ``combine="pool"``): hits and n-gram counts are summed
over the references, recall = hits / reference n-grams and precision = hits /
(references × output n-grams). ``combine="mean"`` averages the score against
each reference instead. Numbers are on a 0–100 scale. :func:`bootstrap_ci` gives percentile bootstrap 95% intervals
over clusters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..budget import Budget, is_auto
from ..errors import InputError, require

METRICS = ("rouge1", "rouge2", "rougeLsum")
SHORT = {"rouge1": "R1", "rouge2": "R2", "rougeLsum": "RLsum"}
COMBINE = ("pool", "mean")
_ORDER = {"rouge1": 1, "rouge2": 2, "rougeLsum": 1}  # n-gram size (Lsum counts tokens)


@lru_cache(maxsize=1)
def _scorer():
    rs = require("rouge_score.rouge_scorer", "rouge-score", "pip install 'newsweave[eval]'")
    return rs.RougeScorer(list(METRICS), use_stemmer=True)


@lru_cache(maxsize=1)
def _tokenizer():
    tk = require("rouge_score.tokenizers", "rouge-score", "pip install 'newsweave[eval]'")
    return tk.DefaultTokenizer(use_stemmer=True)


def countable(text: str) -> bool:
    """Whether ``text`` holds a token rouge-score counts (ASCII letters or digits)."""
    return bool(_tokenizer().tokenize(text))


def split_sentences(text: str) -> list[str]:
    """Sentences of a free-text reference (nupunkt; newlines also split)."""
    import nupunkt

    out: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if line:
            out.extend(s.strip() for s in nupunkt.sent_tokenize(line) if s.strip())
    return out


def truncate_sentences(sentences: Sequence[str], cap: Budget) -> list[str]:
    """Cut a list of sentences at ``cap`` (words or bytes), keeping boundaries."""
    out: list[str] = []
    if cap.unit == "sentences":
        return list(sentences[: cap.amount])
    left = cap.amount
    for s in sentences:
        if left <= 0:
            break
        if cap.unit == "words":
            toks = s.split()
            out.append(" ".join(toks[:left]))
            left -= min(len(toks), left)
        else:
            # sentences are joined by one separator byte, as in " ".join
            raw = s.encode("utf-8")
            sep = 1 if out else 0
            room = left - sep
            if room <= 0:
                break
            out.append(raw[:room].decode("utf-8", errors="ignore"))
            left -= min(len(raw), room) + sep
    return [s for s in out if s]


@dataclass(frozen=True)
class RougeMode:
    """How outputs are scored: ``f1`` on the whole output or ``recall`` at ``cap``."""

    kind: str = "f1"  # "f1" | "recall"
    cap: Budget | None = None
    combine: str = "pool"  # several references: "pool" (ROUGE-1.5.5 -f A) | "mean"

    @classmethod
    def make(cls, cap: str | Budget | None, combine: str = "pool") -> RougeMode:
        if combine not in COMBINE:
            raise InputError(f"unknown way to combine references {combine!r}: use pool or mean")
        if cap is None or cap == "" or str(cap).lower() == "none":
            return cls("f1", None, combine)
        if is_auto(cap):  # Budget.parse would suggest 'auto' while refusing it
            raise InputError(
                f"--cap {cap}: a cap is a fixed length such as 100w or 665b; "
                "'auto' is a budget for F1 mode (--length auto, without --cap)"
            )
        try:
            return cls("recall", Budget.parse(cap), combine)
        except InputError:  # the length parser's message says "length" and offers auto
            raise InputError(
                f"invalid --cap {cap!r}: use a positive number followed by w (words), "
                "s (sentences) or b (bytes), e.g. 100w or 665b"
            ) from None

    def __str__(self) -> str:
        return f"recall@{self.cap}" if self.kind == "recall" else "F1"

    @property
    def field(self) -> str:
        return "recall" if self.kind == "recall" else "fmeasure"


def prepare_references(references: Sequence[str]) -> list[str]:
    """References as newline-separated sentences (for ROUGE-Lsum)."""
    return ["\n".join(split_sentences(r)) for r in references if r.strip()]


def score(
    summary: Sequence[str], references: Sequence[str], mode: RougeMode, *, prepared: bool = False
) -> dict[str, float]:
    """ROUGE of ``summary`` (a list of sentences) against ``references``.

    Returns ``{"rouge1": x, "rouge2": y, "rougeLsum": z}`` on a 0–100 scale,
    F1 or recall according to ``mode``; several references are pooled or
    averaged according to ``mode.combine``. In recall mode the summary and the
    references are cut at the cap, as ROUGE-1.5.5's ``-l``/``-b`` do.
    """
    refs = list(references) if prepared else prepare_references(references)
    if not refs:
        raise ValueError("no reference to score against")
    sents = list(summary)
    if mode.kind == "recall" and mode.cap is not None:
        sents = truncate_sentences(sents, mode.cap)
        refs = ["\n".join(truncate_sentences(r.split("\n"), mode.cap)) for r in refs]
    pred = "\n".join(s.strip() for s in sents if s.strip())
    scorer = _scorer()
    got = [scorer.score(ref, pred) for ref in refs]
    if mode.combine == "mean":
        return {m: 100.0 * sum(getattr(g[m], mode.field) for g in got) / len(refs) for m in METRICS}
    n_pred = len(_tokenizer().tokenize(pred))
    n_refs = [len(_tokenizer().tokenize(ref)) for ref in refs]
    out: dict[str, float] = {}
    for m in METRICS:
        gram = _ORDER[m] - 1
        ref_counts = [max(0, n - gram) for n in n_refs]
        hits = sum(round(g[m].recall * c) for g, c in zip(got, ref_counts, strict=True))
        out[m] = 100.0 * pooled(hits, sum(ref_counts), len(refs) * max(0, n_pred - gram), mode.kind)
    return out


def pooled(hits: int, ref_count: int, pred_count: int, kind: str) -> float:
    """Recall or F1 (alpha 0.5) from counts summed over references (ROUGE-1.5.5 ``-f A``)."""
    recall = hits / ref_count if ref_count else 0.0
    if kind == "recall":
        return recall
    precision = hits / pred_count if pred_count else 0.0
    return 2 * precision * recall / (precision + recall) if hits else 0.0


def bootstrap_ci(
    values: Sequence[float], *, samples: int = 1000, seed: int = 0, level: float = 0.95
) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean of ``values`` (over clusters)."""
    arr = np.asarray(values, dtype=float)
    if arr.size == 0:
        return (float("nan"), float("nan"))
    if arr.size == 1:
        return (float(arr[0]), float(arr[0]))
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, arr.size, size=(samples, arr.size))
    means = arr[idx].mean(axis=1)
    lo = (1.0 - level) / 2.0
    return (float(np.quantile(means, lo)), float(np.quantile(means, 1.0 - lo)))
