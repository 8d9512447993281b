"""Server-rendered HTML pages: the input form, reports, stories, login.

Pages are built with :func:`newsweave.web.page.layout` (escaped markup, one
stylesheet, one small script). A submitted form is answered with a redirect
to ``/report/<id>`` (the report is kept in memory for a while), so reloading
the report page never re-submits the articles.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as FormRefused

from ..errors import InputError
from .markup import attrs, esc
from .page import layout, report_body
from .security import COOKIE, local_target, session_value
from .service import Engine, analysis_available

log = logging.getLogger("newsweave.web")
router = APIRouter(include_in_schema=False)
LENGTHS = ("100w", "150w", "250w", "400w", "3s", "5s", "8s", "665b")


def nav(request: Request) -> list[tuple[str, str]]:
    links = [("/", "New report")]
    if request.app.state.stories is not None:
        links.append(("/stories", "Stories"))
    links.append(("/docs", "API"))
    return links


def page(request: Request, title: str, body: str, *, status: int = 200) -> HTMLResponse:
    html = layout(title, body, nav=nav(request), current=request.url.path)
    return HTMLResponse(html, status_code=status)


def _article_box(n: int, values: dict[str, str]) -> str:
    def field(name: str, label: str, kind: str = "text", hint: str = "") -> str:
        fid = f"{name}-{n}"
        hint_html = f' <span class="hint">{esc(hint)}</span>' if hint else ""
        return (
            f'<div><label for="{fid}">{esc(label)}{hint_html}</label>'
            f"<input{attrs(type=kind, id=fid, name=name, value=values.get(name, ''), autocomplete='off')}></div>"
        )

    return f"""<fieldset class="article">
<legend>Article {n}</legend>
<div class="row">{field("title", "Title", hint="optional")}{field("outlet", "Outlet", hint="optional, e.g. Reuters")}</div>
<label for="text-{n}">Text</label>
<textarea id="text-{n}" name="text" rows="8" spellcheck="false">{esc(values.get("text", ""))}</textarea>
</fieldset>"""


def input_page(
    request: Request,
    *,
    error: str | None = None,
    form: dict[str, Any] | None = None,
    status: int = 200,
) -> HTMLResponse:
    """The form: paste articles, upload files, or give URLs."""
    eng: Engine = request.app.state.engine
    form = form or {}
    boxes = form.get("boxes") or [{}, {}]
    articles = "\n".join(_article_box(i, v) for i, v in enumerate(boxes, 1))
    length = form.get("length") or "150w"
    options = "".join(
        f"<option{attrs(value=v, selected=v == length)}>{esc(v)}</option>"
        for v in dict.fromkeys((length, *LENGTHS))
    )
    urls = ""
    if eng.settings.allow_urls:
        urls = f"""<fieldset>
<legend>Links</legend>
<label for="urls">Article URLs <span class="hint">one per line; public http(s) pages only</span></label>
<textarea id="urls" name="urls" rows="3" spellcheck="false">{esc(form.get("urls", ""))}</textarea>
</fieldset>"""
    analyze = ""
    if analysis_available():
        checked = form.get("analyze", True)
        analyze = (
            f'<label class="check"><input{attrs(type="checkbox", name="analyze", value="1", checked=bool(checked))}>'
            "Cross-source analysis (agreements, conflicts, quotes, entities, timeline)</label>"
        )
    err = f'<div class="error" role="alert" id="form-error">{esc(error)}</div>' if error else ""
    uploaded = form.get("files") or []
    again = (  # a browser never refills a file input: say which files to choose again
        f'<p class="hint" id="files-again">Choose the files again: uploads are not kept '
        f"when the form comes back with an error ({esc(', '.join(uploaded))}).</p>"
        if uploaded
        else ""
    )
    max_mb = eng.settings.max_body / 2**20
    body = f"""<main id="main" class="narrow">
