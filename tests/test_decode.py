"""Decoding bytes into checked text: encodings, binary input, size, English."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_ingest import ENGLISH, GERMAN, ROOT, write

from newsweave.decode import check_english, is_probably_english, read_file_bytes, read_text_bytes
from newsweave.errors import InputError


def test_crlf_and_bom_are_normalised():
    text, warns = read_text_bytes(b"\xef\xbb\xbfLine one.\r\nLine two.\r\n", "x")
    assert text == "Line one.\nLine two.\n" and warns == []


def test_utf16_with_bom():
    text, warns = read_text_bytes(("Line one.\r\n" + ENGLISH).encode("utf-16"), "x")
    assert text == "Line one.\n" + ENGLISH and warns == []


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_without_bom_and_utf32(codec):
    source = "“Line one,” he said.\r\n" + ENGLISH
    text, warns = read_text_bytes(source.encode(codec), "x")
    assert text == "“Line one,” he said.\n" + ENGLISH and warns == []


def test_nul_bytes_that_are_not_utf16_are_still_binary():
    with pytest.raises(InputError, match="contains NUL bytes"):
        read_text_bytes(b"A\x00B\x00C\x00D\x00E\x00\x00\x00F\x00G\x00" + b"text\x00" * 20, "x")


BAD_BYTES = [
    (b"", "the input is empty"),
    (b"\xef\xbb\xbf", "the input is empty"),  # a byte-order mark only
    (b"\xff\xfe", "the input is empty"),
    (b"\xef\xbb\xbf \r\n", "the input contains only whitespace"),
    (b"  \n\t\n ", "the input contains only whitespace"),
    (b"abc\x00\x01\x02" * 100, "looks like a binary file .contains NUL bytes"),
    (b"%PDF-1.7\n" + bytes(range(128, 256)) * 10, "looks like a PDF document"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "looks like a PNG image"),
    (bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15]) * 50 + b"text", "looks like a binary file"),
    (bytes(range(128, 256)) * 20, "cannot decode the bytes as text"),
]


@pytest.mark.parametrize(("data", "reason"), BAD_BYTES)
def test_bad_bytes_are_refused_with_name_and_reason(data, reason):
    with pytest.raises(InputError, match=rf"^in\.txt: {reason}"):
        read_text_bytes(data, "in.txt")


def test_cp1252_fallback_warns():
    data = ("“Café owners,” the mayor said. " + ENGLISH).encode("cp1252")
    text, warns = read_text_bytes(data, "old.txt")
    assert text.startswith("“Café owners,”")
    assert warns == ["old.txt: not valid UTF-8; read as Windows-1252 (check accented characters)"]


def test_mixed_utf8_and_cp1252_keeps_the_utf8_text():
    # a UTF-8 file with one stray Windows-1252 byte (an appended "café")
    data = "The Kremlín said “no”. ".encode() + ENGLISH.encode() + " café".encode("cp1252")
    text, warns = read_text_bytes(data, "mixed.txt")
    assert text == "The Kremlín said “no”. " + ENGLISH + " café"
    assert warns == [
        "mixed.txt: not valid UTF-8; read as Windows-1252 where it is not "
        "(1 byte, the rest as UTF-8) (check accented characters)"
    ]
    # Latin-1 bytes that Windows-1252 leaves undefined are kept as Latin-1
    text, _ = read_text_bytes(ENGLISH.encode() + b" \x81\xe9", "x")
    assert text.endswith(" \x81é")


def test_read_file_bytes_limit_and_errors(tmp_path):
    p = write(tmp_path / "big.txt", ENGLISH * 10)
    assert read_file_bytes(p, "big.txt", len(ENGLISH) * 10) == (ENGLISH * 10).encode()
    with pytest.raises(InputError) as exc:
        read_file_bytes(p, "big.txt", 1000)
    msg = str(exc.value)
    assert msg.startswith("big.txt: input is") and "limit" in msg and "--max-bytes" in msg
    with pytest.raises(InputError, match=r"^zero: input is over the 1000 bytes limit;"):
        read_file_bytes(Path("/dev/zero"), "zero", 1000)  # no size to tell: read to the limit
    with pytest.raises(InputError, match="gone.txt: cannot be read"):
        read_file_bytes(tmp_path / "gone.txt", "gone.txt", 1000)
    with pytest.raises(InputError, match="dir: cannot be read"):
        read_file_bytes(tmp_path, "dir", 10**6)


# -------------------------------------------------------------- English check
def test_is_probably_english():
    assert is_probably_english(ENGLISH)
    assert not is_probably_english(GERMAN)
    assert not is_probably_english(
        "Le président de la République a annoncé lundi une série de mesures pour soutenir "
        "le pouvoir d'achat des ménages. Les syndicats ont salué ces annonces mais demandent "
        "davantage de garanties sur les salaires et les retraites dans les mois à venir."
    )
    assert not is_probably_english("Президент России Владимир Путин приказал войскам " * 5)
    # permissive for short texts and names
    assert is_probably_english("Angela Merkel")
    assert is_probably_english("Der Spiegel: Merkel visits Washington")
    # lists of names and titles are still English enough
    assert is_probably_english(" ".join(["Director - Ryan Martin and the crew of the show"] * 5))


def test_short_texts_are_rejected_only_when_clearly_foreign():
    lead = (
        "Der Bundestag hat heute ein neues Gesetz beschlossen, das die Steuern für kleine "
        "Unternehmen senkt und die Bürokratie verringert."
    )
    assert len(lead.split()) < 30 and not is_probably_english(lead)
    assert not is_probably_english(
        "Le gouvernement a annoncé une nouvelle loi pour les écoles et les familles"
    )
    for english in (
        "La Liga leaders Real Madrid die hard in the derby at the Bernabeu",
        "Der Spiegel and Le Monde report the same figures as the ministry",
        "Los Angeles police said the suspect was arrested on Monday",
        "Die Linke und SPD",  # too short to judge
    ):
        assert is_probably_english(english), english


def test_short_texts_in_another_script_are_not_english():
    # CJK runs words together: a whole paragraph is a handful of "words"
    chinese = (
        "国家主席周一宣布了一系列支持受危机影响企业的措施。据经济部长称，援助将在未来几周内发放。"
    )
    russian = (
        "Путин заявил, что войска вернутся на свои базы. Министр сообщил об этом в понедельник."
    )
    arabic = "أعلن رئيس الجمهورية يوم الاثنين عن سلسلة من الإجراءات لدعم الشركات المتضررة من الأزمة"
    for text in (chinese, chinese * 3, russian, arabic):
        assert not is_probably_english(text), text
    with pytest.raises(InputError, match=r"^zh\.txt: text appears not to be English"):
        check_english(chinese, "zh.txt")
    # a name or a short title in another script is too short to judge
    for short in ("Путин", "Президент России", "北京", "Putin met Lavrov (Лавров) in Moscow"):
        assert is_probably_english(short), short


def test_all_shared_documents_pass_language_check():
    data = ROOT.parent / "shared" / "data"
    if not data.exists():
        pytest.skip("shared data not available")
    checked = 0
    for path in sorted(data.glob("*.jsonl")):
        for line in path.read_text().splitlines():
            for doc in json.loads(line)["documents"]:
                assert is_probably_english(doc["text"]), (path.name, doc["id"])
                checked += 1
    assert checked > 100  # the three data sets hold thousands of documents


def test_check_english_names_the_input():
    check_english(ENGLISH, "en.txt")
    with pytest.raises(InputError, match=r"^de\.txt: text appears not to be English"):
        check_english(GERMAN, "de.txt")
