"""``newsweave stories | story``: the commands that read the story database."""

from __future__ import annotations

import json

import click

from ..cli import check_analysis_format, emit, output_option
from ..errors import InputError
from ..render import count
from .cli_options import db_option


def _md_cell(text: str) -> str:
    """``text`` for one cell of a Markdown table: on one line, ``|`` escaped."""
    return " ".join(text.split()).replace("|", "\\|")


def _span(row: dict) -> str:
    a, b = row["first_date"], row["last_date"]
    if not a:
        return "undated"
    return a if a == b else f"{a}..{b}"


@click.command()
@db_option
@click.option(
    "-n",
    "--limit",
    type=click.IntRange(min=0),
    default=50,
    show_default=True,
    help="Stories to list (0: all).",
)
@click.option(
    "--min-size",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Smallest story listed.",
)
@click.option(
    "--sort",
    "order",
    type=click.Choice(["size", "recent"]),
    default="size",
    show_default=True,
    help="size: largest first; recent: latest article first.",
)
@click.option(
    "-s",
    "--search",
    "query",
    default=None,
    metavar="TEXT",
    help="Only stories whose title or an article's title contains TEXT (any case, accents ignored).",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["text", "md", "json"]),
    default="text",
    show_default=True,
    help="text (a table for people), md (a Markdown table) or json (the rows).",
)
def stories(db_path, limit, min_size, order, query, fmt):
    """List the stories: id, size, outlets, time span and title."""
    from . import service

    db = service.open_db(db_path, create=False)
    try:
        rows = service.list_stories(
            db, limit=limit or None, min_size=min_size, order=order, query=query
        )
        total = service.count_stories(db, min_size=min_size, query=query)
        stored = service.count_stories(db) if not rows else total
    finally:
        db.close()
    if fmt == "json":
        click.echo(json.dumps(rows, indent=1, ensure_ascii=False))
        return
    if not rows:
        click.echo(_no_rows(db.path, stored, min_size, query), err=True)
        return
    if fmt == "md":
        lines = ["| id | articles | outlets | span | title |", "| ---: | ---: | --- | --- | --- |"]
        for r in rows:
            outs = ", ".join(r["outlets"][:3]) + (" …" if len(r["outlets"]) > 3 else "")
            cells = (_md_cell(outs), _span(r), _md_cell(r["title"] or ""))
            lines.append(f"| {r['id']} | {r['size']} | " + " | ".join(cells) + " |")
        click.echo("\n".join(lines))
    else:
        click.echo(f"{'ID':>6} {'SIZE':>5} {'OUTLETS':>7}  {'SPAN':<22} TITLE")
        for r in rows:
            title = " ".join((r["title"] or "").split())
            title = title if len(title) <= 70 else title[:69] + "…"
            click.echo(
                f"{r['id']:>6} {r['size']:>5} {len(r['outlets']):>7}  {_span(r):<22} {title}"
            )
    if len(rows) < total:
        click.echo(f"({len(rows)} of {total} stories; --limit 0 lists all)", err=True)


def _no_rows(db_path, stored: int, min_size: int, query: str | None) -> str:
    """What ``stories`` says instead of an empty table."""
    if not stored:
        return (
            f"{db_path}: no stories yet; add articles with 'newsweave ingest PATH --db {db_path}'"
        )
    bigger = f"{min_size} or more articles"
    if query and query.strip() and min_size > 1:  # both filters: which one left nothing is unknown
        return (
            f"no story matching {query!r} has {bigger} ({count(stored, 'story', 'stories')} in all)"
        )
    if query and query.strip():
        return f"no story matches {query!r}"
    return f"no story has {bigger} ({count(stored, 'story', 'stories')} in all)"


@click.command()
@click.argument("story_id", metavar="ID")
@db_option
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["md", "json", "text", "html"]),
    default="md",
    show_default=True,
    help="md, json (the report and a 'story' block), text (summary only) or html (one page).",
)
@output_option
@click.option(
    "-l",
    "--length",
    default=None,
    help="Summary length budget (150w, 5s, 665b or auto; default 150w).",
)
@click.option(
    "--embedder",
    default=None,
    help="Sentence embedder for the summary (default minilm). Env: NEWSWEAVE_EMBEDDER.",
)
@click.option(
    "--analyze/--no-analyze",
    default=None,
    help="Include the cross-source analysis (default: yes, except with -f text).",
)
@click.option("--refresh", is_flag=True, help="Recompute the report even if it is stored.")
def story(story_id, db_path, fmt, output, length, embedder, analyze, refresh):
    """Show one story's full report: summary with citations and analysis."""
    from ..render import render
    from . import service

    check_analysis_format(analyze, fmt, "md, json or html")
    analyze = fmt != "text" if analyze is None else analyze

    db = service.open_db(db_path, create=False)
    try:
        try:
            st = service.get_story(
                db, story_id, length=length, analyze=analyze, embedder=embedder, refresh=refresh
            )
        except KeyError:
            raise InputError(
                f"{db.path}: no story {story_id!r} (list them with 'newsweave stories')"
            ) from None
    finally:
        db.close()
    if st.report is None:
        raise InputError(f"{db.path}: story {story_id} has no articles")
    if fmt == "json":
        data = json.loads(render(st.report, "json"))
        data["story"] = {k: v for k, v in st.to_dict().items() if k != "report"}
        text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
    else:
        title = " ".join((st.title or "").split()) or None  # the title 'stories' lists
        text = render(st.report, fmt, title=title)
        span = _span({"first_date": st.first_date, "last_date": st.last_date})
        outs = _outlet_list(st.outlets)
        if fmt == "md":
            text = (
                f"<!-- story {st.id}: {count(st.size, 'article')}, {outs}, {span} -->\n"
                f"*Story {st.id} · {count(st.size, 'article')} · {outs} · {span}*\n\n" + text
            )
        elif fmt == "html":
            text = _html_header(
                text, f"Story {st.id} · {count(st.size, 'article')} · {outs} · {span}"
            )
    emit(text, output)


def _html_header(page: str, line: str) -> str:
    """The report ``page`` with the story's header ``line`` (size, outlets,
    time span: the Markdown form's) under its title."""
    from html import escape

    head = f'<p class="meta story-meta">{escape(line)}</p>\n'
    at = page.find("</h1>")
    return page if at < 0 else page[: at + 5] + "\n" + head + page[at + 5 :].lstrip("\n")


def _outlet_list(outlets: list[str], shown: int = 8) -> str:
    """A story header's outlets: the first ``shown`` (most frequent first), then how many more."""
    more = f" and {len(outlets) - shown} more" if len(outlets) > shown else ""
    return ", ".join(outlets[:shown]) + more if outlets else "unknown outlets"
