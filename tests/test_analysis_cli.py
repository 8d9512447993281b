"""``newsweave analyze``: Markdown and JSON on the bundled sample."""

from __future__ import annotations

import json

from click.testing import CliRunner

from newsweave.cli import SAMPLE_DIR, cli


def test_analyze_markdown_and_json(tmp_path, embedder):
    runner = CliRunner()
    res = runner.invoke(cli, ["analyze", str(SAMPLE_DIR), "--length", "60w"])
    assert res.exit_code == 0, res.output
    assert "## Cross-source analysis" in res.output
    assert "### Who said what" in res.output
    out = tmp_path / "a.json"
    res = runner.invoke(cli, ["analyze", str(SAMPLE_DIR), "-f", "json", "-o", str(out)])
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text())
    assert data["analysis"]["schema"] == "newsweave.analysis/1"
    assert data["analysis"]["agreements"]


def test_analyze_rejects_other_formats():
    res = CliRunner().invoke(cli, ["analyze", str(SAMPLE_DIR), "-f", "html"])
    assert res.exit_code != 0
    assert "html" in res.output
