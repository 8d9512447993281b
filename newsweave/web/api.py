"""JSON API mirroring the Python API (documented in the served OpenAPI schema).

- ``POST /api/synthesize``: articles in, ``Report.to_dict()`` out (like
  :func:`newsweave.pipeline.summarize`);
- ``GET /api/stories`` and ``GET /api/stories/{id}`` when the server runs
  with ``--db`` (like :mod:`newsweave.stories.service`).

Every error is ``{"error": {"code", "message"}}`` with a 4xx status (5xx only
for a bug, with a generic message).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..formats import check_metadata
from .service import Engine
from .stories import MAX_OFFSET, MAX_PAGE, PAGE, StoryStore

MAX_TEXT = 200_000


class ApiError(Exception):
    """An error answered as ``{"error": {"code", "message"}}`` with ``status``."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


class ArticleIn(BaseModel):
    """One article: its text, or a URL to fetch (when the server allows it)."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(
        None,
        max_length=MAX_TEXT,
        description="Article text, read as plain text (HTML markup is not extracted: "
        "give a web page by `url`); offsets index it as docs/schema.md says.",
    )
    title: str | None = Field(None, max_length=1000)
    outlet: str | None = Field(None, max_length=200, description="Publisher, e.g. Reuters.")
    url: str | None = Field(
        None,
        max_length=2000,
        description="Source URL. Without `text`, the server fetches it (if URL fetching is on).",
    )
    date: str | None = Field(None, max_length=64, description="ISO 8601 date or datetime.")
    id: str | None = Field(None, max_length=100, description="Article id (default a1, a2...).")

    @model_validator(mode="after")
    def _text_or_url(self) -> ArticleIn:
        if not (self.text and self.text.strip()) and not (self.url and self.url.strip()):
            raise ValueError("each article needs a non-empty 'text' (or a 'url' to fetch)")
        return self


class SynthesizeRequest(BaseModel):
    """Articles about one event, to be woven into one cited account."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "articles": [
                        {
                            "text": "MOSCOW (Reuters) - The Kremlin announced ...",
                            "outlet": "Reuters",
                        },
                        {
                            "text": "The United States wants firm evidence ...",
                            "title": "US wants evidence",
                        },
                    ],
                    "length": "150w",
                    "analyze": True,
                }
            ]
        },
    )

    articles: list[ArticleIn] = Field(..., min_length=1, max_length=50)
    length: str = Field(
        "150w",
        max_length=16,
        description="Length budget: words (150w), sentences (5s), bytes (665b) or auto.",
    )
    analyze: bool = Field(False, description="Add the cross-source analysis (`analysis` key).")


class SpanOut(BaseModel):
    article: str
    start: int = Field(description="Character offset into the article's text (code points).")
    end: int
    text: str


class SummarySentenceOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    text: str
    sentence: str = Field(description="Id of the source sentence (`<article id>#<index>`).")
    fact: str | None
    support: int = Field(description="Independent accounts supporting the sentence.")
    citations: list[SpanOut]


class ArticleOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    date: str | None = None
    chars: int | None = None


class ReportOut(BaseModel):
    """``Report.to_dict()``: the documented report schema (docs/schema.md)."""

    model_config = ConfigDict(extra="allow")
    schema_: str = Field("newsweave.report/1", alias="schema")
    id: str | None = None
    length: str
    summary: list[SummarySentenceOut]
    summary_text: str
    articles: list[ArticleOut]
    facts: list[dict[str, Any]] = []
    warnings: list[str] = []
    meta: dict[str, Any] = {}
    analysis: dict[str, Any] | None = Field(
        None,
        description="Cross-source analysis (agreements, exclusives, conflicts, quotes, "
        "entities, timeline...) when requested.",
    )


class StoryList(BaseModel):
    model_config = ConfigDict(extra="allow")
    stories: list[dict[str, Any]]
    total: int = Field(description="stories matching the search, on all pages")
    limit: int
    offset: int


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorOut(BaseModel):
    error: ErrorDetail


