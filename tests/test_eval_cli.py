"""``newsweave eval``: outputs on disk, table on stdout, errors without traceback."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from newsweave.cli import cli, main

FIXTURE = Path(__file__).parent / "fixtures" / "eval_gate.jsonl"


def test_eval_writes_scores_table_and_plot(tmp_path, embedder):
    out = tmp_path / "res"
    result = CliRunner().invoke(
        cli,
        [
            "eval",
            str(FIXTURE),
            "--cap",
            "100w",
            "--limit",
            "1",
            "--peers",
            "lead,random",
            "--no-oracle",
            "--no-progress",
            "--samples",
            "100",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "| newsweave |" in result.output and "| Lead |" in result.output
    assert "recall@100w" in result.output
    rows = [json.loads(x) for x in (out / "eval_gate.scores.jsonl").read_text().splitlines()]
    assert {r["system"] for r in rows} == {"newsweave", "Lead", "Random"}
    assert all(r["cluster"] == "tac2011-M000" and r["budget"] == "100w" for r in rows)
    assert (out / "eval_gate.md").read_text().startswith("**eval_gate**")
    assert (out / "eval_gate.png").read_bytes()[:4] == b"\x89PNG"


def test_eval_missing_set_is_a_user_error(tmp_path, capsys):
    code = main(["eval", str(tmp_path / "nope.jsonl"), "--no-progress", "-o", str(tmp_path)])
    assert code == 2
    assert "nope.jsonl: no such file" in capsys.readouterr().err


def test_eval_names_the_lines_of_the_set_it_skips(tmp_path, capsys):
    bad = tmp_path / "set.jsonl"
    bad.write_text(FIXTURE.read_text(encoding="utf-8").splitlines()[0] + "\n{broken\n")
    args = ["eval", str(bad), "--peers", "lead", "--no-oracle", "--no-progress"]
    code = main([*args, "--samples", "10", "--embedder", "tfidf", "-o", str(tmp_path / "o")])
    assert code == 0
    assert f"warning: skipped {bad}:2: not valid JSON" in capsys.readouterr().err


def test_eval_output_folder_that_cannot_be_made_exits_73(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code = main(["eval", str(FIXTURE), "--no-progress", "-o", str(blocker / "out")])
    assert code == 73
    assert f"{blocker / 'out'}: cannot write the output" in capsys.readouterr().err


def test_eval_rejects_bad_options(tmp_path, capsys):
    assert main(["eval", str(FIXTURE), "--peers", "bogus", "-o", str(tmp_path)]) == 2
    assert "unknown peer" in capsys.readouterr().err
    assert main(["eval", str(FIXTURE), "--length", "lots", "-o", str(tmp_path)]) == 2
    assert "invalid length" in capsys.readouterr().err
    for cap in ("ten", "0w"):  # the length parser's message named no option
        assert main(["eval", str(FIXTURE), "--cap", cap, "-o", str(tmp_path)]) == 2
        assert capsys.readouterr().err == (
            f"error: invalid --cap {cap!r}: use a positive number followed by w (words), "
            "s (sentences) or b (bytes), e.g. 100w or 665b\n"
        )
    assert main(["eval", str(FIXTURE), "--cap", "auto", "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err  # "auto" was offered, then refused
    assert err.startswith("error: --cap auto: a cap is a fixed length") and "--length auto" in err
    assert not list(tmp_path.iterdir())  # refused before any work


def test_eval_refuses_fewer_than_one_bootstrap_sample(tmp_path, capsys):
    for samples in ("0", "-3"):
        code = main(["eval", str(FIXTURE), "--samples", samples, "-o", str(tmp_path)])
        assert code == 2
        assert "Invalid value for '--samples'" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())  # refused before any work


def test_eval_takes_the_max_bytes_its_size_error_names(tmp_path, capsys):
    # the size error says "CLI: --max-bytes"; eval had no such option
    args = ["eval", str(FIXTURE), "--limit", "1", "--peers", "lead", "--no-oracle"]
    args += ["--no-progress", "--samples", "10", "--embedder", "tfidf", "-o", str(tmp_path)]
    assert main([*args, "--max-bytes", "1000"]) == 2
    err = capsys.readouterr().err
    assert "over the" in err and "--max-bytes" in err
    size = FIXTURE.stat().st_size
    assert main([*args, "--max-bytes", str(size)]) == 0
