"""HTML pages for the story database: ``/stories`` and ``/stories/{id}``.

Only mounted usefully when the server runs with ``--db``; the data comes
from :class:`~.stories.StoryStore` (a thin adapter over
:mod:`newsweave.stories.service`), and story reports are rendered with the
same report body as any other report.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.exceptions import HTTPException

from .markup import esc
from .page import report_body
from .stories import PAGE, StoryStore
from .views import page as render_page

router = APIRouter(include_in_schema=False)
TITLE_KEYS = ("title", "headline", "name", "label")
COLUMNS = (
    ("size", "Articles"),
    ("articles", "Articles"),
    ("outlets", "Outlets"),
    ("first_date", "First"),
    ("last_date", "Last"),
    ("updated_at", "Updated"),
)


def _store(request: Request) -> StoryStore:
    store = request.app.state.stories
    if store is None:
        raise HTTPException(
            404, "this server runs without a story database (start it with --db FILE)"
        )
    return store


def _title(story: Mapping[str, Any]) -> str:
    for key in TITLE_KEYS:
        value = story.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return f"Story {story.get('id', '')}"


def _cell(value: Any) -> str:
    if isinstance(value, list):
        if all(isinstance(v, str | int | float) for v in value):
            return esc(", ".join(str(v) for v in value[:6]) + (" …" if len(value) > 6 else ""))
        return esc(len(value))
    if isinstance(value, Mapping):
        return esc(len(value))
    return esc(value)


@router.get("/stories", response_class=HTMLResponse)
async def stories_page(request: Request, q: str = "", page: int = 1) -> HTMLResponse:
    q, page = q.strip()[:200], max(1, min(page, 10**6))
    rows, total = await _store(request).list(q or None, PAGE, (page - 1) * PAGE)
    cols: list[tuple[str, str]] = []
    seen_labels: set[str] = set()
    for key, label in COLUMNS:
        if label not in seen_labels and any(key in r for r in rows):
            cols.append((key, label))
            seen_labels.add(label)
    head = "".join(f'<th scope="col">{esc(label)}</th>' for _, label in cols)
    body_rows = []
    for story in rows:
        sid = str(story.get("id", ""))
        link = (
            f'<a href="/stories/{esc(sid)}">{esc(_title(story))}</a>' if sid else esc(_title(story))
        )
        cells = "".join(f"<td>{_cell(story.get(k))}</td>" for k, _ in cols)
        body_rows.append(f"<tr><td>{link}</td>{cells}</tr>")
    if body_rows:
        table = (  # wide tables scroll in their own box, never the page (narrow screens)
            '<div class="table-wrap" role="region" tabindex="0" aria-label="Stories">'
            f'<table class="list"><caption class="visually-hidden">Stories</caption>'
            f'<thead><tr><th scope="col">Story</th>{head}</tr></thead>'
            f"<tbody>{''.join(body_rows)}</tbody></table></div>"
        )
    elif total:  # a page past the end (an old link, a hand-made ?page=)
        last = -(-total // PAGE)
        table = (
            f'<p class="empty">Page {page} is past the last page; '
            f'<a href="{esc(_page_href(q, last))}">go to page {last}</a>.</p>'
        )
    elif q:
        table = f'<p class="empty">No story title matches “{esc(q)}”.</p>'
    else:
        table = (
            '<p class="empty">No stories yet. Add articles with <code>newsweave ingest</code>.</p>'
        )
    search = (
        '<form class="search" method="get" action="/stories" role="search">'
        '<label for="q">Search titles</label> '
        f'<input id="q" name="q" type="search" maxlength="200" value="{esc(q)}"> '
        '<button type="submit">Search</button></form>'
    )
    first = (page - 1) * PAGE + 1
    shown = f"{first}–{first + len(rows) - 1} of {total}" if rows else f"0 of {total}"
    meta = f'<p class="meta">Stories {shown}{f" matching “{esc(q)}”" if q else ""}</p>'
    body = (
        f'<main id="main" class="narrow"><h1>Stories</h1>{search}{meta}{table}'
        f"{_pager(q, page, total)}</main>"
    )
    return render_page(request, "newsweave: stories", body)


def _page_href(q: str, page: int) -> str:
    from urllib.parse import urlencode

    return "/stories?" + urlencode({**({"q": q} if q else {}), "page": page})


def _pager(q: str, page: int, total: int) -> str:
    """Previous / next links of the story list."""
    links = []
    if page > 1:
        prev = min(page - 1, max(1, -(-total // PAGE)))  # from past the end: the last page
        links.append(f'<a rel="prev" href="{esc(_page_href(q, prev))}">← Previous</a>')
    if page * PAGE < total:
        links.append(f'<a rel="next" href="{esc(_page_href(q, page + 1))}">Next →</a>')
    return f'<nav class="pager" aria-label="Pages">{" ".join(links)}</nav>' if links else ""


def _story_fields(data: Mapping[str, Any]) -> str:
    rows = []
    for key, value in data.items():
        if key in TITLE_KEYS or isinstance(value, Mapping) or value in (None, "", []):
            continue
        if isinstance(value, list) and any(isinstance(v, Mapping) for v in value):
            continue
        rows.append(f"<dt>{esc(key.replace('_', ' '))}</dt><dd>{_cell(value)}</dd>")
    return f'<dl class="fields">{"".join(rows)}</dl>' if rows else ""


def _article_list(data: Mapping[str, Any]) -> str:
    arts = data.get("articles")
    if not isinstance(arts, list) or not arts or not isinstance(arts[0], Mapping):
        return ""
    items = []
    for a in arts:
        name = a.get("title") or a.get("url") or a.get("id") or "article"
        bits = [esc(b) for b in (a.get("outlet"), a.get("date")) if b]
        meta = f' <span class="hint">{" · ".join(bits)}</span>' if bits else ""
        items.append(f"<li>{esc(name)}{meta}</li>")
    return f'<section class="card"><h2>Articles</h2><ul>{"".join(items)}</ul></section>'


@router.get("/stories/{story_id}", response_class=HTMLResponse)
async def story_page(request: Request, story_id: str) -> HTMLResponse:
    view = await _store(request).get(story_id)
    if view is None:
        raise HTTPException(404, f"no story with id {story_id!r}")
    actions = [("/stories", "All stories")]
    if not request.app.state.engine.settings.token:  # else the API wants a Bearer header,
        actions.append((f"/api/stories/{story_id}", "JSON"))  # which a browser link lacks
    if view.report is not None:
        title = _title(view.data)  # the story's title, as the list shows it
        return render_page(request, title, report_body(view.report, actions=actions, title=title))
    links = "".join(f'<li><a href="{esc(h)}">{esc(t)}</a></li>' for h, t in actions)
    body = (
        f'<main id="main" class="narrow"><h1>{esc(_title(view.data))}</h1>'
        f'<ul class="actions">{links}</ul>'
        f'<section class="card">{_story_fields(view.data)}</section>{_article_list(view.data)}</main>'
    )
    return render_page(request, _title(view.data), body)