ERRORS = {
    400: {"model": ErrorOut, "description": "Empty body or malformed JSON"},
    401: {"model": ErrorOut, "description": "Missing or wrong API token (when one is set)"},
    413: {"model": ErrorOut, "description": "Request body too large"},
    415: {"model": ErrorOut, "description": "Content-Type is not application/json"},
    422: {"model": ErrorOut, "description": "Invalid request or unusable input"},
    500: {"model": ErrorOut, "description": "Internal error (generic message, logged)"},
    503: {"model": ErrorOut, "description": "Busy (retry after Retry-After seconds)"},
}


async def require_json(request: Request) -> None:
    """Refuse POST bodies that are not declared as JSON (415)."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != "application/json" and not ctype.endswith("+json"):
        raise ApiError(
            415,
            "unsupported_media_type",
            f"Content-Type must be application/json, not {ctype or 'missing'}",
        )


def engine(request: Request) -> Engine:
    return request.app.state.engine


def story_store(request: Request) -> StoryStore:
    store: StoryStore | None = request.app.state.stories
    if store is None:
        raise ApiError(404, "no_database", "this server runs without a story database (--db)")
    return store


router = APIRouter(prefix="/api", tags=["api"], responses=ERRORS)


@router.post(
    "/synthesize",
    response_model=ReportOut,
    response_model_by_alias=True,
    dependencies=[Depends(require_json)],
    summary="Summarise articles about one event, with citations",
)
async def synthesize(
    req: SynthesizeRequest, eng: Annotated[Engine, Depends(engine)]
) -> dict[str, Any]:
    """Same as ``newsweave.summarize(articles, length=..., analyze=...)``.

    Every summary sentence is copied from an article and cites each article
    that reports it, down to the character span (`citations`).
    """
    items = [a.model_dump(exclude_none=True) for a in req.articles]
    to_fetch = [i for i, a in enumerate(items) if not (a.get("text") or "").strip()]
    eng.check_count(len(items))
    notes: list[str] = []  # from reading fetched pages
    urls = [items[i]["url"] for i in to_fetch]
    fetched = await eng.articles_from_urls(urls, notes) if to_fetch else []
    rest = [a for i, a in enumerate(items) if i not in to_fetch]
    numbers = [i + 1 for i in range(len(items)) if i not in to_fetch]
    given = eng.articles_from_items(rest, numbers) if rest else []
    by_pos = dict(zip(to_fetch, fetched, strict=True))
    it = iter(given)
    articles = [by_pos[i] if i in by_pos else next(it) for i in range(len(items))]
    for i in to_fetch:  # keep the metadata the caller gave; ids a<n> by place, as the texts'
        by_pos[i].id = f"a{i + 1}"
        for key in ("title", "outlet", "date", "id"):
            if items[i].get(key):
                setattr(by_pos[i], key, items[i][key])
        check_metadata(by_pos[i], f"article {i + 1}")
    report = await eng.synthesize(articles, length=req.length, analyze=req.analyze, warnings=notes)
    return report.to_dict()


@router.get("/stories", response_model=StoryList, summary="Stories in the database (--db)")
async def stories(
    store: Annotated[StoryStore, Depends(story_store)],
    q: Annotated[str | None, Query(max_length=200, description="search the titles")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = PAGE,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> dict[str, Any]:
    """Same as ``newsweave.stories.service.list_stories(db, query=q,
    limit=limit, offset=offset)``, largest first, with ``total`` (stories
    matching ``q``)."""
    rows, total = await store.list(q, limit, offset)
    return {"stories": rows, "total": total, "limit": limit, "offset": offset}


@router.get("/stories/{story_id}", summary="One story with its report (--db)")
async def story(
    story_id: str, store: Annotated[StoryStore, Depends(story_store)]
) -> dict[str, Any]:
    """Same as ``newsweave.stories.service.get_story(db, id)``."""
    found = await store.get(story_id)
    if found is None:
        raise ApiError(404, "not_found", f"no story with id {story_id!r}")
    return found.as_dict()
