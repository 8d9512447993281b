"""Recognise the format of one decoded input and parse it into articles.

Formats are recognised by extension and by sniffing the content:

* plain text (``.txt`` or anything textual): one article;
* HTML (``.html``/``.htm`` or a document starting like HTML): main text and
  metadata (title, date, site name, url) through ``trafilatura``;
* JSONL in the common form ``{"id", "documents": [{"id", "title"?, "text"}],
  "references", "query"?}``: one cluster per line (batch mode);
* JSON: one object of that form, ``{"articles": [...]}``, a list of them, a
  single article ``{"text": ...}``, or a ``meta.json`` side-car mapping file
  names to ``{"title", "outlet", "url", "date"}``;
* Multi-News raw text: documents joined by ``|||||`` with newlines written
  ``NEWLINE_CHAR`` (one cluster per line when the input holds several lines).

:func:`parse_input` returns a :class:`Parsed`; where its articles go (the
command line's story or clusters of their own) is decided by
:mod:`newsweave.ingest`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .boilerplate import classify_line
from .decode import SUPPORTED, check_english, normalize_newlines
from .errors import InputError, require
from .records import Article, Cluster

HTML_EXTS = {".html", ".htm", ".xhtml", ".shtml"}
JSONL_EXTS = {".jsonl", ".ndjson"}
MN_SEP = "|||||"
MN_NEWLINE = "NEWLINE_CHAR"
DOC_KEYS = ("title", "outlet", "url", "date")
CLUSTER_KEYS = {"documents", "articles", "document"}
# an RSS, Atom or RSS 1.0 (RDF) root element, after the XML prolog and comments
_FEED_ROOT = re.compile(r"(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:rdf)\b", re.S)


@dataclass
class Parsed:
    """What one input holds.

    ``story``: plain articles (text, HTML, single-article JSON, one Multi-News
    line), which join the story of the command line, with ``warnings`` for
    them; ``clusters``: clusters of their own (JSONL lines, JSON cluster
    objects, Multi-News lines), the input's warnings on the first one;
    ``sidecar``: a ``meta.json`` mapping file names to metadata.
    """

    story: list[Article] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    clusters: list[Cluster] = field(default_factory=list)
    sidecar: dict[str, Any] | None = None


# -------------------------------------------------------------------- articles
def unique_id(wanted: str, used: set[str]) -> str:
    """``wanted`` (whitespace as ``_``), suffixed ``-2``, ``-3``... if in ``used``; adds it."""
    base = re.sub(r"\s+", "_", wanted.strip()) or "a"
    new, n = base, 1
    while new in used:
        n += 1
        new = f"{base}-{n}"
    used.add(new)
    return new


def _opt_str(value: Any, key: str = "", name: str = "") -> str | None:
    """A metadata field as text: a string or a number as written, None when
    absent or blank. A list, an object or a boolean is refused, not stored as
    its Python spelling ("['a']")."""
    if value is None:
        return None
    if isinstance(value, (bool, list, dict)):
        raise InputError(
            f"{name}: the document's '{key}' must be a string, not {_json_type(value)}"
        )
    value = str(value).strip()
    return value or None


def _mn_decode(text: str) -> str:
    """Turn Multi-News ``NEWLINE_CHAR`` markers into real newlines."""
    return text.replace(MN_NEWLINE, "\n") if MN_NEWLINE in text else text


_SURROGATE = re.compile("[\ud800-\udfff]")


def check_unicode(value: str, name: str, what: str = "text") -> None:
    """Raise :class:`InputError` naming ``name`` when ``value`` holds a lone
    surrogate: JSON can write one (``"\\ud83d"``, half of an escaped pair) but
    it is not a character, and no output could be written with it."""
    m = _SURROGATE.search(value)
    if m:
        raise InputError(
            f"{name}: the {what} holds a lone surrogate \\u{ord(m.group()):04x} at character "
            f"{m.start()}, which is not valid Unicode (half of a \\u escape pair?)"
        )


def check_no_nul(text: str, name: str, what: str = "text") -> None:
    """Raise :class:`InputError` naming ``name`` when ``text`` (the article's
    ``what``) holds a NUL character: a file with NUL bytes is refused as
    binary, and a string given otherwise (JSON ``\\u0000``, the API, the web
    form) is held to the same rule, rather than judged "not English" or
    carried to the output."""
    at = text.find("\x00")
    if at >= 0:
        hint = (
            "as binary data does, not text (UTF-16 read as single bytes?); remove them "
            "or give the text as UTF-8"
            if what == "text"
            else "which is not text; remove them"
        )
        raise InputError(
            f"{name}: the {what} holds NUL characters (\\u0000, first at character {at}), {hint}"
        )


def check_metadata(art: Article, name: str) -> None:
    """Hold the id and metadata strings of ``art`` (article ``name``) to the
    rule of its text, wherever they came from (JSON, a ``meta.json``
    side-car, a feed, the Python API, the web form and API): no NUL
    character, and no lone surrogate but in the id (a file's comes from its
    name, non-UTF-8 bytes and all)."""
    if art.id:
        check_no_nul(art.id, name, "'id'")
    for key in DOC_KEYS:
        value = getattr(art, key)
        if value:
            check_unicode(value, name, f"'{key}'")
            check_no_nul(value, name, f"'{key}'")


def readable(text: str) -> bool:
    """Whether ``text`` holds a letter or digit (not only punctuation,
    symbols, emoji or control characters)."""
    return any(ch.isalnum() for ch in text)


def check_readable(text: str, name: str) -> None:
    """Raise :class:`InputError` naming ``name`` when ``text`` is not
    :func:`readable`: like an empty text, there is nothing in it to summarise
    or cite."""
    if not readable(text):
        raise InputError(
            f"{name}: the text holds no letters or digits (only punctuation, symbols "
            "or control characters): nothing to summarise"
        )


def article_from_dict(doc: Any, index: int, name: str, check_language: bool) -> Article:
    """Build one article from a JSON document (a dict or a bare string)."""
    if isinstance(doc, str):
        doc = {"text": doc}
    if not isinstance(doc, dict):
        raise InputError(f"{name}: a document must be an object with a 'text' field")
    text = doc.get("text", doc.get("body"))
    if not isinstance(text, str):
        key = "text" if "text" in doc or "body" not in doc else "body"
        if key not in doc:
            raise InputError(f"{name}: document has no 'text' string")
        raise InputError(f"{name}: the document's '{key}' must be a string, not {_json_type(text)}")
    text = _mn_decode(normalize_newlines(text))
    if not text.strip():
        raise InputError(f"{name}: document text is empty")
    check_unicode(text, name)
    check_no_nul(text, name)
    check_readable(text, name)
    if check_language:
        check_english(text, name)
    art = Article(
        id=_opt_str(doc.get("id"), "id", name) or f"a{index + 1}",
        text=text,
        title=_opt_str(doc.get("title"), "title", name),
        outlet=_opt_str(doc.get("outlet") or doc.get("source") or doc.get("site"), "outlet", name),
        url=_opt_str(doc.get("url"), "url", name),
        date=_opt_str(doc.get("date"), "date", name),
        origin=name,
    )
    check_metadata(art, name)
    return art


def articles_from_texts(
    texts: list[str] | list[dict[str, Any]],
    *,
    check_language: bool = True,
    names: list[str] | None = None,
) -> list[Article]:
    """Articles from strings or dicts (keys ``text``, ``title``, ``outlet``,
    ``url``, ``date``, ``id``) for the Python API and the web layer.

    Ids are the given ones (made unique) or ``a1..aN``. Raises
    :class:`InputError` naming the item (``names[i]``, by default
    ``article <i + 1>``) for an empty or non-English text.
    """
    if not texts:
        raise InputError("no articles given")
    used: set[str] = set()
    out = []
    for i, item in enumerate(texts):
        name = names[i] if names else f"article {i + 1}"
        art = article_from_dict(item, i, name, check_language)
        art.id = unique_id(art.id, used)
        art.origin = "api"
        out.append(art)
    return out


def _json_type(value: Any) -> str:
    """How a JSON value is named in a message: "a number", "null", "an empty list"..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string" if value.strip() else "an empty string"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    return "an object"


