"""Typed records shared by every stage of the pipeline.

Every record points back to its source: an :class:`Article` keeps the text it
was read with, and sentences, spans and facts carry character offsets into
``Article.text`` so that ``article.text[start:end]`` is always the quoted span.

The JSON form of these records (``to_dict``) is the documented output schema
(see ``docs/schema.md``); keep the two in step.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` narrowed past surrounding whitespace (empty: start == end)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


@dataclass
class Article:
    """One news article as read from the user's input.

    ``text`` is the article body as ingested (after decoding the input format:
    HTML main-text extraction, Multi-News ``NEWLINE_CHAR`` markers...). All
    offsets in the system index into this string. Boilerplate found by
    :mod:`newsweave.clean` is not cut out of ``text``; it is listed in
    ``removed`` so nothing the user gave is silently dropped.
    """

    id: str
    text: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    date: str | None = None  # ISO 8601 date or datetime when known
    origin: str | None = None  # file path, "stdin", "file.jsonl:12#3"...
    # (start, end) spans of ``text`` kept as content after cleaning; None = all
    content_spans: list[tuple[int, int]] | None = None
    # (start, end, reason) spans recognised as boilerplate
    removed: list[tuple[int, int, str]] = field(default_factory=list)
    # id of the article this one is a near-duplicate of (same wire copy)
    duplicate_of: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """A short human name: outlet, else title, else id."""
        return self.outlet or self.title or self.id

    def spans(self) -> list[tuple[int, int]]:
        return self.content_spans if self.content_spans is not None else [(0, len(self.text))]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "outlet": self.outlet,
            "url": self.url,
            "date": self.date,
            "origin": self.origin,
            "duplicate_of": self.duplicate_of,
            "chars": len(self.text),
            "removed": [{"start": s, "end": e, "reason": r} for s, e, r in self.removed],
        }


@dataclass
class Sentence:
    """A sentence of one article; ``text == article.text[start:end]``."""

    id: str  # "<article_id>#<index>"
    article_id: str
    index: int  # 0-based position among the article's sentences
    start: int
    end: int
    text: str
    paragraph: int = 0  # 0-based paragraph number in the article

    @property
    def span(self) -> SourceSpan:
        return SourceSpan(self.article_id, self.start, self.end, self.text)


@dataclass
class SourceSpan:
    """An exact span of one article: ``article.text[start:end] == text``."""

    article: str
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Fact:
    """Sentences from one or more articles that state the same thing.

    ``sentences`` are sentence ids; ``sources`` the distinct article ids that
    carry the fact; ``accounts`` counts independent accounts (near-duplicate
    articles, e.g. the same wire copy in two outlets, count once).
    """

    id: str  # "f<n>"
    sentences: list[str]
    sources: list[str]
    accounts: int
    representative: str  # sentence id chosen to stand for the fact
    salience: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SummarySentence:
    """One sentence of the summary with every source that supports it."""

    text: str
    sentence: str  # id of the source sentence whose text this is
    fact: str | None
    citations: list[SourceSpan]
    support: int  # number of independent accounts supporting it

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "sentence": self.sentence,
            "fact": self.fact,
            "support": self.support,
            "citations": [c.to_dict() for c in self.citations],
        }


@dataclass
class Report:
    """Everything newsweave knows about one story."""

    articles: list[Article]
    sentences: list[Sentence]
    facts: list[Fact]
    summary: list[SummarySentence]
    length: str  # the budget used, e.g. "150w"
    id: str | None = None
    warnings: list[str] = field(default_factory=list)
    analysis: dict[str, Any] | None = None  # cross-source analysis, when run
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def summary_text(self) -> str:
        return " ".join(s.text for s in self.summary)

    def article(self, article_id: str) -> Article:
        for a in self.articles:
            if a.id == article_id:
                return a
        raise KeyError(article_id)

    def to_dict(self, *, include_sentences: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "schema": "newsweave.report/1",
            "id": self.id,
            "length": self.length,
            "summary": [s.to_dict() for s in self.summary],
            "summary_text": self.summary_text,
            "articles": [a.to_dict() for a in self.articles],
            "facts": [f.to_dict() for f in self.facts],
            "warnings": list(self.warnings),
            "meta": dict(self.meta),
        }
        if self.analysis is not None:
            out["analysis"] = self.analysis
        if include_sentences:
            out["sentences"] = [asdict(s) for s in self.sentences]
        return out


@dataclass
class Cluster:
    """A set of articles about one story, as given in batch input.

    ``references`` are human summaries when the input carries them
    (evaluation sets in the common JSONL form).
    """

    id: str
    articles: list[Article]
    references: list[str] = field(default_factory=list)
    query: str | None = None
    origin: str | None = None
    # problems met while reading this cluster's input (skipped files, lines,
    # documents; decoding fallbacks); the CLI prints them
    warnings: list[str] = field(default_factory=list)
