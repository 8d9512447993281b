"""Read the user's input (files, directories, stdin) into :class:`Cluster` objects.

This module walks the paths and assembles clusters; decoding and the
bad-input checks are in :mod:`newsweave.decode`, format recognition and
parsing (plain text, HTML, JSON, JSONL, Multi-News raw) in
:mod:`newsweave.formats`.

All plain inputs named on one command line form ONE cluster (the story);
every JSONL line, JSON cluster object and Multi-News raw line is a cluster of
its own. A ``meta.json`` side-car (file name -> title, outlet, url, date)
fills in missing metadata of the plain files in its folder, whether the
folder or the files themselves are named. Problems that do not stop the run
(a skipped file, line or document, a decoding fallback) are recorded in
``Cluster.warnings``: each warning is attached once, to the first cluster
read from the input it concerns.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .decode import (
    MAX_BYTES,
    is_probably_english,
    read_file_bytes,
    read_text_bytes,
    storable,
    too_big,
)
from .errors import InputError
from .formats import (
    DOC_KEYS,
    articles_from_texts,
    check_metadata,
    is_sidecar,
    parse_input,
    unique_id,
)
from .jsonin import load_json
from .records import Article, Cluster

__all__ = [
    "MAX_BYTES",
    "SIDECAR",
    "all_warnings",
    "articles_from_texts",
    "is_probably_english",
    "load_inputs",
    "read_text_bytes",
]

SIDECAR = "meta.json"  # looked for next to plain files named on the command line


@dataclass
class _Reader:
    """State of one :func:`load_inputs` call."""

    max_bytes: int
    check_language: bool
    stdin_ext: str | None = None  # the format of stdin, as a file suffix (else sniffed)
    story: list[Article] = field(default_factory=list)
    story_warnings: list[str] = field(default_factory=list)
    story_names: list[str] = field(default_factory=list)
    story_pos: int | None = None
    clusters: list[Cluster] = field(default_factory=list)
    sidecars: list[tuple[Path, dict[str, Any]]] = field(default_factory=list)
    sidecar_files: set[Path] = field(default_factory=set)
    given: dict[str, str] = field(default_factory=dict)  # real path (or "-") → name read as

    # -- paths --------------------------------------------------------------
    def read_path(self, raw: str, stdin: bytes | None) -> None:
        before = len(self.story)
        path = Path(raw).expanduser()
        if self._again("-" if raw == "-" else path, raw):
            return
        if raw == "-":
            data = stdin if stdin is not None else read_stdin(self.max_bytes)
            if len(data) > self.max_bytes:
                raise InputError(too_big("stdin", None, self.max_bytes))
            self.read_bytes(data, "stdin", None)
        elif not path.exists():
            raise InputError(f"{raw}: no such file or directory")
        elif path.is_dir():
            self.read_dir(path, raw)
        else:
            self.read_bytes(read_file_bytes(path, raw, self.max_bytes), raw, path)
            if len(self.story) > before:
                self.sidecar_near(path)
        if len(self.story) > before:
            self.story_names.append(storable(raw) if raw != "-" else "stdin")

    def _again(self, path: Path | str, name: str) -> bool:
        """Whether ``path`` (a file, a folder, or "-") was read already, under
        this or another name (a file named and also in a named folder, a
        link to it); a repeat is noted in the warnings, not read twice."""
        key = path if isinstance(path, str) else os.path.realpath(path)
        first = self.given.get(key)
        if first is None:
            if isinstance(path, str) or not path.is_dir():  # a folder's files are counted
                self.given[key] = name
            return False
        same = "" if first == name else f" (as {first})"
        self._add_story([], [f"{name}: given more than once{same}; read once"])
        return True

    def _count(self) -> int:
        return len(self.story) + sum(len(c.articles) for c in self.clusters)

    def read_dir(self, root: Path, name: str) -> None:
        files = walk_files(root)
        before = self._count()
        skipped: list[str] = []
        repeats = 0
        for path in files:
            if self._again(path, str(path)):
                repeats += 1
                continue
            if path.exists() and not path.is_file():  # reading a pipe would wait forever
                skipped.append(f"skipped {path}: not a regular file (a pipe, socket or device)")
                continue
            try:
                self.read_bytes(read_file_bytes(path, str(path), self.max_bytes), str(path), path)
            except InputError as exc:
                skipped.append(f"skipped {exc}")
        if self._count() == before and not repeats:
            reasons = "; ".join(skipped[:5]) if skipped else "it contains no files"
            raise InputError(f"{name}: directory has no readable articles ({reasons})")
        self._add_story([], skipped)

    def read_bytes(self, data: bytes, name: str, path: Path | None) -> None:
        # a file name's undecodable bytes as \xNN: ids and origins are written out as UTF-8
        name = storable(name)
        text, warns = read_text_bytes(data, name)
        got = parse_input(
            text,
            name,
            path and Path(storable(str(path))),
            warns,
            check_language=self.check_language,
            ext=self.stdin_ext if path is None else None,
        )
        if got.sidecar is not None and path is not None:
            self._add_sidecar(path, got.sidecar)
        if got.story:
            self._add_story(got.story, got.warnings)
        self.clusters.extend(got.clusters)

    def _add_story(self, arts: list[Article], warns: list[str]) -> None:
        """Plain inputs join the story, which sits where the first one was given."""
        if self.story_pos is None:
            self.story_pos = len(self.clusters)
        self.story.extend(arts)
        self.story_warnings.extend(warns)

    # -- side-cars ----------------------------------------------------------
    def _add_sidecar(self, path: Path, meta: dict[str, Any]) -> None:
        key = path.resolve()
        if key not in self.sidecar_files:
            self.sidecar_files.add(key)
            self.sidecars.append((path, meta))

    def sidecar_near(self, path: Path) -> None:
        """Read the ``meta.json`` next to a plain file named on the command line,
        as reading its directory would. One that cannot be read is ignored with
        a warning; a JSON file of another layout is not a side-car."""
        meta = path.parent / SIDECAR
        if not meta.is_file() or meta.resolve() in self.sidecar_files:
            return
        try:
            text, _ = read_text_bytes(read_file_bytes(meta, str(meta), self.max_bytes), str(meta))
            obj = load_json(text, str(meta))
        except InputError as exc:
            self.story_warnings.append(f"ignored side-car {exc}")
            return
        if isinstance(obj, dict) and is_sidecar(obj):
            self._add_sidecar(meta, obj)

    def _apply_sidecars(self, art: Article) -> None:
        if not self.sidecars or not art.origin:
            return
        origin = Path(art.origin)
        for path, meta in self.sidecars:
            entry = meta.get(origin.name)
            if isinstance(entry, dict) and origin.parent.resolve() == path.parent.resolve():
                for key in DOC_KEYS:
                    if getattr(art, key) is None and entry.get(key):
                        setattr(art, key, str(entry[key]))
                check_metadata(art, f"{path} ({origin.name})")

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
                art.id = unique_id(art.id, used)
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


# ------------------------------------------------------------------------- API
def load_inputs(
    paths: list[str | os.PathLike],
    *,
    stdin: bytes | None = None,
    max_bytes: int = MAX_BYTES,
    check_language: bool = True,
    stdin_ext: str | None = None,
) -> list[Cluster]:
    """Read files, directories (recursively, sorted, hidden files skipped) and
    ``-`` (stdin) into clusters.

    Plain inputs (text, HTML, single-article JSON) together form one cluster,
    the story; JSONL lines and JSON cluster objects are clusters of their own.
    ``stdin`` gives the bytes for ``-`` (read from ``sys.stdin`` when None);
    with no ``paths`` and ``stdin`` given, stdin is read; ``stdin_ext`` (a
    file suffix such as ``".jsonl"``) states its format instead of sniffing
    it. Each input may be at
    most ``max_bytes``. Raises :class:`InputError` naming the input and the
    reason; skipped files, lines and documents are listed in
    ``Cluster.warnings``.
    """
    if isinstance(paths, str | os.PathLike):  # its characters were read as paths
        raise InputError(f"paths must be a list of paths, not a single path: pass [{str(paths)!r}]")
    paths = list(paths)
    if not paths:
        if stdin is None:
            raise InputError("no input given: name files or directories, or '-' for stdin")
        paths = ["-"]
    reader = _Reader(max_bytes=max_bytes, check_language=check_language, stdin_ext=stdin_ext)
    for raw in paths:
        reader.read_path(str(raw), stdin)
    clusters = reader.finish()
    if not clusters:
        raise InputError(f"{', '.join(map(str, paths))}: no articles found")
    return clusters


def walk_files(root: Path) -> list[Path]:
    """The files under the folder ``root``, in sorted order, hidden names
    (starting with ".") left out. Symbolic links to folders are followed,
    each folder read once however many links lead to it (a link loop ends
    there). Whatever is not a folder is listed, pipes and broken links
    too: the reader says why it skips them."""
    files: list[Path] = []
    seen: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        real = os.path.realpath(dirpath)
        if real in seen:  # reached again through a link: already listed
            dirnames[:] = []
            continue
        seen.add(real)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        files.extend(Path(dirpath) / f for f in sorted(filenames) if not f.startswith("."))
    return files


def read_stdin(max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of standard input, read up to one byte past ``max_bytes`` (so
    that an endless or huge stream is refused, not held in memory)."""
    return sys.stdin.buffer.read(max_bytes + 1)


def all_warnings(clusters: list[Cluster]) -> list[str]:
    """Every warning of the clusters, in order (each is stored once)."""
    return [w for c in clusters for w in c.warnings]