def _title_if_obvious(text: str) -> str | None:
    """The first line when it is clearly a headline: short, unpunctuated, set
    apart by a blank line and followed by more text, and not boilerplate that
    cleaning drops ("JavaScript is disabled", "Published on May 3, 2015")."""
    m = re.match(r"\s*([^\n]{3,150})\n[ \t]*\n\s*\S", text)
    if not m:
        return None
    line = m.group(1).strip()
    words = line.split()
    if not 2 <= len(words) <= 20 or line[-1] in ".!?:;,\"'”’)":
        return None
    if sum(w[0].isalpha() for w in words) < len(words) / 2:
        return None
    return None if classify_line(line, first=True) else line


def _articles(
    docs: list[Any], where: str, check_language: bool, stem: str | None = None
) -> tuple[list[Article], list[str]]:
    """Articles of a document list with unique ids (the given ones, else
    ``a<n>``, or ``<stem>-<n>``) and warnings for the skipped documents;
    raises when none is usable."""
    arts: list[Article] = []
    skipped: list[str] = []
    used: set[str] = set()
    for i, doc in enumerate(docs):
        try:
            art = article_from_dict(doc, i, f"{where}#{i + 1}", check_language)
        except InputError as exc:
            skipped.append(f"skipped {exc}")
            continue
        art.id = unique_id(f"{stem}-{i + 1}" if stem else art.id, used)
        arts.append(art)
    if not arts:
        raise InputError(f"{where}: no usable documents ({'; '.join(skipped[:3])})")
    return arts, skipped


