"""``/docs``: the OpenAPI schema as a readable page, served by the app itself.

FastAPI's Swagger UI loads its JavaScript from a CDN, which neither works
offline nor passes the server's Content-Security-Policy; this page is plain
server-rendered HTML built from ``app.openapi()``. The machine-readable
schema stays at ``/openapi.json``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from .markup import esc
from .page import layout


def _text(value: Any) -> str:
    """Escape ``value``, then show `code` spans (from docstrings) as <code>."""
    return re.sub(r"``?([^`]+)``?", r"<code>\1</code>", esc(value))


def _ref(schema: Mapping[str, Any], spec: Mapping[str, Any]) -> Mapping[str, Any]:
    ref = schema.get("$ref")
    if not ref:
        return schema
    node: Any = spec
    for part in ref.lstrip("#/").split("/"):
        node = node.get(part, {})
    return node


def _type(schema: Mapping[str, Any], spec: Mapping[str, Any]) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(_type(s, spec) for s in schema["anyOf"])
    kind = schema.get("type", "any")
    if kind == "array":
        return f"list[{_type(schema.get('items', {}), spec)}]"
    return str(kind)


def _fields(name: str, spec: Mapping[str, Any], seen: set[str]) -> str:
    if name in seen:
        return ""
    seen.add(name)
    schema = spec.get("components", {}).get("schemas", {}).get(name, {})
    props = schema.get("properties", {})
    required = set(schema.get("required", []))
    rows, nested = [], []
    for key, prop in props.items():
        limits = [
            f"{k} {prop[k]}"
            for k in ("minLength", "maxLength", "minItems", "maxItems")
            if k in prop
        ]
        default = f"default {json.dumps(prop['default'])}" if "default" in prop else ""
        notes = ", ".join(x for x in [*limits, default] if x)
        rows.append(
            f"<tr><td><code>{esc(key)}</code>{' *' if key in required else ''}</td>"
            f"<td><code>{esc(_type(prop, spec))}</code></td>"
            f"<td>{_text(prop.get('description', ''))} <span class='hint'>{esc(notes)}</span></td></tr>"
        )
        for sub in (prop, prop.get("items", {}), *prop.get("anyOf", [])):
            if isinstance(sub, Mapping) and "$ref" in sub:
                nested.append(sub["$ref"].rsplit("/", 1)[-1])
            if (
                isinstance(sub, Mapping)
                and isinstance(sub.get("items"), Mapping)
                and "$ref" in sub["items"]
            ):
                nested.append(sub["items"]["$ref"].rsplit("/", 1)[-1])
    table = (
        f"<h4><code>{esc(name)}</code></h4><p>{esc(schema.get('description', ''))}</p>"
        f'<div class="table-wrap" role="region" tabindex="0" aria-label="Fields of {esc(name)}">'
        '<table class="list"><thead><tr><th scope="col">Field</th><th scope="col">Type</th>'
        f'<th scope="col">Notes</th></tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
    )
    return table + "".join(_fields(n, spec, seen) for n in nested)


def docs_html(spec: Mapping[str, Any], base: str = "http://127.0.0.1:8000") -> str:
    """The body of the API documentation page for an OpenAPI ``spec``;
    ``base`` is the server's own address, for the example to work as copied."""
    ops = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            body = ""
            content = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            if content:
                name = _type(content.get("schema", {}), spec)
                body = f"<h3>Request body (application/json)</h3>{_fields(name, spec, set())}"
            responses = "".join(
                f"<li><code>{esc(code)}</code> {esc(r.get('description', ''))}</li>"
                for code, r in op.get("responses", {}).items()
            )
            ops.append(
                f'<section class="card"><h2><code>{esc(method.upper())} {esc(path)}</code></h2>'
                f"<p><strong>{esc(op.get('summary', ''))}</strong></p>"
                f"<p>{_text(op.get('description', ''))}</p>{body}"
                f"<h3>Responses</h3><ul>{responses}</ul></section>"
            )
    example = json.dumps(
        {"articles": [{"text": "...", "outlet": "Reuters"}, {"text": "..."}], "length": "150w"}
    )
    info = spec.get("info", {})
    return f"""<main id="main" class="narrow">
<h1>{esc(info.get("title", "API"))} API <span class="hint">v{esc(info.get("version", ""))}</span></h1>
<p class="intro">{_text(info.get("description", ""))}</p>
<ul class="actions"><li><a href="/openapi.json">OpenAPI schema (JSON)</a></li></ul>
<section class="card"><h2>Try it</h2>
<pre><code>curl -s {esc(base.rstrip("/"))}/api/synthesize \\
  -H 'Content-Type: application/json' \\
  -d '{esc(example)}'</code></pre></section>
{"".join(ops)}
</main>"""


def docs_page(request: Request) -> HTMLResponse:
    """The page for ``request``: its example calls this server at the address
    the browser used, and the top links are every page's (Stories with ``--db``)."""
    from .views import nav

    spec = request.app.openapi()
    return HTMLResponse(
        layout(
            "newsweave API",
            docs_html(spec, str(request.base_url)),
            nav=nav(request),
            current="/docs",
        )
    )
