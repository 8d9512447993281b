"""Render a :class:`~newsweave.records.Report` for people or machines.

Formats: ``md`` (Markdown with ``[1][2]`` citations and a source list),
``json`` (the documented schema, see docs/schema.md), ``text`` (plain),
``jsonl`` (one compact line per story, for batch runs) and ``html`` (one
self-contained page, provided by :mod:`newsweave.web.page`).
"""

from __future__ import annotations

import json

from .records import Report

FORMATS = ("md", "json", "text", "jsonl", "html")


def source_numbers(report: Report) -> dict[str, int]:
    """Citation number of every article, in input order (1-based)."""
    return {a.id: n for n, a in enumerate(report.articles, 1)}


def _markers(report: Report, numbers: dict[str, int], index: int) -> str:
    cited = sorted({numbers[c.article] for c in report.summary[index].citations})
    return "".join(f"[{n}]" for n in cited)


HEADLINE_CHARS = 100  # a headline made of the first summary sentence is cut within this


def headline(report: Report) -> str:
    """The title of the first article that has text after cleaning: a page
    cleaning left empty ("JavaScript is disabled", a video player) names
    nothing of the story. Without sentences (a stored report), any title.
    Without a title, the first summary sentence (its words only, cut short:
    :func:`shortened`), so that untitled reports do not all look alike;
    "Story summary" when the summary is empty too."""
    with_text = {s.article_id for s in report.sentences}
    titles = [a.title for a in report.articles if a.title and (a.id in with_text or not with_text)]
    if titles:
        return titles[0]
    return shortened(report.summary[0].text) if report.summary else "Story summary"


def shortened(text: str, limit: int = HEADLINE_CHARS) -> str:
    """``text`` on one line, without a leading wire dateline, cut at the last
    word end within ``limit`` characters (with "…") when it is longer."""
    from .dateline import dateline_end

    text = " ".join(text.split())
    text = text[dateline_end(text) :]
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    cut = cut.rsplit(" ", 1)[0] if " " in cut else cut
    return cut.rstrip(" ,;:-–—") + "…"


def empty_summary(report: Report) -> str:
    """What stands in for an empty summary: the pipeline's warning says why
    (a budget too small, or no sentence that stands alone)."""
    if report.warnings:
        return "No summary sentence could be chosen: the notes below say why."
    return "No sentence fits the length budget."


def _article_line(report: Report, n: int) -> str:
    a = report.articles[n - 1]
    bits = [a.outlet or a.id]
    if a.title and a.title != a.outlet:
        bits.append(f'"{a.title}"')
    if a.date:
        bits.append(a.date)
    if a.url:
        bits.append(a.url)
    elif a.origin:
        bits.append(a.origin)
    if a.duplicate_of:
        bits.append(f"(near-duplicate of {a.duplicate_of})")
    return " · ".join(bits)


def count(n: int, noun: str, many: str | None = None) -> str:
    """``n`` and the noun, singular for one: "1 article", "3 articles"
    (``many``: an irregular plural, e.g. "stories")."""
    return f"{n} {noun if n == 1 else (many or noun + 's')}"


def to_markdown(report: Report, title: str | None = None) -> str:
    """Markdown under ``title`` (default: :func:`headline`)."""
    numbers = source_numbers(report)
    accounts = report.meta.get("accounts", len(report.articles))
    lines = [f"# {title or headline(report)}", ""]
    lines.append(
        f"*{count(len(report.articles), 'article')}, "
        f"{count(accounts, 'independent account')}, length budget {report.length}.*"
    )
    lines.append("")
    if report.summary:
        lines.append(
            " ".join(
                f"{s.text} {_markers(report, numbers, i)}" for i, s in enumerate(report.summary)
            )
        )
    else:
        lines.append(f"_{empty_summary(report)}_")
    lines += ["", "## Sources", ""]
    lines += [f"{n}. {_article_line(report, n)}" for n in range(1, len(report.articles) + 1)]
    lines += ["", "## Evidence", ""]
    for i, s in enumerate(report.summary, 1):
        lines.append(f"{i}. {s.text}")
        for c in s.citations:
            # the span as given after a colon: no added quotes (it may open with one)
            quote = "" if c.text == s.text else f": {c.text}"
            lines.append(f"   - [{numbers[c.article]}] chars {c.start}–{c.end}{quote}")
    if report.analysis:
        from .analysis.render import to_markdown as analysis_md

        lines += ["", analysis_md(report)]
    if report.warnings:
        lines += ["", "## Notes", ""] + [f"- {w}" for w in report.warnings]
    return "\n".join(lines).rstrip() + "\n"


def to_text(report: Report) -> str:
    numbers = source_numbers(report)
    out = [f"{s.text} {_markers(report, numbers, i)}" for i, s in enumerate(report.summary)]
    out.append("")
    out += [f"[{n}] {_article_line(report, n)}" for n in range(1, len(report.articles) + 1)]
    if report.warnings:
        out += [""] + [f"note: {w}" for w in report.warnings]
    return "\n".join(out) + "\n"


def load_schema() -> dict:
    """The JSON Schema of ``--format json`` output (newsweave/schema/report.schema.json)."""
    from importlib.resources import files

    return json.loads(files("newsweave").joinpath("schema/report.schema.json").read_text())


def to_json(report: Report, *, indent: int | None = 2) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=indent) + "\n"


def to_jsonl_line(report: Report) -> str:
    """One batch line: ``{"id", "summary"}`` plus citations and counts, and
    the cross-source ``analysis`` when it was run."""
    row = {
        "id": report.id,
        "summary": report.summary_text,
        "length": report.length,
        "articles": len(report.articles),
        "sentences": [s.to_dict() for s in report.summary],
        "warnings": report.warnings,
    }
    if report.analysis is not None:
        row["analysis"] = report.analysis
    return json.dumps(row, ensure_ascii=False) + "\n"


def render(report: Report, fmt: str = "md", *, title: str | None = None) -> str:
    """``report`` in ``fmt``; ``title`` heads the ``md`` and ``html`` forms
    (default: :func:`headline`), e.g. a story's own title."""
    if fmt == "md":
        return to_markdown(report, title)
    if fmt == "json":
        return to_json(report)
    if fmt == "text":
        return to_text(report)
    if fmt == "jsonl":
        return to_jsonl_line(report)
    if fmt == "html":
        from .web.page import report_page

        return report_page(report, title=title)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