# what newsweave's own outputs look like (render.py): the Markdown report's
# counts line, the HTML page's generator, a JSON report's keys, a batch line's
_MD_COUNTS = re.compile(
    r"^\*\d[\d,]* articles?, \d[\d,]* independent accounts?, length budget [^*\n]+\.\*$", re.M
)


def is_own_report(text: str) -> bool:
    """Whether ``text`` is a Markdown or HTML report newsweave wrote: such a
    file left in a folder of articles (``summarize dir/ -o dir/report.md``)
    must not be summarised as a source. JSON reports: :func:`_report_obj`."""
    head = text[:3000]
    if '<meta name="generator" content="newsweave">' in head:
        return True
    return bool(_MD_COUNTS.search(head)) and "\n## Sources\n" in text


def own_report_error(name: str) -> InputError:
    return InputError(
        f"{name}: a newsweave report (the output of a summary), not an article: "
        "not read back as a source"
    )


# ---------------------------------------------------------------------- format
def parse_input(
    text: str,
    name: str,
    path: Path | None,
    warnings: list[str],
    *,
    check_language: bool = True,
    ext: str | None = None,
) -> Parsed:
    """Recognise the format of ``text`` (the decoded input called ``name``,
    read from ``path`` or stdin when None) and parse it.

    ``warnings`` (from decoding) end up with the input's articles. ``ext``
    (e.g. ``".jsonl"``) states the format of an input without a path (a
    chunk of a known file); otherwise it is the path's suffix. Raises
    :class:`InputError` naming the input for an unusable input; bad lines
    and documents of a batch are skipped with a warning.
    """
    ext = (ext or (path.suffix if path else "")).lower()
    head = text[:4000].lstrip()[:2000].lower()
    stem = path.stem if path else "stdin"
    if is_own_report(text):
        raise own_report_error(name)
    if ext not in HTML_EXTS and _FEED_ROOT.match(head):  # entries often hold <p>: not HTML
        raise InputError(
            f"{name}: looks like an XML/RSS feed, not an article; {SUPPORTED} "
            "('newsweave ingest' reads feeds)"
        )
    if (
        ext in HTML_EXTS
        or head.startswith(("<!doctype html", "<html"))
        or (ext not in JSONL_EXTS | {".json", ".txt"} and "<html" in head)
        or (head.startswith("<") and re.search(r"<(?:p|div|article|body)\b", head))
    ):
        doc = _extract_html(text, name)
        doc.update(id=stem, outlet=doc.get("sitename"))
        return Parsed([article_from_dict(doc, 0, name, check_language)], warnings)
    if head.startswith(("<?xml", "<rss", "<feed")):
        raise InputError(f"{name}: looks like an XML/RSS feed, not an article; {SUPPORTED}")
    from . import jsonin  # it builds on this module's readers

    if ext in JSONL_EXTS or (ext != ".json" and jsonin.sniff_jsonl(text)):
        return jsonin.parse_jsonl(text, name, stem, warnings, check_language)
    if ext == ".json" or (head.startswith(("{", "[")) and jsonin.parses_as_json(text)):
        return jsonin.parse_json(text, name, path, warnings, check_language)
    if MN_SEP in text or MN_NEWLINE in text:
        return _multinews(text, name, stem, warnings, check_language)
    doc = {"text": text, "id": stem, "title": _title_if_obvious(text)}
    return Parsed([article_from_dict(doc, 0, name, check_language)], warnings)


