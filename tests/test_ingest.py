"""Path walking and cluster assembly: files, directories, stdin, side-cars, warnings.

The texts and the ``write`` helper here are shared with ``test_decode`` and
``test_formats``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from newsweave.errors import InputError
from newsweave.ingest import load_inputs

ROOT = Path(__file__).resolve().parents[1]
FIX = Path(__file__).parent / "fixtures"
SAMPLE = ROOT / "newsweave" / "data" / "sample"

ENGLISH = (
    "The city council voted on Tuesday to build a new library in the town centre. "
    "The project will cost about 12 million dollars and should open in two years, "
    "the mayor said after the meeting. Residents have asked for a larger library for "
    "a long time, and the old building was too small for the number of visitors."
)
GERMAN = (
    "Der Stadtrat hat am Dienstag beschlossen, im Zentrum eine neue Bibliothek zu bauen. "
    "Das Projekt wird etwa zwölf Millionen Euro kosten und soll in zwei Jahren eröffnet "
    "werden, sagte der Bürgermeister nach der Sitzung. Die Bürger hatten sich seit langem "
    "eine größere Bibliothek gewünscht, denn das alte Gebäude war zu klein."
)


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- good input
def test_plain_files_form_one_story(tmp_path):
    a = write(tmp_path / "one.txt", ENGLISH)
    b = write(tmp_path / "two.txt", "Headline here\n\n" + ENGLISH)
    (cluster,) = load_inputs([str(a), str(b)])
    assert [x.id for x in cluster.articles] == ["one", "two"]
    assert cluster.articles[0].text == ENGLISH
    assert cluster.articles[0].title is None
    assert cluster.articles[1].title == "Headline here"
    assert cluster.articles[0].origin == str(a)
    assert cluster.warnings == []


def test_directory_recursive_sorted_skips_hidden(tmp_path):
    write(tmp_path / "b.txt", ENGLISH)
    write(tmp_path / "sub" / "a.txt", ENGLISH)
    write(tmp_path / ".hidden.txt", ENGLISH)
    write(tmp_path / ".git" / "x.txt", ENGLISH)
    (cluster,) = load_inputs([str(tmp_path)])
    assert [x.id for x in cluster.articles] == ["b", "a"]
    assert cluster.id == tmp_path.name


def test_sample_dir_uses_meta_sidecar():
    (cluster,) = load_inputs([str(SAMPLE)])
    ids = {a.id: a for a in cluster.articles}
    assert set(ids) == {"reuters", "second-outlet"}
    assert ids["reuters"].outlet == "Reuters"
    assert ids["reuters"].date == "2014-05-19"
    assert ids["second-outlet"].title.startswith("US wants")


def test_named_files_use_their_folders_meta_sidecar():
    names = [str(SAMPLE / "reuters.txt"), str(SAMPLE / "second-outlet.txt")]
    (named,) = load_inputs(names)
    (whole,) = load_inputs([str(SAMPLE)])
    meta = [(a.id, a.title, a.outlet, a.date) for a in named.articles]
    assert meta == [(a.id, a.title, a.outlet, a.date) for a in whole.articles]
    assert named.articles[0].outlet == "Reuters"
    assert named.articles[1].title.startswith("US wants")
    assert named.warnings == []


def test_sidecar_for_relative_names_fills_only_missing_fields(tmp_path, monkeypatch):
    write(tmp_path / "a.txt", ENGLISH)
    write(tmp_path / "b.json", json.dumps({"text": ENGLISH, "outlet": "Wire"}))
    sidecar = {"a.txt": {"title": "A", "date": "2020-01-02"}, "b.json": {"outlet": "X"}}
    write(tmp_path / "meta.json", json.dumps(sidecar))
    monkeypatch.chdir(tmp_path)
    for names in (["a.txt", "b.json"], ["a.txt", "b.json", "meta.json"]):
        (cluster,) = load_inputs(names)
        a, b = cluster.articles
        assert (a.title, a.date, a.outlet) == ("A", "2020-01-02", None)
        assert b.outlet == "Wire"  # the article's own metadata wins
        assert cluster.warnings == []


def test_unusable_meta_json_next_to_named_files(tmp_path):
    a = write(tmp_path / "a.txt", ENGLISH)
    write(tmp_path / "meta.json", '{"a.txt": {"title": ')
    (cluster,) = load_inputs([str(a)])
    assert cluster.articles[0].title is None
    (warning,) = cluster.warnings
    assert warning.startswith(f"ignored side-car {tmp_path / 'meta.json'}: not valid JSON")
    # a JSON file of another layout called meta.json is not a side-car
    write(tmp_path / "meta.json", json.dumps({"documents": [{"text": ENGLISH}]}))
    (cluster,) = load_inputs([str(a)])
    assert cluster.articles[0].title is None and cluster.warnings == []


def test_a_nul_in_a_meta_json_value_is_refused_naming_the_side_car(tmp_path):
    # a side-car's "\\u0000" reached the article's metadata and the output
    a = write(tmp_path / "a.txt", ENGLISH)
    write(tmp_path / "meta.json", json.dumps({"a.txt": {"outlet": "Wi\x00re"}}))
    for names in ([str(a)], [str(tmp_path)]):
        with pytest.raises(
            InputError,
            match=rf"^{re.escape(str(tmp_path / 'meta.json'))} \(a\.txt\): the 'outlet' holds NUL",
        ):
            load_inputs(names)


def test_duplicate_ids_get_suffixes(tmp_path):
    a = write(tmp_path / "x" / "story.txt", ENGLISH)
    b = write(tmp_path / "y" / "story.txt", ENGLISH)
    (cluster,) = load_inputs([str(a), str(b)])
    assert [x.id for x in cluster.articles] == ["story", "story-2"]


def test_stdin_text():
    (cluster,) = load_inputs(["-"], stdin=ENGLISH.encode())
    (art,) = cluster.articles
    assert art.origin == "stdin" and art.text == ENGLISH
    (cluster,) = load_inputs([], stdin=ENGLISH.encode())
    assert cluster.articles[0].origin == "stdin"


# ----------------------------------------------------------------- bad input
def test_missing_path():
    with pytest.raises(InputError, match=r"nope\.txt: no such file or directory"):
        load_inputs(["nope.txt"])


@pytest.mark.parametrize("wrap", [str, Path])
def test_a_single_path_not_in_a_list_is_named(tmp_path, wrap):
    (tmp_path / "a.txt").write_text(ENGLISH)
    # a string was read one character a time ("/: ..." or "n: no such file"), a Path raised TypeError
    with pytest.raises(
        InputError, match=r"^paths must be a list of paths, not a single path: pass \["
    ):
        load_inputs(wrap(tmp_path))
    (cluster,) = load_inputs(p for p in [wrap(tmp_path / "a.txt")])  # any iterable of str or Path
    assert [a.id for a in cluster.articles] == ["a"]


def test_no_input():
    with pytest.raises(InputError, match="no input given"):
        load_inputs([])


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "the input is empty"),
        ("blob.bin", b"abc\x00\x01\x02" * 100, "looks like a binary file"),
        ("de.txt", GERMAN.encode(), "text appears not to be English"),
    ],
)
def test_bad_named_file_is_refused_with_its_name(tmp_path, name, data, reason):
    p = write(tmp_path / name, data)
    with pytest.raises(InputError, match=rf"^{re.escape(str(p))}: {reason}"):
        load_inputs([str(p)])


def test_decoding_warning_reaches_the_cluster(tmp_path):
    data = ("“Café owners,” the mayor said. " + ENGLISH).encode("cp1252")
    p = write(tmp_path / "old.txt", data)
    (cluster,) = load_inputs([str(p)])
    assert cluster.articles[0].text.startswith("“Café owners,”")
    assert len(cluster.warnings) == 1 and "not valid UTF-8" in cluster.warnings[0]
    assert "old.txt" in cluster.warnings[0]


def test_file_over_limit(tmp_path):
    p = write(tmp_path / "big.txt", ENGLISH * 10)
    with pytest.raises(InputError) as exc:
        load_inputs([str(p)], max_bytes=1000)
    msg = str(exc.value)
    assert "big.txt" in msg and "limit" in msg and "max_bytes" in msg and "--max-bytes" in msg
    with pytest.raises(InputError, match="stdin: .*limit"):
        load_inputs(["-"], stdin=b"x" * 2000, max_bytes=1000)


def test_non_english_file(tmp_path):
    p = write(tmp_path / "de.txt", GERMAN)
    with pytest.raises(InputError, match=r"de\.txt: text appears not to be English"):
        load_inputs([str(p)])
    (cluster,) = load_inputs([str(p)], check_language=False)
    assert cluster.articles[0].text == GERMAN


def test_directory_skips_bad_files_with_warnings(tmp_path):
    write(tmp_path / "good.txt", ENGLISH)
    write(tmp_path / "empty.txt", "")
    write(tmp_path / "de.txt", GERMAN)
    write(tmp_path / "img.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50)
    (cluster,) = load_inputs([str(tmp_path)])
    assert [a.id for a in cluster.articles] == ["good"]
    text = "\n".join(cluster.warnings)
    for name in ("empty.txt", "de.txt", "img.png"):
        assert name in text
    assert len(cluster.warnings) == 3


def test_directory_skips_pipes_instead_of_waiting_on_them(tmp_path):
    import os

    write(tmp_path / "good.txt", ENGLISH)
    os.mkfifo(tmp_path / "pipe")  # nobody writes to it: opening it would block
    (cluster,) = load_inputs([str(tmp_path)])
    assert [a.id for a in cluster.articles] == ["good"]
    assert cluster.warnings == [
        f"skipped {tmp_path / 'pipe'}: not a regular file (a pipe, socket or device)"
    ]


def test_directory_follows_links_to_folders_once(tmp_path):
    import os

    root, other = tmp_path / "in", tmp_path / "elsewhere"
    root.mkdir()
    other.mkdir()
    write(root / "a.txt", ENGLISH)
    write(other / "b.txt", ENGLISH.replace("council", "committee"))
    os.symlink(other, root / "linked")  # a folder kept elsewhere, linked into the inbox
    os.symlink(root, other / "back")  # and a loop back: read once, never forever
    (cluster,) = load_inputs([str(root)])
    assert sorted(a.id for a in cluster.articles) == ["a", "b"]


def test_an_input_given_twice_is_read_once_with_a_warning(tmp_path):
    import os

    a = write(tmp_path / "in" / "a.txt", ENGLISH)
    write(tmp_path / "in" / "b.txt", ENGLISH.replace("council", "committee"))
    os.symlink(a, tmp_path / "alias.txt")
    (cluster,) = load_inputs([str(a), str(tmp_path / "in"), str(tmp_path / "alias.txt")])
    assert sorted(x.id for x in cluster.articles) == ["a", "b"]
    assert cluster.warnings == [
        f"{a}: given more than once; read once",
        f"{tmp_path / 'alias.txt'}: given more than once (as {a}); read once",
    ]
    data = ENGLISH.encode()
    (alone,) = load_inputs(["-", "-"], stdin=data)
    assert len(alone.articles) == 1 and "-: given more than once; read once" in alone.warnings
    dump = write(tmp_path / "d.jsonl", json.dumps({"id": "c", "documents": [{"text": ENGLISH}]}))
    assert [c.id for c in load_inputs([str(dump), str(dump)])] == ["c"]


def test_file_names_that_are_not_utf8_are_escaped_in_ids_and_origins(tmp_path):
    """``os.fsdecode`` gives a Latin-1 file name lone surrogates, which no UTF-8
    output can hold (summarize -o failed with exit 70): written \\xNN."""
    import os

    from newsweave.pipeline import summarize
    from newsweave.render import render

    folder = tmp_path / "in"
    write(folder / "b.txt", ENGLISH.replace("council", "committee"))
    with open(os.fsencode(folder) + b"/caf\xe9.txt", "wb") as fh:
        fh.write(ENGLISH.encode("utf-8"))
    named = os.fsdecode(os.fsencode(folder) + b"/caf\xe9.txt")
    for paths in ([str(folder)], [named, str(folder / "b.txt")]):
        (cluster,) = load_inputs(paths)
        arts = {a.id: a.origin for a in cluster.articles}
        assert arts["caf\\xe9"] == f"{folder}/caf\\xe9.txt"
        report = summarize(cluster.articles, length="2s", embedder="tfidf")
        for fmt in ("md", "json", "html", "text"):
            render(report, fmt).encode("utf-8")
    (alone,) = load_inputs([named])
    assert alone.id == "caf\\xe9" and alone.origin == f"{folder}/caf\\xe9.txt"


def test_directory_without_readable_files(tmp_path):
    write(tmp_path / "empty.txt", "")
    write(tmp_path / "blob.bin", b"\x00\x01" * 10)
    with pytest.raises(InputError, match="directory has no readable articles"):
        load_inputs([str(tmp_path)])
    empty = tmp_path / "nothing"
    empty.mkdir()
    with pytest.raises(InputError, match="nothing: directory has no readable articles"):
        load_inputs([str(empty)])


# ----------------------------------------------------------------- scale
def test_load_300_articles(tmp_path):
    for i in range(300):
        write(tmp_path / f"art{i:03d}.txt", f"Story {i}.\n\n" + ENGLISH)
    (cluster,) = load_inputs([str(tmp_path)])  # speed: scripts/bench_speed.py, not a timed test
    assert len(cluster.articles) == 300
    assert [a.id for a in cluster.articles] == [f"art{i:03d}" for i in range(300)]
    assert all(a.text.startswith(f"Story {i}.\n") for i, a in enumerate(cluster.articles))


def test_public_names_stay_importable_from_ingest():
    from newsweave import decode, formats, ingest

    assert ingest.read_text_bytes is decode.read_text_bytes
    assert ingest.is_probably_english is decode.is_probably_english
    assert ingest.articles_from_texts is formats.articles_from_texts
    assert ingest.MAX_BYTES == decode.MAX_BYTES == 50 * 2**20
