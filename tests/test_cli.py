"""The command line: output formats, batch mode and bad input (no tracebacks)."""

import json
import subprocess
import sys

import pytest

from newsweave.cli import SAMPLE_DIR, main

SEEDS = sorted(str(p) for p in SAMPLE_DIR.glob("*.txt"))


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def test_help_teaches(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert "summarize" in out and "demo" in out and "newsweave summarize" in out


def test_length_help_names_every_budget(capsys):
    # README: 150w, 5s, 665b and auto; --help used to leave auto out
    for command in ("summarize", "analyze", "demo"):
        code, out, _ = run(capsys, command, "--help")
        assert code == 0
        text = " ".join(out.split())
        assert "or auto (150 words + 30 per article, at most 400)" in text


def test_summarize_markdown(capsys, embedder):
    code, out, _ = run(capsys, "summarize", *SEEDS, "--length", "80w")
    assert code == 0
    assert "## Sources" in out and "[1]" in out


def test_summarize_json_to_file(capsys, tmp_path, embedder):
    target = tmp_path / "r.json"
    code, _, err = run(capsys, "summarize", *SEEDS, "-f", "json", "-o", str(target), "-l", "3s")
    assert code == 0 and "wrote" in err
    data = json.loads(target.read_text())
    assert 1 <= len(data["summary"]) <= 3


def test_an_output_that_cannot_be_written_exits_73_naming_it(capsys, tmp_path, monkeypatch):
    """Checked before any work (the summary of a big folder used to be
    computed, then lost) and with one exit code: a folder given as -o was
    click's usage error (exit 2)."""
    import newsweave.pipeline

    def no_work(*args, **kwargs):
        raise AssertionError("summarised before the output was checked")

    monkeypatch.setattr(newsweave.pipeline, "summarize", no_work)
    (tmp_path / "file").write_text("x", encoding="utf-8")
    for target, reason in [
        (tmp_path / "missing" / "r.md", f"no folder {tmp_path / 'missing'}"),
        (tmp_path, "it is a folder"),
        (tmp_path / "file" / "r.md", f"{tmp_path / 'file'} is not a folder"),
    ]:
        for command in ("summarize", "analyze"):
            code, _, err = run(capsys, command, *SEEDS, "-l", "2s", "-o", str(target))
            assert code == 73
            assert err.strip() == f"error: {target}: cannot write the output ({reason})"


def test_a_story_too_long_to_be_news_exits_2_and_the_limit_can_be_raised(
    capsys, tmp_path, embedder
):
    big = tmp_path / "book.txt"
    sentence = "The council met on Monday and approved the new budget for the city schools. "
    big.write_text(sentence * 60, encoding="utf-8")  # 4,560 characters
    for cmd in ("summarize", "analyze"):
        code, _, err = run(capsys, cmd, str(big), SEEDS[0], "--max-chars", "3000")
        assert code == 2, err
        assert "characters of text (the longest, book, 4,560)" in err
        assert "over the 3,000 one story may hold" in err and "--max-chars" in err
    code, out, _ = run(capsys, "summarize", str(big), SEEDS[0], "--max-chars", "100000")
    assert code == 0 and out


def test_stdin_and_file_together(capsys, monkeypatch, embedder):
    import io

    with open(SEEDS[0], "rb") as fh:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(fh.read())))
    code, out, _ = run(capsys, "summarize", "-", SEEDS[1], "-f", "text", "-l", "2s")
    assert code == 0 and "[2]" in out