def _no_usable_lines(name: str, bad: list[str]) -> InputError:
    more = f"; and {len(bad) - 3} more" if len(bad) > 3 else ""
    return InputError(f"{name}: no usable lines ({'; '.join(bad[:3])}{more})")


def _batch(
    text: str, name: str, warns: list[str], parse: Callable[[str, str, int], Cluster]
) -> Parsed:
    """One cluster per non-blank line; bad lines are skipped with a warning
    (``parse(line, where, lineno)`` returns a Cluster or raises)."""
    good: list[Cluster] = []
    bad: list[str] = []
    for lineno, line in enumerate(text.split("\n"), 1):
        if line.strip():
            try:
                good.append(parse(line, f"{name}:{lineno}", lineno))
            except InputError as exc:
                bad.append(str(exc))
    if not good:
        raise _no_usable_lines(name, bad)
    good[0].warnings[:0] = warns + [f"skipped {b}" for b in bad]
    return Parsed(clusters=good)


def _multinews(text: str, name: str, stem: str, warns: list[str], check_language: bool) -> Parsed:
    if len([ln for ln in text.split("\n") if ln.strip()]) == 1:
        arts, skipped = _mn_articles(text.strip("\n"), name, stem, check_language)
        return Parsed(arts, warns + skipped)

    def parse(line: str, where: str, lineno: int) -> Cluster:
        arts, skipped = _mn_articles(line, where, "a", check_language)
        return Cluster(f"{stem}:{lineno}", arts, origin=where, warnings=skipped)

    return _batch(text, name, warns, parse)


def _mn_articles(
    line: str, name: str, stem: str, check_language: bool
) -> tuple[list[Article], list[str]]:
    """Articles of one Multi-News raw line, ids ``<stem>-<n>``."""
    arts, skipped = _articles(line.split(MN_SEP), name, check_language, stem)
    for art in arts:
        art.text = art.text.strip("\n")
    return arts, skipped


def is_sidecar(obj: dict[str, Any]) -> bool:
    """Whether a JSON object is a side-car: file names mapped to metadata."""
    entries = {k: v for k, v in obj.items() if not k.startswith("_")}
    return bool(entries) and all(
        isinstance(v, dict) and "." in k and not set(v) - {*DOC_KEYS, "id"}
        for k, v in entries.items()
    )


def _extract_html(html: str, name: str) -> dict[str, Any]:
    """Main text and metadata of an HTML page via trafilatura."""
    trafilatura = require("trafilatura", "HTML support (trafilatura)", "pip install trafilatura")
    doc: dict[str, Any] = {}
    for recall in (False, True):
        try:
            res = trafilatura.bare_extraction(
                html, with_metadata=True, include_comments=False, favor_recall=recall
            )
        except Exception:  # noqa: BLE001 - any parser failure means "no text"
            res = None
        if res is None:
            continue
        doc = res.as_dict() if hasattr(res, "as_dict") else dict(res)
        if (doc.get("text") or "").strip():
            break
    if not (doc.get("text") or "").strip():
        raise InputError(f"{name}: no article text could be extracted from the HTML")
    return doc
