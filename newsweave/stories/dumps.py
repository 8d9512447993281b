"""JSONL dumps for the story commands: a dump read as units of lines.

A dump is read in chunks of lines (:func:`jsonl_units`), never held whole:
a line over the size limit is skipped unread, a UTF-16/32 dump is re-encoded
line by line. As for the core reader, the first line that parses decides
the dump's form, one article per line or one cluster per line, for the
whole file: :func:`keep_form` skips the lines of the other form in every
unit, also in one whose own first line is of the other form.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..decode import byte_size
from ..errors import InputError
from ..jsonin import OTHER_FORM, is_article
from ..records import Article
from .sources import _STDIN_LINE, ENV_LINES, LINES_PER_UNIT, FileMark, Read, Unit


def line_form(line: bytes) -> str | None:
    """``"articles"`` for a line holding one article (``{"text", ...}``
    without a cluster's keys), ``"clusters"`` for any other JSON, None for a
    line that does not parse (as :func:`newsweave.jsonin.first_object`)."""
    if not line.strip():
        return None
    try:
        obj = json.loads(line)
    except ValueError:
        return None
    return "articles" if is_article(obj) else "clusters"


def keep_form(data: bytes, form: str | None, path: str, start: int) -> tuple[bytes, list[str]]:
    """``data`` (a unit's lines, from line ``start`` of ``path``) with the
    lines of another form than the dump's ``form`` blanked (they keep their
    numbers), and a warning for each. Only a unit whose own first parsed
    line has another form (which would decide it) is looked at line by line."""
    lines = data.split(b"\n")
    first = next((f for f in map(line_form, lines) if f), None)
    if form is None or first in (None, form):
        return data, []
    kept: list[bytes] = []
    warns: list[str] = []
    for i, line in enumerate(lines):
        if line_form(line) not in (None, form):
            warns.append(f"skipped {path}:{start + i}: {OTHER_FORM[form]}")
            line = b""
        kept.append(line)
    return b"\n".join(kept), warns


def _unit(
    path: Path,
    nbytes: int,
    start: int,
    lines: list[bytes],
    skipped: list[str],
    form: str | None,
    done: list[FileMark] | None = None,
) -> Unit:
    data = b"".join(lines)
    return Unit(
        "jsonl", [str(path)], nbytes, start, data, done=done or [], skipped=skipped, form=form
    )


def _wide_encoding(path: Path) -> str | None:
    """``utf-32`` / ``utf-16`` for a file that starts with their byte-order
    mark (Windows PowerShell writes UTF-16 by default), else None."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4)
    except OSError:
        head = b""
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "utf-32"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    return None


@contextmanager
def _lines(path: Path) -> Iterator[Callable[[int], bytes]]:
    """``readline(size)`` over the file's lines as bytes; those of a
    UTF-16/32 file re-encoded as UTF-8 (its b"\\n" bytes are not line ends,
    and only the first chunk of lines would hold the byte-order mark)."""
    wide = _wide_encoding(path)
    if wide is None:
        with path.open("rb") as fh:
            yield fh.readline
        return
    with path.open(encoding=wide, errors="replace", newline="\n") as text:
        yield lambda size: text.readline(size).encode("utf-8")


def _bounded_lines(readline: Callable[[int], bytes], limit: int) -> Iterator[bytes | int]:
    """The lines ``readline`` gives; of a line over ``limit`` bytes only its
    size (it is never held whole in memory)."""
    while line := readline(limit + 1):
        if len(line.rstrip(b"\r\n")) <= limit:
            yield line
            continue
        size = len(line)
        while not line.endswith(b"\n") and (line := readline(2**20)):
            size += len(line)
        yield size


def jsonl_units(path: Path, mark: FileMark, max_bytes: int) -> Iterator[Unit]:
    """The units of the JSONL dump ``path`` (see :func:`_line_units`)."""
    try:
        with _lines(path) as readline:
            yield from _line_units(path, _bounded_lines(readline, max_bytes), mark, max_bytes)
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def _lines_per_unit() -> int:
    """``NEWSWEAVE_INGEST_LINES`` (default 400); anything but a positive whole
    number is refused naming the variable."""
    raw = os.environ.get(ENV_LINES, "").strip()
    if not raw:
        return LINES_PER_UNIT
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise InputError(f"{ENV_LINES} must be a positive integer (lines per unit), got {raw!r}")
    return value


def _line_units(
    path: Path, lines_in: Iterator[bytes | int], mark: FileMark, max_bytes: int
) -> Iterator[Unit]:
    """Units of at most ``NEWSWEAVE_INGEST_LINES`` lines and ``max_bytes``; a
    line over ``max_bytes`` (its size) stays an empty line, so that the
    lines after it keep their numbers, and a warning of the unit. Each unit
    carries the dump's form, decided by its first line that parses."""
    per_unit = _lines_per_unit()
    lines: list[bytes] = []
    skipped: list[str] = []
    nbytes, start, lineno, whole = 0, 1, 0, True
    form: str | None = None
    for line in lines_in:
        lineno += 1
        if isinstance(line, int):
            skipped.append(
                f"skipped {path}:{lineno}: a line of {byte_size(line)}, over the "
                f"{byte_size(max_bytes)} limit; raise it with --max-bytes (the file is "
                "read again by the next run)"
            )
            line, whole = b"\n", False
        if lines and nbytes + len(line) > max_bytes:
            yield _unit(path, nbytes, start, lines, skipped, form)
            lines, skipped, nbytes, start = [], [], 0, lineno
        lines.append(line)
        nbytes += len(line)
        form = form or line_form(line)
        if len(lines) >= per_unit:
            yield _unit(path, nbytes, start, lines, skipped, form)
            lines, skipped, nbytes, start = [], [], 0, lineno + 1
    done = [mark] if whole else []  # a line left unread: the next run reads the file again
    yield _unit(path, nbytes, start, lines, skipped, form, done)


def _unit_lines(unit: Unit) -> str:
    """``path:first-last``, the lines of a dump's ``unit`` (``path:N`` for one);
    the last line need not end with a newline."""
    data = unit.data
    last = unit.start + max(1, data.count(b"\n") + (not data.endswith(b"\n"))) - 1
    span = str(unit.start) if last == unit.start else f"{unit.start}-{last}"
    return f"{unit.paths[0]}:{span}"


def read_jsonl(unit: Unit) -> Read:
    """Articles of a unit of a dump's lines (see :func:`.sources.read_unit`)."""
    from ..ingest import load_inputs

    path = unit.paths[0]
    stem = Path(path).stem

    def where(text: str) -> str:
        return _STDIN_LINE.sub(lambda m: f"{path}:{int(m.group(1)) + unit.start - 1}", text)

    data, other = keep_form(unit.data, unit.form, path, unit.start)
    if not data.strip():
        return Read([], [], [*unit.skipped, *other])
    try:
        clusters = load_inputs(  # a dump's lines
            ["-"],
            stdin=data,
            stdin_ext=".jsonl",
            max_bytes=max(unit.max_bytes, len(data)),
        )
    except InputError as exc:
        reason = where(str(exc)).removeprefix("stdin: ")  # the prefix names the lines
        warns = [*unit.skipped, *other, f"skipped {_unit_lines(unit)}: {reason}"]
        return Read([], [], warns, failed=[path])  # not done: the next run reads it again
    arts: list[Article] = []
    owners: list[str | None] = []
    warns: list[str] = [*unit.skipped, *other]
    for c in clusters:
        warns.extend(where(w) for w in c.warnings)
        if c.origin == "stdin":  # a dump of one article per line: no cluster of its own
            for a in c.articles:
                m = _STDIN_LINE.fullmatch(a.id)
                if m:  # the line had no id: name it after the dump's line number
                    a.id = f"{stem}:{int(m.group(1)) + unit.start - 1}"
                a.id = _given_id(a, data)
                a.origin = where(a.origin or "")
                arts.append(a)
                owners.append(None)
            continue
        cid = c.id
        m = _STDIN_LINE.fullmatch(cid)
        if m:  # the line had no id: name it after the dump's line number
            cid = f"{stem}:{int(m.group(1)) + unit.start - 1}"
        for a in c.articles:
            a.meta["doc_id"] = a.id
            a.id = f"{cid}/{a.id}"
            a.origin = where(a.origin or "")
            arts.append(a)
            owners.append(cid)
    return Read(arts, owners, warns)


def _given_id(article: Article, data: bytes) -> str:
    """The id a dump's line gave ``article``: the core reader makes an id
    repeated within the lines it reads ``id-2``, silently, while a repeat in
    a later unit or run is stored as ``id~<hash prefix>`` with a warning
    (ingest.py); read back, the repeat is treated the same wherever it is."""
    m = re.fullmatch(r"(.+)-\d+", article.id)
    where = _STDIN_LINE.fullmatch(article.origin or "")
    if not m or not where:
        return article.id
    lines = data.split(b"\n")
    n = int(where.group(1))
    try:
        given = json.loads(lines[n - 1]).get("id") if n <= len(lines) else None
    except ValueError:
        return article.id
    if isinstance(given, int | float) and not isinstance(given, bool):
        given = str(given)
    if not isinstance(given, str) or re.sub(r"\s+", "_", given.strip()) != m.group(1):
        return article.id
    return m.group(1)