def test_endless_stdin_is_refused_at_the_limit_not_read_forever(capsys, monkeypatch):
    class Endless:  # like `yes | newsweave summarize -`
        def read(self, n=-1):
            assert n >= 0, "stdin read without a limit"
            return b"y\n" * (n // 2 + 1)

    monkeypatch.setattr(sys, "stdin", type("Stdin", (), {"buffer": Endless()})())
    code, out, err = run(capsys, "summarize", "-", "--max-bytes", "1000")
    assert code == 2 and out == ""
    assert err.startswith("error: stdin: input is over the 1000 bytes limit;")


def test_batch_jsonl(capsys, tmp_path, embedder):
    rows = []
    for k in range(3):
        docs = [{"id": f"d{i}", "text": open(p).read()} for i, p in enumerate(SEEDS)]
        rows.append(json.dumps({"id": f"story-{k}", "documents": docs}))
    src = tmp_path / "set.jsonl"
    src.write_text("\n".join(rows) + "\n")
    code, out, _ = run(capsys, "summarize", str(src), "--no-progress", "-l", "50w")
    assert code == 0
    lines = [json.loads(x) for x in out.splitlines()]
    assert [x["id"] for x in lines] == ["story-0", "story-1", "story-2"]
    assert all(x["summary"] for x in lines)


def test_analyze_is_not_dropped_from_batch_lines_nor_silently_from_text(capsys, tmp_path):
    docs = [{"id": f"d{i}", "text": open(p).read()} for i, p in enumerate(SEEDS)]
    src = tmp_path / "set.jsonl"
    src.write_text(json.dumps({"id": "s", "documents": docs}) + "\n")
    args = ("--analyze", "--embedder", "tfidf", "-l", "2s", "--no-progress")
    code, out, err = run(capsys, "summarize", str(src), *args)
    assert code == 0, err
    (row,) = [json.loads(x) for x in out.splitlines()]
    assert row["analysis"]["schema"] == "newsweave.analysis/1" and row["analysis"]["quotes"]
    code, out, err = run(capsys, "summarize", *SEEDS, *args, "-f", "text")
    assert code == 2 and out == ""
    assert "--format text has no room for the cross-source analysis" in err
    code, out, _ = run(capsys, "demo", "-f", "text", "-l", "2s", "--embedder", "tfidf")
    assert code == 0 and "[1]" in out


def test_single_article_warns_but_works(capsys, embedder):
    code, out, err = run(capsys, "summarize", SEEDS[0], "-l", "2s")
    assert code == 0 and "only one article" in err and out


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "empty"), (b"   \n\n", "whitespace"), (b"\x00\x01\x02\x03binary\x00" * 50, "binary")],
)
def test_bad_files_exit_nonzero_with_reason(capsys, tmp_path, content, reason):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    code, _, err = run(capsys, "summarize", str(bad))
    assert code != 0
    assert "bad.txt" in err and reason in err.lower()


def test_missing_input(capsys, tmp_path):
    code, _, err = run(capsys, "summarize", str(tmp_path / "nope.txt"))
    assert code != 0 and "nope.txt" in err


def test_no_input_is_a_usage_error(capsys):
    code, _, err = run(capsys, "summarize")
    assert code == 2 and "INPUT" in err


def test_invalid_length(capsys):
    code, _, err = run(capsys, "summarize", *SEEDS, "--length", "lots")
    assert code == 2 and "invalid length" in err


