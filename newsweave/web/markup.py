"""HTML building blocks shared by the report page and the analysis panels.

Every piece of text that comes from an article, a user or the analysis goes
through :func:`esc` before it reaches the page; nothing here marks user text
as safe. Citation markers are plain links to the cited segment
(``#seg-<source number>-<start>``), so they work without JavaScript; the
script in ``static/app.js`` turns them into in-place highlights.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..records import Report, SourceSpan


def esc(value: Any) -> str:
    """Escape ``value`` (any type) for HTML text and quoted attributes."""
    return html.escape("" if value is None else str(value), quote=True)


def safe_href(url: str | None) -> str | None:
    """``url`` when it is an http(s) link, else None (no ``javascript:``)."""
    if not url:
        return None
    low = url.strip().lower()
    return url.strip() if low.startswith(("http://", "https://")) else None


def is_span(value: Any) -> bool:
    """True for an evidence span ``{article, start, end, text}``."""
    return (
        isinstance(value, Mapping)
        and isinstance(value.get("article"), str)
        and isinstance(value.get("start"), int)
        and isinstance(value.get("end"), int)
        and isinstance(value.get("text"), str)
    )


def walk_spans(value: Any) -> Iterable[Mapping[str, Any]]:
    """Every evidence span nested anywhere in ``value`` (dicts and lists)."""
    if is_span(value):
        yield value
    if isinstance(value, Mapping):
        for v in value.values():
            yield from walk_spans(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from walk_spans(v)


@dataclass
class Sources:
    """Article numbering and citation markers for one report."""

    report: Report
    numbers: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.numbers = {a.id: n for n, a in enumerate(self.report.articles, 1)}
        self._labels = {a.id: a.label for a in self.report.articles}

    def label(self, article_id: str) -> str:
        return self._labels.get(article_id, article_id)

    def number(self, article_id: Any) -> int:
        """Source number of ``article_id`` (unknown ids after every source)."""
        return self.numbers.get(str(article_id), len(self.numbers) + 1)

    def numbered(self, items: Iterable[Any], article=lambda i: i["article"]) -> list[Any]:
        """``items`` in the order of their sources' numbers (stable), as the
        Markdown lists them: the analysis keeps the canonical order of the
        articles, which the reader does not see."""
        return sorted(items, key=lambda i: self.number(article(i)))

    def valid(self, span: Mapping[str, Any] | SourceSpan) -> bool:
        art, start, end = _span_fields(span)
        if art not in self.numbers:
            return False
        n = len(self.report.articles[self.numbers[art] - 1].text)
        return 0 <= start < end <= n

    def cite(self, span: Mapping[str, Any] | SourceSpan) -> str:
        """A citation marker for ``span``: ``[n]`` linking to the source text."""
        if not self.valid(span):
            return ""
        art, start, end = _span_fields(span)
        n = self.numbers[art]
        label = f"source {n}, {self.label(art)}"
        return (
            f'<a class="cite" href="#seg-{n}-{start}" data-src="{n}" data-s="{start}" '
            f'data-e="{end}" data-label="{esc(label)}" aria-pressed="false" '
            f'aria-label="{esc(label)}: show the cited sentence">{n}</a>'
        )

    def quote(self, span: Mapping[str, Any], *, who: bool = True) -> str:
        """An evidence quote: the span's text, its outlet and its marker."""
        art = span.get("article", "")
        outlet = f'<span class="who">{esc(self.label(art))}</span>' if who else ""
        return f'<blockquote class="ev">{outlet}{esc(span.get("text", ""))} {self.cite(span)}</blockquote>'

    def article_ref(self, article_id: str) -> str:
        """An outlet name with its source number, for an article id."""
        if article_id not in self.numbers:
            return esc(article_id)
        n = self.numbers[article_id]
        return (
            f'<a class="srcref" href="#src-{n}">{esc(self.label(article_id))}'
            f' <span class="visually-hidden">(source </span>[{n}]'
            f'<span class="visually-hidden">)</span></a>'
        )


def _span_fields(span: Mapping[str, Any] | SourceSpan) -> tuple[str, int, int]:
    if isinstance(span, SourceSpan):
        return span.article, span.start, span.end
    return str(span.get("article")), int(span.get("start", 0)), int(span.get("end", 0))


def segments(
    text: str,
    bounds: Iterable[int],
    removed: Iterable[tuple[int, int, str]] = (),
) -> list[tuple[int, int, str | None]]:
    """Cut ``text`` at every boundary; return ``(start, end, removed reason)``.

    Boundaries come from sentences and cited spans, so any cited span is a
    run of whole segments and can be highlighted without offset arithmetic
    in the browser (offsets count code points, as in Python).
    """
    n = len(text)
    cuts = sorted({0, n, *(b for b in bounds if 0 < b < n)})
    rem = [(s, e, r) for s, e, r in removed if 0 <= s < e <= n]
    for s, e, _ in rem:
        cuts = sorted({*cuts, s, e})
    out: list[tuple[int, int, str | None]] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        reason = next((r for s, e, r in rem if s <= a and b <= e), None)
        out.append((a, b, reason))
    return out


def attrs(**values: Any) -> str:
    """`` key="value"`` pairs (escaped); ``None``/``False`` values are left out."""
    parts = []
    for key, value in values.items():
        if value is None or value is False:
            continue
        name = key.rstrip("_").replace("_", "-")
        parts.append(f" {name}" if value is True else f' {name}="{esc(value)}"')
    return "".join(parts)