<h1>Weave articles into one cited account</h1>
<p class="intro">Give several articles about the same event. newsweave writes a short
account in which every sentence is copied from a source and cites every article that
reports it; select a citation to see the sentence in its article.</p>
{err}
<form id="synth-form" method="post" action="/report" enctype="multipart/form-data">
<div id="article-list">
{articles}
</div>
<p><button type="button" class="secondary" id="add-article" hidden>Add another article</button></p>
<fieldset>
<legend>Files</legend>
<label for="files">Upload articles <span class="hint">text, HTML, JSON or JSONL; up to {max_mb:g} MB in all</span></label>
<input type="file" id="files" name="files" multiple accept=".txt,.text,.md,.html,.htm,.json,.jsonl,text/plain,text/html,application/json">
{again}</fieldset>
{urls}
<fieldset>
<legend>Options</legend>
<div class="row"><div><label for="length">Length <span class="hint">words (w), sentences (s) or bytes (b)</span></label>
<select id="length" name="length">{options}</select></div></div>
{analyze}
</fieldset>
<div class="buttons"><button type="submit" id="submit">Write the report</button>
<span class="hint">Nothing is saved: the report stays in this server's memory for a while.</span></div>
</form>
</main>"""
    return page(request, "newsweave: new report", body, status=status)


async def _read_form(
    request: Request, eng: Engine
) -> tuple[dict[str, Any], list[tuple[str, bytes]]]:
    limits = eng.settings
    try:
        form = await request.form(
            max_files=limits.max_upload_files,
            max_fields=3 * limits.max_articles + 10,
            max_part_size=limits.max_body,
        )
    except FormRefused as exc:  # Starlette's form parser refuses the form (400)
        raise InputError(_form_refused(str(exc.detail), limits)) from None
    texts = [str(v) for v in form.getlist("text")]
    titles = [str(v) for v in form.getlist("title")]
    outlets = [str(v) for v in form.getlist("outlet")]
    boxes = []
    for i, text in enumerate(texts):
        boxes.append(
            {
                "text": text,
                "title": titles[i] if i < len(titles) else "",
                "outlet": outlets[i] if i < len(outlets) else "",
            }
        )
    files = []
    for f in form.getlist("files"):
        if isinstance(f, UploadFile) and f.filename:
            files.append((f.filename, await f.read()))
    await form.close()
    values = {
        "boxes": boxes or [{}, {}],
        "urls": str(form.get("urls") or ""),
        "length": str(form.get("length") or "150w"),
        "analyze": bool(form.get("analyze")),
        "files": [name for name, _ in files],
    }
    return values, files


def _form_refused(detail: str, limits: Any) -> str:
    """The message for a form Starlette's parser refused: its limits are
    counted in form fields (three per article box), which the user never sees."""
    if detail.startswith("Too many files"):
        return (
            f"more than {limits.max_upload_files} files uploaded; the limit is "
            f"{limits.max_upload_files} per request"
        )
    if detail.startswith("Too many fields"):
        return (
            f"more than {limits.max_articles} article boxes sent; the limit is "
            f"{limits.max_articles} articles per request"
        )
    return f"the form could not be read ({detail.rstrip('.')})"


def _check_boxes(boxes: list[dict[str, str]]) -> None:
    """Refuse an article box with a title or outlet but no text: an empty
    box is skipped, so its title would otherwise vanish without a word."""
    for i, box in enumerate(boxes, 1):
        if not (box.get("text") or "").strip():
            given = [k for k in ("title", "outlet") if (box.get(k) or "").strip()]
            if given:
                raise InputError(
                    f"article {i} has a {' and an '.join(given)} but no text: paste its "
                    "text, or clear the box"
                )


@router.get("/favicon.ico", include_in_schema=False)
async def favicon() -> Response:
    """No icon (the pages say so with ``rel="icon" href="data:,"``); browsers
    still ask for this one on the JSON views: answer without an error."""
    return Response(status_code=204, headers={"cache-control": "public, max-age=86400"})


@router.get("/docs", response_class=HTMLResponse)
async def api_docs(request: Request) -> HTMLResponse:
    """The API documentation, rendered from the app's OpenAPI schema."""
    from .api_docs import docs_page

    return docs_page(request)


@router.get("/", response_class=HTMLResponse)
async def index(request: Request) -> HTMLResponse:
    return input_page(request)


@router.api_route("/report", methods=["GET", "POST"])
async def submit(request: Request) -> Response:
    if request.method == "GET":  # a form error page's address opened again: the form
        return RedirectResponse("/", status_code=303)
    eng: Engine = request.app.state.engine
    ctype = request.headers.get("content-type", "")
    if not ctype.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        return input_page(request, error="the form must be sent as a web form", status=415)
    try:
        values, files = await _read_form(request, eng)
    except InputError as exc:  # nothing of the form could be read: an empty form
        return input_page(request, error=str(exc), status=422)
    try:
        _check_boxes(values["boxes"])
        numbers = [n for n, b in enumerate(values["boxes"], 1) if (b.get("text") or "").strip()]
        pasted = [values["boxes"][n - 1] for n in numbers]
        articles = eng.articles_from_items(pasted, numbers) if pasted else []
        notes: list[str] = []
        if files:
            articles += await eng.read_files(files, notes)
        urls = [u.strip() for u in values["urls"].splitlines() if u.strip()]
        if urls:
            articles += await eng.articles_from_urls(urls, notes)
        report = await eng.synthesize(
            articles, length=values["length"], analyze=values["analyze"], warnings=notes
        )
    except InputError as exc:
        return input_page(request, error=str(exc), form=values, status=422)
    key = eng.reports.add(report)
    return RedirectResponse(f"/report/{key}", status_code=303)


