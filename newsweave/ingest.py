"""Read the user's input (files, directories, stdin) into :class:`Cluster` objects.

Formats are recognised by extension and by sniffing the content:

* plain text (``.txt`` or anything textual): one article per file;
* HTML (``.html``/``.htm`` or a document starting like HTML): main text and
  metadata (title, date, site name, url) through ``trafilatura``;
* JSONL in the common form ``{"id", "documents": [{"id", "title"?, "text"}],
  "references", "query"?}``: one cluster per line (batch mode);
* JSON: one object of that form, ``{"articles": [...]}``, a list of them, a
  single article ``{"text": ...}``, or a ``meta.json`` side-car mapping file
  names to ``{"title", "outlet", "url", "date"}``;
* Multi-News raw text: documents joined by ``|||||`` with newlines written
  ``NEWLINE_CHAR`` (one cluster per line when the file holds several lines).

All plain inputs named on one command line form ONE cluster (the story);
every JSONL line, JSON cluster object and Multi-News raw line is a cluster of
its own. Problems that do not stop the run (a skipped file, line or document,
a decoding fallback) are recorded in ``Cluster.warnings``: each warning is
attached once, to the first cluster read from the input it concerns.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError, require
from .records import Article, Cluster

MAX_BYTES = 50 * 2**20
HTML_EXTS = {".html", ".htm", ".xhtml", ".shtml"}
JSONL_EXTS = {".jsonl", ".ndjson"}
MN_SEP = "|||||"
MN_NEWLINE = "NEWLINE_CHAR"
_DOC_KEYS = ("title", "outlet", "url", "date")
_CLUSTER_KEYS = {"documents", "articles", "document"}

_MAGIC = {
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or an office document)",
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"\x1f\x8b": "a gzip archive",
    b"BZh": "a bzip2 archive",
    b"\xfd7zXZ": "an xz archive",
    b"\x7fELF": "an executable",
}
_SUPPORTED = "newsweave reads plain text, HTML, JSON or JSONL"

# --------------------------------------------------------------------- English
_EN_STOP = frozenset(
    """a about above after again against all also am an and any are as at be because
    been before being below between both but by can could did do does doing down during
    each few for from further had has have having he her here hers him his how i if in
    into is it its itself just me more most my no nor not now of off on once only or
    other our out over own said same says she should so some such than that the their
    them then there these they this those through to too under until up very was we
    were what when where which while who whom why will with would you your""".split()
)
# frequent function words of other languages that are not English words
_FOREIGN_STOP = frozenset(
    """der die und das ist nicht ein eine einen mit von zu den dem des sich auf für
    auch wird wurde sind hat bei nach aus wie nur noch le la les et est une du pour
    que qui dans sur pas avec sont ont au aux ce cette il elle ils el los las del y
    por con una para es lo se su sus al como más pero fue il di che della per non
    gli nel sono è da um uma não os em ao na no pelo pela het een van en op te zijn
    niet dat voor och att är som för på med det av jag""".split()
)
_WORD = re.compile(r"[^\W\d_]+")


def is_probably_english(text: str, *, min_tokens: int = 30) -> bool:
    """Cheap guess whether ``text`` is English.

    Counts common English function words against common function words of
    other European languages, and letters outside the Latin script. Texts
    with fewer than ``min_tokens`` words (titles, names) are always accepted.
    """
    tokens = _WORD.findall(text[:20000].lower())
    if len(tokens) < min_tokens:
        return True
    letters = "".join(tokens)
    latin = sum(1 for ch in letters if ch < "\u0250")
    if latin < 0.5 * len(letters):
        return False
    en = sum(t in _EN_STOP for t in tokens) / len(tokens)
    foreign = sum(t in _FOREIGN_STOP for t in tokens) / len(tokens)
    if foreign > en and foreign > 0.05:
        return False
    return en >= 0.05


def _check_english(text: str, name: str) -> None:
    if not is_probably_english(text):
        raise InputError(
            f"{name}: text appears not to be English (newsweave supports English news)"
        )


# -------------------------------------------------------------------- decoding
def _looks_like_text(text: str, *, ascii_share: float = 0.0) -> bool:
    if not text:
        return False
    sample = text[:100000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    controls += sum(1 for ch in sample if 0x7F <= ord(ch) < 0xA0)
    if controls > max(4, 0.01 * len(sample)):
        return False
    if ascii_share:
        plain = sum(1 for ch in sample if ord(ch) < 128)
        if plain < ascii_share * len(sample):
            return False
    return True


def read_text_bytes(data: bytes, name: str) -> tuple[str, list[str]]:
    """Decode the bytes of one input into text; return ``(text, warnings)``.

    Tries UTF-8 (with or without BOM), UTF-16 with a BOM, then Windows-1252
    and Latin-1 (with a warning) when the result looks like text. Line ends
    are normalised to ``\\n``. Raises :class:`InputError` for empty,
    whitespace-only, binary or undecodable input.
    """
    warnings: list[str] = []
    if not data:
        raise InputError(f"{name}: the input is empty")
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise InputError(f"{name}: looks like {what}, not text; {_SUPPORTED}")
    text: str | None = None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            text = None
    if text is None and b"\x00" in data[:65536]:
        raise InputError(f"{name}: looks like a binary file (contains NUL bytes); {_SUPPORTED}")
    if text is None:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            for enc, label in (("cp1252", "Windows-1252"), ("latin-1", "Latin-1")):
                try:
                    candidate = data.decode(enc)
                except UnicodeDecodeError:
                    continue
                if _looks_like_text(candidate, ascii_share=0.85):
                    text = candidate
                    warnings.append(
                        f"{name}: not valid UTF-8; read as {label} (check accented characters)"
                    )
                    break
            if text is None:
                raise InputError(
                    f"{name}: cannot decode the bytes as text (not UTF-8, and not "
                    "readable as Windows-1252/Latin-1); save the file as UTF-8"
                ) from None
    if not _looks_like_text(text):
        raise InputError(f"{name}: looks like a binary file (mostly non-text bytes); {_SUPPORTED}")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{name}: the input contains only whitespace")
    return text, warnings


def _read_bytes(path: Path, name: str, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(_too_big(name, size, max_bytes))
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > max_bytes:
        raise InputError(_too_big(name, len(data), max_bytes))
    return data


def _too_big(name: str, size: int, max_bytes: int) -> str:
    return (
        f"{name}: input is {size / 2**20:.1f} MB, over the {max_bytes / 2**20:g} MB limit; "
        "raise the limit with max_bytes=... (CLI: --max-bytes) or split the input"
    )


# -------------------------------------------------------------------- articles
def _unique_id(wanted: str, used: set[str]) -> str:
    base = re.sub(r"\s+", "_", wanted.strip()) or "a"
    new, n = base, 1
    while new in used:
        n += 1
        new = f"{base}-{n}"
    used.add(new)
    return new


def _opt_str(value: Any) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def _mn_decode(text: str) -> str:
    """Turn Multi-News ``NEWLINE_CHAR`` markers into real newlines."""
    return text.replace(MN_NEWLINE, "\n") if MN_NEWLINE in text else text


def _article_from_dict(doc: Any, index: int, name: str, check_language: bool) -> Article:
    """Build one article from a JSON document (a dict or a bare string)."""
    if isinstance(doc, str):
        doc = {"text": doc}
    if not isinstance(doc, dict):
        raise InputError(f"{name}: a document must be an object with a 'text' field")
    text = doc.get("text", doc.get("body"))
    if not isinstance(text, str):
        raise InputError(f"{name}: document has no 'text' string")
    text = _mn_decode(text.replace("\r\n", "\n"))
    if not text.strip():
        raise InputError(f"{name}: document text is empty")
    if check_language:
        _check_english(text, name)
    return Article(
        id=str(doc["id"]) if doc.get("id") not in (None, "") else f"a{index + 1}",
        text=text,
        title=_opt_str(doc.get("title")),
        outlet=_opt_str(doc.get("outlet") or doc.get("source") or doc.get("site")),
        url=_opt_str(doc.get("url")),
        date=_opt_str(doc.get("date")),
        origin=name,
    )


def articles_from_texts(
    texts: list[str] | list[dict[str, Any]], *, check_language: bool = True
) -> list[Article]:
    """Articles from strings or dicts (keys ``text``, ``title``, ``outlet``,
    ``url``, ``date``, ``id``) for the Python API and the web layer.

    Ids are the given ones (made unique) or ``a1..aN``. Raises
    :class:`InputError` naming the item for an empty or non-English text.
    """
    if not texts:
        raise InputError("no articles given")
    used: set[str] = set()
    out = []
    for i, item in enumerate(texts):
        art = _article_from_dict(item, i, f"article {i + 1}", check_language)
        art.id = _unique_id(art.id, used)
        art.origin = "api"
        out.append(art)
    return out


def _title_if_obvious(text: str) -> str | None:
    """The first line when it is clearly a headline: short, unpunctuated, set
    apart by a blank line and followed by more text."""
    m = re.match(r"\s*([^\n]{3,150})\n[ \t]*\n\s*\S", text)
    if not m:
        return None
    line = m.group(1).strip()
    words = line.split()
    if not 2 <= len(words) <= 20 or line[-1] in ".!?:;,\"'”’)":
        return None
    if sum(w[0].isalpha() for w in words) < len(words) / 2:
        return None
    return line


# ---------------------------------------------------------------------- reader
@dataclass
class _Reader:
    """State of one :func:`load_inputs` call."""

    max_bytes: int
    check_language: bool
    story: list[Article] = field(default_factory=list)
    story_warnings: list[str] = field(default_factory=list)
    story_names: list[str] = field(default_factory=list)
    story_pos: int | None = None
    clusters: list[Cluster] = field(default_factory=list)
    sidecars: list[tuple[Path, dict[str, Any]]] = field(default_factory=list)

    # -- dispatch -----------------------------------------------------------
    def read_path(self, raw: str, stdin: bytes | None) -> None:
        before = len(self.story)
        path = Path(raw).expanduser()
        if raw == "-":
            data = stdin if stdin is not None else sys.stdin.buffer.read(self.max_bytes + 1)
            if len(data) > self.max_bytes:
                raise InputError(_too_big("stdin", len(data), self.max_bytes))
            self.read_bytes(data, "stdin", None)
        elif not path.exists():
            raise InputError(f"{raw}: no such file or directory")
        elif path.is_dir():
            self.read_dir(path, raw)
        else:
            self.read_bytes(_read_bytes(path, raw, self.max_bytes), raw, path)
        if len(self.story) > before:
            self.story_names.append(raw if raw != "-" else "stdin")

    def _count(self) -> int:
        return len(self.story) + sum(len(c.articles) for c in self.clusters)

    def read_dir(self, root: Path, name: str) -> None:
        files: list[Path] = []
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            files.extend(Path(dirpath) / f for f in sorted(filenames) if not f.startswith("."))
        before = self._count()
        skipped: list[str] = []
        for path in files:
            try:
                self.read_bytes(_read_bytes(path, str(path), self.max_bytes), str(path), path)
            except InputError as exc:
                skipped.append(f"skipped {exc}")
        if self._count() == before:
            reasons = "; ".join(skipped[:5]) if skipped else "it contains no files"
            raise InputError(f"{name}: directory has no readable articles ({reasons})")
        self._add_story([], skipped)

    def read_bytes(self, data: bytes, name: str, path: Path | None) -> None:
        text, warns = read_text_bytes(data, name)
        ext = path.suffix.lower() if path else ""
        head = text[:4000].lstrip()[:2000].lower()
        stem = path.stem if path else "stdin"
        if (
            ext in HTML_EXTS
            or head.startswith(("<!doctype html", "<html"))
            or (ext not in JSONL_EXTS | {".json", ".txt"} and "<html" in head)
            or (head.startswith("<") and re.search(r"<(?:p|div|article|body)\b", head))
        ):
            doc = _extract_html(text, name)
            doc.update(id=stem, outlet=doc.get("sitename"))
            self._add_story([_article_from_dict(doc, 0, name, self.check_language)], warns)
        elif head.startswith(("<?xml", "<rss", "<feed")):
            raise InputError(f"{name}: looks like an XML/RSS feed, not an article; {_SUPPORTED}")
        elif ext in JSONL_EXTS or (ext != ".json" and _sniff_jsonl(text)):
            self._jsonl(text, name, path, warns)
        elif ext == ".json" or (head.startswith(("{", "[")) and _parses_as_json(text)):
            self._json(text, name, path, warns)
        elif MN_SEP in text or MN_NEWLINE in text:
            self._multinews(text, name, path, warns)
        else:
            doc = {"text": text, "id": stem, "title": _title_if_obvious(text)}
            self._add_story([_article_from_dict(doc, 0, name, self.check_language)], warns)

    def _add_story(self, arts: list[Article], warns: list[str]) -> None:
        """Plain inputs join the story, which sits where the first one was given."""
        if self.story_pos is None:
            self.story_pos = len(self.clusters)
        self.story.extend(arts)
        self.story_warnings.extend(warns)

    def _batch(self, text: str, name: str, warns: list[str], parse: Any) -> None:
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
            more = f"; and {len(bad) - 3} more" if len(bad) > 3 else ""
            raise InputError(f"{name}: no usable lines ({'; '.join(bad[:3])}{more})")
        good[0].warnings[:0] = warns + [f"skipped {b}" for b in bad]
        self.clusters.extend(good)

    def _jsonl(self, text: str, name: str, path: Path | None, warns: list[str]) -> None:
        stem = path.stem if path else "stdin"

        def parse(line: str, where: str, lineno: int) -> Cluster:
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(
                    f"{where}: not valid JSON ({exc.msg}, column {exc.colno})"
                ) from None
            return self._cluster(obj, where, f"{stem}:{lineno}")

        self._batch(text, name, warns, parse)

    def _json(self, text: str, name: str, path: Path | None, warns: list[str]) -> None:
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"{name}: not valid JSON ({exc.msg}, line {exc.lineno}, column {exc.colno})"
            ) from None
        stem = path.stem if path else "stdin"
        items = obj if isinstance(obj, list) else [obj]
        if items and all(isinstance(o, dict) and _CLUSTER_KEYS & set(o) for o in items):
            where = [name] if obj is not items else [f"{name}[{i}]" for i in range(len(items))]
            ids = [stem] if obj is not items else [f"{stem}-{i + 1}" for i in range(len(items))]
            clusters = [self._cluster(o, w, d) for o, w, d in zip(items, where, ids, strict=True)]
            clusters[0].warnings[:0] = warns
            self.clusters.extend(clusters)
        elif obj and (isinstance(obj, list) or isinstance(obj.get("text"), str)):
            arts = []
            for i, o in enumerate(items):
                art = _article_from_dict(
                    o, i, f"{name}[{i}]" if obj is items else name, self.check_language
                )
                if not (isinstance(o, dict) and o.get("id")):
                    art.id = stem if obj is not items else f"{stem}-{i + 1}"
                arts.append(art)
            self._add_story(arts, warns)
        elif isinstance(obj, dict) and path is not None and _is_sidecar(obj):
            self.sidecars.append((path.parent, obj))
        else:
            raise InputError(
                f'{name}: unrecognised JSON layout; expected {{"documents": [...]}}, '
                f'{{"articles": [...]}} or {{"text": ...}}'
            )

    def _multinews(self, text: str, name: str, path: Path | None, warns: list[str]) -> None:
        stem = path.stem if path else "stdin"
        if len([ln for ln in text.split("\n") if ln.strip()]) == 1:
            arts, skipped = self._mn_articles(text.strip("\n"), name, stem)
            self._add_story(arts, warns + skipped)
            return

        def parse(line: str, where: str, lineno: int) -> Cluster:
            arts, skipped = self._mn_articles(line, where, "a")
            return Cluster(f"{stem}:{lineno}", arts, origin=where, warnings=skipped)

        self._batch(text, name, warns, parse)

    def _mn_articles(self, line: str, name: str, stem: str) -> tuple[list[Article], list[str]]:
        """Articles of one Multi-News raw line, ids ``<stem>-<n>``."""
        arts, skipped = self._articles(line.split(MN_SEP), name, stem)
        for art in arts:
            art.text = art.text.strip("\n")
        return arts, skipped

    def _articles(
        self, docs: list[Any], where: str, stem: str | None = None
    ) -> tuple[list[Article], list[str]]:
        """Articles of a document list with unique ids (the given ones, else
        ``a<n>``, or ``<stem>-<n>``) and warnings for the skipped documents;
        raises when none is usable."""
        arts: list[Article] = []
        skipped: list[str] = []
        used: set[str] = set()
        for i, doc in enumerate(docs):
            try:
                art = _article_from_dict(doc, i, f"{where}#{i + 1}", self.check_language)
            except InputError as exc:
                skipped.append(f"skipped {exc}")
                continue
            art.id = _unique_id(f"{stem}-{i + 1}" if stem else art.id, used)
            arts.append(art)
        if not arts:
            raise InputError(f"{where}: no usable documents ({'; '.join(skipped[:3])})")
        return arts, skipped

    def _cluster(self, obj: Any, where: str, default_id: str) -> Cluster:
        """One cluster from a JSON object in the common form."""
        if not isinstance(obj, dict):
            raise InputError(f"{where}: expected a JSON object with 'documents'")
        docs = obj.get("documents", obj.get("articles"))
        if docs is None and isinstance(obj.get("document"), str):  # Multi-News HF form
            docs = [d for d in obj["document"].split(MN_SEP) if d.strip()]
        if not isinstance(docs, list) or not docs:
            raise InputError(f"{where}: no 'documents' list (or it is empty)")
        arts, warns = self._articles(docs, where)
        refs = obj.get("references", obj.get("summary", []))
        if isinstance(refs, str):
            refs = [refs]
        query = obj.get("query")
        return Cluster(
            id=str(obj.get("id") or default_id),
            articles=arts,
            references=[str(r) for r in refs] if isinstance(refs, list) else [],
            query=str(query) if query else None,
            origin=where,
            warnings=warns,
        )

    # -- finish -------------------------------------------------------------
    def finish(self) -> list[Cluster]:
        for art in self.story:
            self._apply_sidecars(art)
        for cluster in self.clusters:
            for art in cluster.articles:
                self._apply_sidecars(art)
        if self.story:
            used: set[str] = set()
            for art in self.story:
                art.id = _unique_id(art.id, used)
            if len(self.story_names) == 1:
                cid = Path(self.story_names[0]).stem or "story"
            else:
                cid = "story"
            story = Cluster(
                cid, self.story, origin=", ".join(self.story_names), warnings=self.story_warnings
            )
            self.clusters.insert(self.story_pos or 0, story)
        elif self.story_warnings and self.clusters:
            self.clusters[0].warnings[:0] = self.story_warnings
        return self.clusters

    def _apply_sidecars(self, art: Article) -> None:
        if not self.sidecars or not art.origin:
            return
        origin = Path(art.origin)
        for folder, meta in self.sidecars:
            entry = meta.get(origin.name)
            if isinstance(entry, dict) and origin.parent.resolve() == folder.resolve():
                for key in _DOC_KEYS:
                    if getattr(art, key) is None and entry.get(key):
                        setattr(art, key, str(entry[key]))


def _parses_as_json(text: str) -> bool:
    try:
        json.loads(text)
    except json.JSONDecodeError:
        return False
    return True


def _sniff_jsonl(text: str) -> bool:
    lines = [ln.strip() for ln in text.split("\n", 50)[:50] if ln.strip()]
    return len(lines) >= 2 and sum(
        ln.startswith("{") and ln.endswith("}") for ln in lines
    ) >= 0.5 * len(lines)


def _is_sidecar(obj: dict[str, Any]) -> bool:
    entries = {k: v for k, v in obj.items() if not k.startswith("_")}
    return bool(entries) and all(
        isinstance(v, dict) and "." in k and not set(v) - {*_DOC_KEYS, "id"}
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


# ------------------------------------------------------------------------- API
def load_inputs(
    paths: list[str],
    *,
    stdin: bytes | None = None,
    max_bytes: int = MAX_BYTES,
    check_language: bool = True,
) -> list[Cluster]:
    """Read files, directories (recursively, sorted, hidden files skipped) and
    ``-`` (stdin) into clusters.

    Plain inputs (text, HTML, single-article JSON) together form one cluster,
    the story; JSONL lines and JSON cluster objects are clusters of their own.
    ``stdin`` gives the bytes for ``-`` (read from ``sys.stdin`` when None);
    with no ``paths`` and ``stdin`` given, stdin is read. Each input may be at
    most ``max_bytes``. Raises :class:`InputError` naming the input and the
    reason; skipped files, lines and documents are listed in
    ``Cluster.warnings``.
    """
    if not paths:
        if stdin is None:
            raise InputError("no input given: name files or directories, or '-' for stdin")
        paths = ["-"]
    reader = _Reader(max_bytes=max_bytes, check_language=check_language)
    for raw in paths:
        reader.read_path(str(raw), stdin)
    clusters = reader.finish()
    if not clusters:
        raise InputError(f"{', '.join(map(str, paths))}: no articles found")
    return clusters


def all_warnings(clusters: list[Cluster]) -> list[str]:
    """Every warning of the clusters, in order (each is stored once)."""
    return [w for c in clusters for w in c.warnings]
