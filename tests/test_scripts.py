"""The developer scripts (scripts/): bad arguments are refused with one clear
line and a non-zero exit code, before any long work and without a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "scripts"
sys.path.insert(0, str(SCRIPTS))


def _refused(main, argv: list[str], capsys) -> str:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    return capsys.readouterr().err


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--modes", "dask-days0"], "at least 1"),
        (["--embedder", "nope"], "unknown embedder 'nope'"),
        (["--synthetic", "-3"], "-3 is below 0"),
        (["--synthetic", "many"], "'many' is not a whole number"),
    ],
)
def test_bench_distributed_refuses_bad_arguments(argv, message, capsys):
    from bench_distributed import main

    assert message in _refused(main, argv, capsys)


@pytest.mark.parametrize(
    ("sizes", "message"), [("abc", "'abc' is not a whole number"), ("100,0", "0 is below 1")]
)
def test_bench_stories_refuses_bad_sizes(sizes, message, capsys):
    from bench_stories import main

    assert message in _refused(main, ["--sizes", sizes], capsys)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--thresholds", "abc"], "'abc' is not a number"),
        (["--thresholds", "0.16,7"], "7 is not a similarity in (0, 1]"),
        (["--embedder", "nope"], "unknown embedder 'nope'"),
    ],
)
def test_eval_clustering_refuses_bad_arguments(argv, message, capsys):
    from eval_clustering import main

    assert message in _refused(main, argv, capsys)


@pytest.mark.parametrize(
    ("script", "argv"),
    [
        ("bench_speed.py", ["--clusters", "0"]),
        ("bench_speed.py", ["--repeat", "0"]),
        ("bench_embed.py", ["--repeat", "0"]),
        ("bench_embed.py", ["--cold", "-1"]),
    ],
)
def test_bench_counts_must_be_positive(script, argv):
    res = _run(sys.executable, str(SCRIPTS / script), *argv)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert f"argument {argv[0]}" in res.stderr


def test_bench_embed_fails_when_a_backend_fails():
    res = _run(sys.executable, str(SCRIPTS / "bench_embed.py"), "--backends", "nope", "--cold", "0")
    assert res.returncode == 1
    assert "nope: failed" in res.stdout and "backends that failed: nope" in res.stderr


@pytest.mark.parametrize("url", ["notaurl", "ftp://127.0.0.1/"])
def test_load_web_refuses_what_is_not_a_server_address(url):
    res = _run(sys.executable, str(SCRIPTS / "load_web.py"), "--url", url)
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert res.stderr.startswith(f"refusing {url}: give the server's address")


def test_bench_quality_fails_without_any_data_set(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "DATA": str(tmp_path), "OUT": str(tmp_path / "out")}
    res = _run("bash", str(SCRIPTS / "bench_quality.sh"), env=env)
    assert res.returncode == 1
    assert f"no data set found in {tmp_path}" in res.stderr


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["no-such-set.jsonl"], "no-such-set.jsonl: no such file"),
        (["--limit", "0", "x.jsonl"], "0 is below 1"),
        (["--cap", "10x", "x.jsonl"], "invalid --cap '10x'"),
    ],
)
def test_eval_readability_refuses_bad_arguments(argv, message, capsys):
    from eval_readability import main

    assert message in _refused(main, argv, capsys)


def test_eval_readability_counts_references_the_summary_does_not_resolve():
    from eval_readability import opener, unresolved

    from newsweave.records import Sentence, SummarySentence

    rows = [
        ("a", 0, "Mayor Ann Lee closed the schools on Monday."),
        ("a", 1, "She said the storm was the worst in years."),
        ("b", 0, "Rain fell all night."),
        ("b", 1, "The river rose by two metres in Springfield."),
        ("b", 2, "It flooded the old mill."),
        ("c", 4, "But the bridge held."),
    ]
    src = [Sentence(f"{a}#{i}", a, i, 0, len(t), t) for a, i, t in rows]

    def summary(*ids):
        by = {s.id: s for s in src}
        return [SummarySentence(by[i].text, i, None, [], 1) for i in ids]

    # "She" after a sentence naming Lee is resolved; "It" with no name in the
    # sentence before it in b, nor an earlier summary sentence naming
    # Springfield, is not; "But" without anything of c before it is not
    assert unresolved(summary("a#0", "a#1", "b#2", "c#4"), src) == [2, 3]
    assert unresolved(summary("b#1", "b#2"), src) == []  # Springfield named before
    assert unresolved(summary("a#1", "a#0"), src) == [0]  # named only after
    assert opener("This week the river rose.") is None
    assert opener('"It was bad," she said.') is None  # the speaker is named
    assert opener('"It was bad."') == "pron" and opener("No. Not yet.") == "reply"