def test_console_script_cold_run(tmp_path):
    """The installed command works end to end in a fresh process."""
    proc = subprocess.run(
        [sys.executable, "-m", "newsweave.cli", "summarize", *SEEDS, "-l", "2s", "-f", "json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert len(json.loads(proc.stdout)["summary"]) <= 2


def test_huge_file_is_refused_with_the_limit(capsys, tmp_path):
    big = tmp_path / "huge.txt"
    line = b"The council met on Monday and approved the budget for the coming year.\n"
    with big.open("wb") as fh:
        for _ in range(51 * 2**20 // len(line) + 1):
            fh.write(line)
    code, _, err = run(capsys, "summarize", str(big))
    assert code != 0 and "huge.txt" in err and "--max-bytes" in err


def test_max_bytes_option(capsys):
    code, _, err = run(capsys, "summarize", *SEEDS, "--max-bytes", "1000")
    assert code != 0 and "--max-bytes" in err


def test_not_english(capsys, tmp_path):
    fr = tmp_path / "fr.txt"
    fr.write_text(
        "Le président de la République a annoncé lundi que les troupes seraient retirées de la "
        "frontière. Les alliés de l'OTAN ont dit qu'ils n'avaient vu aucun signe de retrait. "
        "Le gouvernement a promis une enquête et les habitants de la région attendent des "
        "réponses depuis plusieurs semaines, selon les journaux locaux et les élus de la ville."
    )
    code, _, err = run(capsys, "summarize", str(fr), SEEDS[0])
    assert code != 0 and "fr.txt" in err and "english" in err.lower()


def test_undecodable_bytes(capsys, tmp_path):
    bad = tmp_path / "latin.txt"
    bad.write_bytes(bytes(range(128, 256)) * 40)
    code, _, err = run(capsys, "summarize", str(bad))
    assert code != 0 and "latin.txt" in err


def test_malformed_jsonl_lines_are_reported_not_dropped(capsys, tmp_path, embedder):
    docs = [{"id": f"d{i}", "text": open(p).read()} for i, p in enumerate(SEEDS)]
    src = tmp_path / "mixed.jsonl"
    src.write_text(json.dumps({"id": "ok", "documents": docs}) + "\n{not json\n")
    code, out, err = run(capsys, "summarize", str(src), "--no-progress", "-l", "30w")
    assert code == 0
    assert [json.loads(x)["id"] for x in out.splitlines()] == ["ok"]
    assert "mixed.jsonl" in err and "2" in err  # the bad line is named


def test_all_jsonl_lines_malformed(capsys, tmp_path):
    src = tmp_path / "broken.jsonl"
    src.write_text("{oops\n[1, 2\n")
    code, _, err = run(capsys, "summarize", str(src))
    assert code != 0 and "broken.jsonl" in err


def test_three_hundred_articles(capsys, tmp_path, embedder):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(300):
        (folder / f"a{i:03d}.txt").write_text(
            f"Flooding closed {i + 3} roads in the county on Tuesday, officials said. "
            f"Crews expect to reopen route {i} by Friday after the water recedes. "
            "Residents were told to avoid the river banks until further notice."
        )
    code, out, err = run(capsys, "summarize", str(folder), "-f", "json", "-l", "60w")
    assert code == 0, err
    data = json.loads(out)
    assert len(data["articles"]) == 300 and data["summary"]


def test_auto_length(capsys, embedder):
    code, out, _ = run(capsys, "summarize", *SEEDS, "-l", "auto", "-f", "json")
    assert code == 0
    data = json.loads(out)
    assert data["length"] == "210w"  # 150 + 30 per article for two articles
    assert sum(len(s["text"].split()) for s in data["summary"]) <= 210


def test_nothing_to_summarise_is_an_error(capsys, tmp_path, embedder):
    page = tmp_path / "stub.html"
    page.write_text("<html><body><div><p>Unclosed <b>tags here")
    code, out, err = run(capsys, "summarize", str(page))
    assert code != 0 and out == ""
    assert "stub" in err and "can stand alone" in err


def test_budget_too_small_for_any_sentence(capsys, embedder):
    code, out, err = run(capsys, "summarize", *SEEDS, "-l", "3w")
    assert code != 0 and out == ""
    assert "larger --length" in err


def test_batch_story_with_nothing_to_summarise_is_reported(capsys, tmp_path, embedder):
    good = [{"id": f"d{i}", "text": open(p).read()} for i, p in enumerate(SEEDS)]
    rows = [
        {"id": "good", "documents": good},
        {"id": "stub", "documents": [{"id": "x", "text": "Breaking news"}]},
    ]
    src = tmp_path / "two.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    code, out, err = run(capsys, "summarize", str(src), "--no-progress", "-l", "40w")
    assert code == 0
    lines = {x["id"]: x for x in map(json.loads, out.splitlines())}
    assert lines["good"]["summary"] and lines["stub"]["error"]
    assert "story stub" in err


def test_batch_json_is_one_valid_document(capsys, tmp_path, embedder):
    docs = [{"id": f"d{i}", "text": open(p).read()} for i, p in enumerate(SEEDS)]
    src = tmp_path / "set.jsonl"
    src.write_text("".join(json.dumps({"id": f"s{k}", "documents": docs}) + "\n" for k in range(2)))
    code, out, _ = run(capsys, "summarize", str(src), "-f", "json", "--no-progress", "-l", "30w")
    assert code == 0
    reports = json.loads(out)
    assert [r["id"] for r in reports] == ["s0", "s1"]


def test_batch_html_is_refused_not_pages_glued_together(capsys, tmp_path):
    docs = [{"id": f"d{i}", "text": open(p).read()} for i, p in enumerate(SEEDS)]
    src = tmp_path / "set.jsonl"
    src.write_text("".join(json.dumps({"id": f"s{k}", "documents": docs}) + "\n" for k in range(2)))
    out_file = tmp_path / "report.html"
    code, out, err = run(capsys, "summarize", str(src), "-f", "html", "-o", str(out_file))
    assert code == 2 and out == ""
    assert "--format html makes one page for one story" in err and "2 stories" in err
    assert not out_file.exists()


def test_one_story_jsonl_can_be_one_html_page(capsys, tmp_path, embedder):
    docs = [{"id": f"d{i}", "text": open(p).read()} for i, p in enumerate(SEEDS)]
    src = tmp_path / "set.jsonl"
    src.write_text(json.dumps({"id": "s0", "documents": docs}) + "\n")
    code, out, _ = run(capsys, "summarize", str(src), "-f", "html", "-l", "30w")
    assert code == 0 and out.count("<html") == 1 and out.rstrip().endswith("</html>")


@pytest.mark.parametrize("command", ["summarize", "eval", "serve"])
def test_an_unknown_embedder_from_the_environment_says_so(capsys, monkeypatch, command):
    monkeypatch.setenv("NEWSWEAVE_EMBEDDER", "nope")
    args = {"summarize": [*SEEDS], "eval": [SEEDS[0]], "serve": ["--port", "0"]}[command]
    code, _, err = run(capsys, command, *args)
    assert code == 2
    assert err.startswith("error: unknown embedder 'nope'; available: ")
    assert err.rstrip().endswith("(set by $NEWSWEAVE_EMBEDDER)")
    if command != "eval":  # eval reads its set first
        code, _, err = run(capsys, command, *args, "--embedder", "nope2")  # the option: no note
        assert code == 2 and err.rstrip().endswith("tfidf")


def test_the_suite_runs_with_none_of_the_users_newsweave_settings():
    # tests/conftest.py drops $NEWSWEAVE_* at start: a user's NEWSWEAVE_DB
    # made the `serve` tests fail, NEWSWEAVE_LENGTH or _EMBEDDER changed what
    # the commands under test did
    import os

    assert [n for n in os.environ if n.startswith("NEWSWEAVE_")] == []


def test_an_optional_part_not_installed_exits_3_saying_what_to_install(capsys, monkeypatch):
    # README: `3` an optional part is not installed (the line says what to install)
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # `import uvicorn` now fails
    code, out, err = run(capsys, "serve", "--port", "8123")
    assert code == 3 and out == ""
    assert err == (
        "error: the web server (uvicorn) is not installed. "
        "Install it with: pip install 'newsweave[web]'\n"
    )


def test_a_bug_exits_70_in_one_line_and_the_debug_variable_shows_the_traceback(capsys, monkeypatch):
    # README: `70` an internal error (a bug: one line, NEWSWEAVE_DEBUG=1 shows the traceback)
    import newsweave.pipeline

    def bug(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(newsweave.pipeline, "summarize", bug)
    code, out, err = run(capsys, "summarize", *SEEDS)
    assert code == 70 and out == ""
    assert err.splitlines() == [
        "internal error: RuntimeError: boom",
        "This is a bug in newsweave; set NEWSWEAVE_DEBUG=1 to see the traceback.",
    ]
    monkeypatch.setenv("NEWSWEAVE_DEBUG", "1")
    with pytest.raises(RuntimeError, match="^boom$"):
        main(["summarize", *SEEDS])


def test_batch_stories_with_one_id_are_reported_apart_not_under_one_id(capsys, tmp_path, embedder):
    """Two batch files numbering their stories alike (or one file repeating an id)
    gave several output lines with the same id, and nothing said so."""
    docs = [{"id": f"d{i}", "text": open(p).read()} for i, p in enumerate(SEEDS)]
    for name in ("a", "b"):
        (tmp_path / f"{name}.jsonl").write_text(json.dumps({"id": "1", "documents": docs}) + "\n")
    code, out, err = run(
        capsys,
        "summarize",
        str(tmp_path / "a.jsonl"),
        str(tmp_path / "b.jsonl"),
        "--no-progress",
        "-l",
        "1s",
    )
    assert code == 0
    assert [json.loads(x)["id"] for x in out.splitlines()] == ["1", "1-2"]
    assert "b.jsonl" in err and "1-2" in err
