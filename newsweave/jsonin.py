"""JSON and JSONL inputs: clusters in the common form, dumps of one article
per line, and newsweave's own JSON reports (refused as sources).

The core reader (:func:`newsweave.formats.parse_input`) sends a text here
once it looks like JSON or JSON lines. A JSONL text's first line that parses
decides its form (:func:`first_object`); the story database reads dumps the
same way (``stories/dumps.py``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import InputError
from .formats import (
    _SURROGATE,
    CLUSTER_KEYS,
    MN_SEP,
    Parsed,
    _articles,
    _batch,
    _json_type,
    _no_usable_lines,
    article_from_dict,
    is_sidecar,
    own_report_error,
)
from .records import Article, Cluster

#: why a line of the other form is skipped, by the form of the dump
OTHER_FORM = {
    "articles": "a cluster line in a dump of one article per line",
    "clusters": "an article line in a dump of clusters",
}


def _cluster(obj: Any, where: str, default_id: str, check_language: bool) -> Cluster:
    """One cluster from a JSON object in the common form."""
    if not isinstance(obj, dict):
        raise InputError(f"{where}: expected a JSON object with 'documents'")
    docs = obj.get("documents", obj.get("articles"))
    if docs is None and isinstance(obj.get("document"), str):  # Multi-News HF form
        docs = [d for d in obj["document"].split(MN_SEP) if d.strip()]
    if not isinstance(docs, list) or not docs:
        key = next((k for k in ("documents", "articles") if k in obj), None)
        if key is None:
            raise InputError(f"{where}: no 'documents' list (or it is empty)")
        raise InputError(
            f"{where}: '{key}' must be a non-empty list of documents, not {_json_type(obj[key])}"
        )
    arts, warns = _articles(docs, where, check_language)
    refs = obj.get("references", obj.get("summary", []))
    if isinstance(refs, str):
        refs = [refs]
    if isinstance(refs, list) and not all(isinstance(r, str) for r in refs):
        bad = next(r for r in refs if not isinstance(r, str))
        raise InputError(f"{where}: every reference must be a string, not {_json_type(bad)}")
    query = obj.get("query")
    return Cluster(
        id=str(obj.get("id") or default_id),
        articles=arts,
        references=[str(r) for r in refs] if isinstance(refs, list) else [],
        query=str(query) if query else None,
        origin=where,
        warnings=warns,
    )


# a report newsweave wrote: -f json (or a batch's array of them), a -f jsonl line
_REPORT_KEYS = {"summary", "articles", "meta"}


_LINE_KEYS = {"summary", "articles", "sentences", "length"}


def report_obj(obj: Any) -> bool:
    """Whether a parsed JSON value is a report newsweave wrote (``-f json``,
    a batch's array, or a ``-f jsonl`` line)."""

    def one(o: Any) -> bool:
        if not isinstance(o, dict):
            return False
        if _REPORT_KEYS <= set(o):  # a dataset's "summary" is a string, a report's a list
            return isinstance(o["summary"], list) and isinstance(o["meta"], dict)
        return _LINE_KEYS <= set(o) and isinstance(o["articles"], int)

    items = obj if isinstance(obj, list) else [obj]
    return bool(items) and all(one(o) for o in items)


def parse_jsonl(text: str, name: str, stem: str, warns: list[str], check_language: bool) -> Parsed:
    if first_object(text, report_obj):
        raise own_report_error(name)
    if first_object(text, is_article):
        return _article_dump(text, name, stem, warns, check_language)

    def parse(line: str, where: str, lineno: int) -> Cluster:
        notes: list[str] = []
        obj = load_json(line, where, lines=False, warnings=notes)
        if is_article(obj):  # the first line decided: a dump of clusters
            raise InputError(f"{where}: {OTHER_FORM['clusters']}")
        cluster = _cluster(obj, where, f"{stem}:{lineno}", check_language)
        cluster.warnings[:0] = notes
        return cluster

    return _batch(text, name, warns, parse)


def is_article(obj: Any) -> bool:
    """An article object (``text``, or ``body`` as article_from_dict reads it), not a cluster."""
    return (
        isinstance(obj, dict) and bool({"text", "body"} & set(obj)) and not CLUSTER_KEYS & set(obj)
    )


def first_object(text: str, test: Callable[[Any], bool]) -> bool:
    """``test`` of the first line of a JSONL text that parses as JSON: a dump
    of one article per line (``{"id"?, "text", "title"?, ...}``) or of
    clusters, or newsweave's own batch output."""
    start = 0
    while start < len(text):  # line by line, without splitting a big dump at once
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line, start = text[start:end], end + 1
        if line.strip():
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            return test(obj)
    return False


def _article_dump(
    text: str, name: str, stem: str, warns: list[str], check_language: bool
) -> Parsed:
    """The articles of a JSONL dump of one article per line: together one
    story (a line without an id is named ``<stem>:<line>``). Other lines are
    skipped with a warning naming them."""
    arts: list[Article] = []
    bad: list[str] = []
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        where = f"{name}:{lineno}"
        try:
            obj = load_json(line, where, lines=False)
            if not is_article(obj):
                cluster = isinstance(obj, dict) and CLUSTER_KEYS & set(obj)
                raise InputError(
                    f"{where}: {OTHER_FORM['articles']}"
                    if cluster
                    else f"{where}: expected an article object with a 'text' field"
                )
            art = article_from_dict(obj, lineno - 1, where, check_language)
        except InputError as exc:
            bad.append(str(exc))
            continue
        if obj.get("id") in (None, ""):
            art.id = f"{stem}:{lineno}"
        arts.append(art)
    if not arts:
        raise _no_usable_lines(name, bad)
    return Parsed(arts, warns + [f"skipped {b}" for b in bad])


def parse_json(
    text: str, name: str, path: Path | None, warns: list[str], check_language: bool
) -> Parsed:
    obj = load_json(text, name, warnings=warns)
    if report_obj(obj):
        raise own_report_error(name)
    stem = path.stem if path else "stdin"
    items = obj if isinstance(obj, list) else [obj]
    if items and all(isinstance(o, dict) and CLUSTER_KEYS & set(o) for o in items):
        where = [name] if obj is not items else [f"{name}[{i}]" for i in range(len(items))]
        ids = [stem] if obj is not items else [f"{stem}-{i + 1}" for i in range(len(items))]
        clusters = [
            _cluster(o, w, d, check_language) for o, w, d in zip(items, where, ids, strict=True)
        ]
        clusters[0].warnings[:0] = warns
        return Parsed(clusters=clusters)
    if obj and (isinstance(obj, list) or (isinstance(obj, dict) and "text" in obj)):
        arts = []
        for i, o in enumerate(items):
            art = article_from_dict(o, i, f"{name}[{i}]" if obj is items else name, check_language)
            if not (isinstance(o, dict) and o.get("id")):
                art.id = stem if obj is not items else f"{stem}-{i + 1}"
            arts.append(art)
        return Parsed(arts, warns)
    if isinstance(obj, dict) and path is not None and is_sidecar(obj):  # meta.json
        return Parsed(sidecar=obj)
    raise InputError(
        f'{name}: unrecognised JSON layout; expected {{"documents": [...]}}, '
        f'{{"articles": [...]}} or {{"text": ...}}'
    )


def load_json(
    text: str, name: str, *, lines: bool = True, warnings: list[str] | None = None
) -> object:
    """``json.loads`` with an :class:`InputError` naming ``name`` for text that
    is not JSON or nests too deeply to parse (``lines``: give the line too).

    An unpaired surrogate escape (``"\\ud83d"``: half of an emoji cut in
    two) stands for no character and cannot be written out as UTF-8: it is
    read as U+FFFD (one code point for one, offsets unchanged), with a note
    in ``warnings``."""
    try:
        obj = json.loads(text)
        found = 0
        if _SURROGATE_ESCAPE.search(text):
            obj, found = _replace_surrogates(obj)
    except json.JSONDecodeError as exc:
        at = f"line {exc.lineno}, column {exc.colno}" if lines else f"column {exc.colno}"
        raise InputError(f"{name}: not valid JSON ({exc.msg}, {at})") from None
    except RecursionError:
        raise InputError(f"{name}: JSON nested too deeply to read") from None
    if found and warnings is not None:
        warnings.append(
            f"{name}: {found} unpaired surrogate escape{'s' if found > 1 else ''} "
            "(\\ud800-\\udfff, e.g. half of an emoji) read as the replacement character U+FFFD"
        )
    return obj


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _replace_surrogates(obj: Any) -> tuple[Any, int]:
    """``obj`` (parsed JSON) with every surrogate code point of its strings and
    keys written U+FFFD, and how many there were."""
    if isinstance(obj, str):
        return _SURROGATE.subn("\ufffd", obj)
    if isinstance(obj, list):
        items = [_replace_surrogates(v) for v in obj]
        return [v for v, _ in items], sum(n for _, n in items)
    if isinstance(obj, dict):
        pairs = [(_replace_surrogates(k), _replace_surrogates(v)) for k, v in obj.items()]
        return {k: v for (k, _), (v, _) in pairs}, sum(a + b for (_, a), (_, b) in pairs)
    return obj, 0


def parses_as_json(text: str) -> bool:
    try:
        json.loads(text)
    except json.JSONDecodeError:
        return False
    except RecursionError:  # JSON, nested too deeply: load_json says so
        return True
    return True


def sniff_jsonl(text: str) -> bool:
    lines = [ln.strip() for ln in text.split("\n", 50)[:50] if ln.strip()]
    return len(lines) >= 2 and sum(
        ln.startswith("{") and ln.endswith("}") for ln in lines
    ) >= 0.5 * len(lines)
