"""Markdown table, PNG plot and per-cluster JSONL of an evaluation run."""

from __future__ import annotations

import json

from newsweave.eval.harness import EvalResult, SystemRun
from newsweave.eval.report import markdown_table, plot, write_rows
from newsweave.eval.rouge import RougeMode


def _result() -> EvalResult:
    def run(name, base, refs=False):
        r = SystemRun(name, reads_references=refs, setup_seconds=1.5)
        for k in range(6):
            r.scores.append({"rouge1": base + k, "rouge2": base / 4 + k, "rougeLsum": base - 2})
            r.seconds.append(0.5)
            r.words.append(100)
        return r

    runs = [run("newsweave", 40.0), run("Lead", 30.0), run("Oracle (greedy)", 60.0, refs=True)]
    rows = [{"cluster": f"c{k}", "system": "newsweave", "rouge1": 40.0 + k} for k in range(6)]
    return EvalResult(
        "toy", RougeMode.make("100w"), "100w", [f"c{k}" for k in range(6)], runs, ["100w"] * 6, rows
    )


def test_table_has_every_system_with_intervals_and_speed():
    table = markdown_table(_result(), samples=200)
    lines = [ln for ln in table.splitlines() if ln.startswith("| ")]
    assert lines[0].startswith("| system | R1 | R2 | RLsum")
    body = {ln.split(" | ")[0][2:]: ln for ln in lines[2:]}
    assert set(body) == {"newsweave", "Lead", "Oracle (greedy) (ceiling)"}
    # newsweave is the best non-oracle system: its cells are bold
    assert "**42.50 [" in body["newsweave"]
    assert "**" not in body["Lead"]
    assert "| 2.00 |" in body["Lead"]  # clusters per second
    assert "recall@100w" in table
    assert "references pooled" in table


def test_table_says_how_references_were_combined():
    result = _result()
    result.mode = RougeMode.make("100w", "mean")
    assert "references averaged" in markdown_table(result, samples=50)


def test_plot_writes_a_png(tmp_path):
    out = tmp_path / "plot.png"
    plot([_result(), _result()], out, samples=100)
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


def test_plot_with_few_bootstrap_samples(tmp_path):
    # one resample: an interval that need not contain the mean (no negative error bar)
    result = _result()
    run = result.runs[0]
    assert any(not lo <= run.mean(m) <= hi for m in run.scores[0] for lo, hi in [run.ci(m, 1)])
    plot([result], tmp_path / "plot.png", samples=1)
    assert (tmp_path / "plot.png").read_bytes()[:4] == b"\x89PNG"


def test_rows_are_jsonl(tmp_path):
    out = tmp_path / "rows.jsonl"
    write_rows(_result(), out)
    rows = [json.loads(ln) for ln in out.read_text().splitlines()]
    assert len(rows) == 6 and rows[0]["system"] == "newsweave"
