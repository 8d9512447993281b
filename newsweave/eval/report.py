"""Present an evaluation: a Markdown table, a PNG plot and per-cluster JSONL."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from .harness import EvalResult, SystemRun
from .rouge import METRICS, SHORT


def _fmt_ci(run: SystemRun, metric: str, samples: int) -> str:
    lo, hi = run.ci(metric, samples)
    return f"{run.mean(metric):.2f} [{lo:.1f}–{hi:.1f}]"


def markdown_table(result: EvalResult, *, samples: int = 1000) -> str:
    """One row per system: ROUGE with 95% CIs, words, speed (best peer marked)."""
    mode = str(result.mode)
    refs = "pooled" if result.mode.combine == "pool" else "averaged"
    lines = [
        f"**{result.set_name}** — {len(result.clusters)} clusters, ROUGE {mode} "
        f"(rouge-score, Porter stemming, references {refs}), length {result.length}; "
        "mean [bootstrap 95% CI]",
        "",
        "| system | " + " | ".join(SHORT[m] for m in METRICS) + " | words | clusters/s | load s |",
        "| --- | " + " | ".join("---:" for _ in METRICS) + " | ---: | ---: | ---: |",
    ]
    systems = [r for r in result.runs if not r.reads_references]
    best = {m: max((r.mean(m) for r in systems), default=0.0) for m in METRICS}
    for run in result.runs:
        cells = []
        for m in METRICS:
            cell = _fmt_ci(run, m, samples)
            if not run.reads_references and run.mean(m) >= best[m] - 1e-9:
                cell = f"**{cell}**"
            cells.append(cell)
        name = f"{run.name} (ceiling)" if run.reads_references else run.name
        if run.errors:
            name += f" ({run.errors} failed)"
        cps = run.clusters_per_second
        speed = "∞" if cps == float("inf") else f"{cps:.2f}"
        lines.append(
            f"| {name} | " + " | ".join(cells) + f" | {run.mean_words:.0f} | {speed} | "
            f"{run.setup_seconds:.1f} |"
        )
    return "\n".join(lines) + "\n"


def write_rows(result: EvalResult, path: str | Path) -> None:
    """Per-cluster, per-system scores as JSONL."""
    with open(path, "w", encoding="utf-8") as fh:
        for row in result.rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def plot(results: Sequence[EvalResult], path: str | Path, *, samples: int = 1000) -> None:
    """ROUGE bars with 95% CIs per system (one panel per set) and a speed panel."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    results = list(results)
    n = len(results)
    fig, axes = plt.subplots(
        n,
        2,
        figsize=(13, 0.45 * max(len(r.runs) for r in results) * n + 1.5 * n),
        squeeze=False,
        gridspec_kw={"width_ratios": [3, 1]},
    )
    colors = {"rouge1": "#4C72B0", "rouge2": "#DD8452", "rougeLsum": "#55A868"}
    for row, result in enumerate(results):
        ax, sx = axes[row]
        runs = list(reversed(result.runs))
        y = np.arange(len(runs))
        h = 0.26
        for j, m in enumerate(METRICS):
            means = [r.mean(m) for r in runs]
            cis = [r.ci(m, samples) for r in runs]
            # a percentile interval of few resamples need not contain the mean
            err = np.array(
                [
                    [max(0.0, mu - lo) for mu, (lo, _) in zip(means, cis, strict=True)],
                    [max(0.0, hi - mu) for mu, (_, hi) in zip(means, cis, strict=True)],
                ]
            )
            ax.barh(
                y + (1 - j) * h,
                means,
                h,
                xerr=err,
                color=colors[m],
                label=SHORT[m],
                capsize=2,
                error_kw={"elinewidth": 0.8},
            )
            for yy, mu, (_, hi) in zip(y + (1 - j) * h, means, cis, strict=True):
                ax.text(hi + 0.5, yy, f"{mu:.1f}", va="center", fontsize=7)
        labels = [f"{r.name} (ceiling)" if r.reads_references else r.name for r in runs]
        ax.set_yticks(y, labels)
        for tick, r in zip(ax.get_yticklabels(), runs, strict=True):
            if r.name == "newsweave":
                tick.set_fontweight("bold")
        ax.set_xlabel(f"ROUGE {result.mode} (×100), 95% bootstrap CI")
        ax.set_title(f"{result.set_name}: {len(result.clusters)} clusters, length {result.length}")
        top = max(max(r.ci(m, samples)[1] for m in METRICS) for r in runs)
        ax.set_xlim(0, top * 1.1 + 3)
        ax.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, -0.12 - 0.5 / len(runs)),
            ncol=3,
            fontsize=8,
            frameon=False,
        )
        ax.grid(axis="x", alpha=0.3)
        speeds = [min(r.clusters_per_second, 1e4) for r in runs]
        sx.barh(y, speeds, color=["#C44E52" if r.name == "newsweave" else "#8C8C8C" for r in runs])
        sx.set_xscale("log")
        for yy, v in zip(y, speeds, strict=True):
            sx.text(v, yy, f" {v:.2f}", va="center", fontsize=7)
        sx.set_yticks(y, [])
        sx.set_xlabel("clusters / second (log)")
        sx.set_title("speed (model load excluded)")
        sx.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
