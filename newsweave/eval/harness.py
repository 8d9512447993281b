"""Run newsweave and its peers on an evaluation set and score them.

Every system sees the same clusters and the same budget. In F1 mode the
budget is ``length`` (a fixed spec such as ``250w`` or ``auto``: the rule of
:func:`newsweave.budget.auto_budget`, computed from each cluster's input,
the same for every system); in recall mode it is the cap itself and systems
may let their last sentence run past it (``overflow``), the output being cut
at the cap before scoring. Time per cluster is measured around the summary
call only; model loading happens in ``setup`` and is reported apart.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..budget import Budget
from ..decode import MAX_BYTES
from ..errors import InputError
from .peers import PEERS, EvalCluster, Oracle, System
from .rouge import METRICS, RougeMode, bootstrap_ci, countable, prepare_references, score


class Newsweave(System):
    """newsweave itself, through the public :func:`newsweave.pipeline.summarize`."""

    name = "newsweave"

    def __init__(self, embedder: Any = None, params: Any = None):
        self.embedder_spec = embedder  # a backend name, an Embedder or None (default)
        self.params = params
        self._embedder = None

    def setup(self) -> None:
        from ..embed import get_embedder

        spec = self.embedder_spec
        self._embedder = (
            spec if spec is not None and not isinstance(spec, str) else get_embedder(spec)
        )
        self._embedder.embed(["Warm-up sentence so that the model is loaded."])

    def summarize(self, cluster: EvalCluster, budget: Budget, overflow: bool) -> list[str]:
        from ..pipeline import summarize

        if self._embedder is None:
            self.setup()
        articles = copy.deepcopy(cluster.articles)  # cleaning annotates articles
        report = summarize(
            articles, length=budget, embedder=self._embedder, params=self.params, overflow=overflow
        )
        return [s.text for s in report.summary]


def load_set(
    path: str | Path, limit: int | None = None, *, max_bytes: int = MAX_BYTES
) -> list[EvalCluster]:
    """Clusters with references from a JSONL set in the common form (a file of
    at most ``max_bytes``); lines and documents skipped on reading are in the
    ``warnings`` of the first cluster."""
    from ..ingest import load_inputs

    p = Path(path)
    if not p.exists():
        raise InputError(f"{path}: no such file")
    clusters = load_inputs([str(p)], max_bytes=max_bytes)
    out: list[EvalCluster] = []
    seen: set[str] = set()
    for c in clusters:
        if c.id in seen:
            raise InputError(
                f"{path}: cluster id {c.id} appears more than once (each cluster is scored "
                "once and counted once in the means; rename or remove the copy)"
            )
        seen.add(c.id)
        _check_references(path, c.id, c.references)
        out.append(
            EvalCluster(
                id=c.id,
                documents=[a.text for a in c.articles],
                references=list(c.references),
                articles=list(c.articles),
                warnings=list(c.warnings),
            )
        )
        if limit and len(out) >= limit:
            break
    if not out:
        raise InputError(f"{path}: no clusters found")
    return out


def _check_references(path: str | Path, cid: str, references: Sequence[str]) -> None:
    """Every reference must hold a word ROUGE can count, or it scores 0 silently."""
    if not references:
        raise InputError(f"{path}: cluster {cid} has no references to score against")
    blank = [k + 1 for k, r in enumerate(references) if not r.strip()]
    if blank:
        raise InputError(
            f"{path}: cluster {cid}: reference {', '.join(map(str, blank))} is empty "
            "(every reference is scored against; remove it or fill it in)"
        )
    wordless = [k + 1 for k, r in enumerate(references) if not countable(r)]
    if wordless:
        raise InputError(
            f"{path}: cluster {cid}: reference {', '.join(map(str, wordless))} has no word "
            "ROUGE can count (rouge-score keeps only the letters a-z and digits 0-9, so "
            "every summary would score 0 against it)"
        )


def make_systems(
    peers: Sequence[str] | None,
    oracle: bool,
    mode: RougeMode,
    embedder: str | None,
    also_embedders: Sequence[str] = (),
):
    """newsweave, the named peers (all when ``peers`` is None) and the oracle.

    ``also_embedders`` adds one more newsweave row per embedding backend name
    (e.g. ``tfidf``: model-free, to show the speed/quality trade-off).
    """
    names = list(PEERS) if peers is None else list(peers)
    unknown = [n for n in names if n not in PEERS]
    if unknown:
        raise InputError(f"unknown peer(s) {', '.join(unknown)}; known: {', '.join(PEERS)}")
    systems: list[System] = [Newsweave(embedder)]
    for name in also_embedders:
        extra = Newsweave(name)
        extra.name = f"newsweave ({name})"
        systems.append(extra)
    systems += [PEERS[n]() for n in names]
    if oracle:
        systems.append(Oracle(mode.kind))
    return systems


@dataclass
class SystemRun:
    """Per-cluster results of one system."""

    name: str
    reads_references: bool = False
    setup_seconds: float = 0.0
    scores: list[dict[str, float]] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    words: list[int] = field(default_factory=list)
    errors: int = 0

    def mean(self, metric: str) -> float:
        vals = [s[metric] for s in self.scores]
        return sum(vals) / len(vals) if vals else float("nan")

    def ci(self, metric: str, samples: int = 1000) -> tuple[float, float]:
        return bootstrap_ci([s[metric] for s in self.scores], samples=samples)

    @property
    def clusters_per_second(self) -> float:
        total = sum(self.seconds)
        return len(self.seconds) / total if total > 0 else float("inf")

    @property
    def mean_words(self) -> float:
        return sum(self.words) / len(self.words) if self.words else 0.0


@dataclass
class EvalResult:
    """Everything one evaluation run measured."""

    set_name: str
    mode: RougeMode
    length: str
    clusters: list[str]
    runs: list[SystemRun]
    budgets: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)  # per cluster per system


def budget_for(cluster: EvalCluster, mode: RougeMode, length: str) -> Budget:
    """The budget every system gets for ``cluster``."""
    if mode.kind == "recall" and mode.cap is not None:
        return mode.cap
    if str(length).strip().lower() == "auto":
        from ..budget import auto_budget

        return auto_budget(cluster.documents)
    return Budget.parse(length)


def evaluate(
    clusters: Sequence[EvalCluster],
    systems: Sequence[System],
    mode: RougeMode,
    *,
    length: str = "auto",
    set_name: str = "set",
    progress: Callable[[int], None] | None = None,
    keep_summaries: bool = True,
) -> EvalResult:
    """Run every system on every cluster and score the outputs."""
    runs = [SystemRun(s.name, s.reads_references) for s in systems]
    for system, run in zip(systems, runs, strict=True):
        t0 = time.perf_counter()
        system.setup()
        run.setup_seconds = time.perf_counter() - t0
    overflow = mode.kind == "recall"
    budgets: list[str] = []
    rows: list[dict[str, Any]] = []
    for cluster in clusters:
        budget = budget_for(cluster, mode, length)
        budgets.append(str(budget))
        refs = prepare_references(cluster.references)
        for system, run in zip(systems, runs, strict=True):
            t0 = time.perf_counter()
            error = None
            try:
                out = system.summarize(cluster, budget, overflow)
            except Exception as exc:  # a failing peer must not stop the run
                out, error = [], f"{type(exc).__name__}: {exc}"
                run.errors += 1
            run.seconds.append(time.perf_counter() - t0)
            got = score(out, refs, mode, prepared=True)
            run.scores.append(got)
            words = sum(len(s.split()) for s in out)
            run.words.append(words)
            row: dict[str, Any] = {
                "set": set_name,
                "cluster": cluster.id,
                "system": system.name,
                "budget": str(budget),
                "words": words,
                "seconds": round(run.seconds[-1], 4),
                **{m: round(got[m], 4) for m in METRICS},
            }
            if keep_summaries:
                row["summary"] = out
            if error:
                row["error"] = error
            rows.append(row)
        if progress:
            progress(1)
    return EvalResult(
        set_name=set_name,
        mode=mode,
        length=str(mode.cap) if overflow else length,
        clusters=[c.id for c in clusters],
        runs=runs,
        budgets=budgets,
        rows=rows,
    )