def _report_or_404(request: Request, key: str):
    report = request.app.state.engine.reports.get(key)
    if report is None:
        body = (
            '<main id="main" class="narrow"><h1>Report not found</h1><p>Reports are kept in '
            'memory for a while only. <a href="/">Write a new one</a>.</p></main>'
        )
        return None, page(request, "Report not found", body, status=404)
    return report, None


_DOWNLOADS = {"html": "text/html; charset=utf-8", "md": "text/markdown; charset=utf-8"}


def _download(request: Request, key: str, fmt: str) -> Response:
    """The report as a file to save: one self-contained HTML page, or Markdown
    as ``newsweave summarize -f md`` prints it."""
    from ..render import render
    from .page import report_page

    report, missing = _report_or_404(request, key)
    if missing:
        return missing
    return Response(
        report_page(report) if fmt == "html" else render(report, fmt),
        media_type=_DOWNLOADS[fmt],
        headers={"content-disposition": f'attachment; filename="newsweave-{key}.{fmt}"'},
    )


@router.get("/report/{key}.html")
async def report_download(request: Request, key: str) -> Response:
    return _download(request, key, "html")


@router.get("/report/{key}.md")
async def report_markdown(request: Request, key: str) -> Response:
    return _download(request, key, "md")


@router.get("/report/{key}.json")
async def report_json(request: Request, key: str) -> Response:
    report = request.app.state.engine.reports.get(key)
    if report is None:  # answered in JSON, as every .json path
        raise HTTPException(404, "report not found: reports are kept in memory for a while only")
    return JSONResponse(report.to_dict())


@router.get("/report/{key}", response_class=HTMLResponse)
async def report_view(request: Request, key: str) -> HTMLResponse:
    report, missing = _report_or_404(request, key)
    if missing:
        return missing
    actions = [
        ("/", "New report"),
        (f"/report/{key}.html", "Download as one HTML file"),
        (f"/report/{key}.json", "JSON"),
        (f"/report/{key}.md", "Markdown"),
    ]
    from .page import _headline

    return page(request, _headline(report), report_body(report, actions=actions))


@router.get("/login", response_class=HTMLResponse)
async def login_form(request: Request) -> Response:
    target = local_target(request.query_params.get("next"))
    if not request.app.state.engine.settings.token:
        return RedirectResponse(target, status_code=303)
    return _login_page(request, target)


def _login_page(
    request: Request, target: str, error: str | None = None, status: int = 200
) -> HTMLResponse:
    """The sign-in form; ``target`` (a local path) is where it leads after."""
    err = f'<div class="error" role="alert">{esc(error)}</div>' if error else ""
    back = f'<input type="hidden" name="next" value="{esc(target)}">' if target != "/" else ""
    body = f"""<main id="main" class="narrow"><h1>Sign in</h1>{err}
<form method="post" action="/login">{back}<fieldset><legend>Access token</legend>
<label for="token">Token <span class="hint">as given to <code>newsweave serve --token</code></span></label>
<input type="password" id="token" name="token" autocomplete="current-password" required>
</fieldset><div class="buttons"><button type="submit">Sign in</button></div></form></main>"""
    return page(request, "newsweave: sign in", body, status=status)


@router.post("/login")
async def login(request: Request) -> Response:
    import hmac

    token = request.app.state.engine.settings.token
    form = await request.form(max_files=0, max_fields=5)
    given = str(form.get("token") or "")
    target = local_target(str(form.get("next") or ""))  # never another site
    if not token:
        return RedirectResponse(target, status_code=303)
    if not hmac.compare_digest(given.encode(), token.encode()):
        return _login_page(request, target, error="wrong token", status=401)
    resp = RedirectResponse(target, status_code=303)
    resp.set_cookie(
        COOKIE,
        session_value(token),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return resp
