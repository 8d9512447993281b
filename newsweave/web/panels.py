"""Panels for the cross-source analysis (``report.analysis``).

The analysis is the dict of :func:`newsweave.analysis.analyze` (see
docs/analysis.md). Each known key that is present gets a panel, in a fixed
order; missing or empty keys are skipped; an item of an unexpected shape
falls back to a generic rendering (title, fields, and every evidence span
``{article, start, end, text}`` as a quote with a citation marker). Nothing
here trusts the analysis text: all of it is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..records import Report
from .markup import Sources, esc, is_span

PANELS: tuple[tuple[str, str], ...] = (
    ("agreements", "Agreements across sources"),
    ("exclusives", "Only in one source"),
    ("conflicts", "Conflicts"),
    ("quotes", "Quotes by speaker"),
    ("speakers", "Speakers"),
    ("entities", "People, organisations and places"),
    ("timeline", "Timeline"),
)
TITLE_KEYS = ("claim", "statement", "summary", "name", "label", "title", "topic", "text", "quote")
# bookkeeping fields not worth showing to a reader
HIDDEN_KEYS = frozenset(
    {
        "id",
        "fact",
        "facts",
        "sentences",
        "mentions",
        "salience",
        "closest_other",
        "similarity",
        "entity",
        "key",
        "keys",
        "speaker",
        "speaker_resolved_by",
        "granularity",
        "per_source",
    }
)
MAX_ITEMS = 40
MAX_CHIPS = 60
OPEN_UP_TO = 12  # panels with more items start folded
INTROS = {
    "agreements": "Facts carried by two or more independent accounts, in each source's words.",
    "exclusives": "Salient facts that only one account reports.",
    "conflicts": "Statements that disagree between sources, side by side.",
    "quotes": "Direct and reported speech, grouped by speaker; the quoted words are marked.",
    "timeline": "Dated events, resolved against the article dates; the date words are marked.",
}


def _spans_in(value: Any) -> list[Mapping[str, Any]]:
    """Evidence spans directly in ``value`` (a span or a list of spans)."""
    if is_span(value):
        return [value]
    if isinstance(value, list):
        return [v for v in value if is_span(v)]
    return []


def _evidence_article(ev: Any) -> Any:
    """The article of an evidence item: a span, or ``{sentence: span, ...}``."""
    if is_span(ev):
        return ev["article"]
    sentence = ev.get("sentence") if isinstance(ev, Mapping) else None
    return sentence["article"] if is_span(sentence) else None


def _title(item: Mapping[str, Any]) -> tuple[str | None, str | None]:
    for key in TITLE_KEYS:
        v = item.get(key)
        if isinstance(v, str) and v.strip():
            return key, v
    return None, None


def _words(key: str) -> str:
    return key.replace("_", " ")


def _refs(value: Any, src: Sources) -> str:
    ids = value if isinstance(value, list) else [value]
    return ", ".join(src.article_ref(str(v)) for v in ids)


def _scalar(key: str, value: Any, src: Sources) -> str:
    if key in ("article", "source", "articles", "sources", "outlets"):
        return _refs(value, src)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, list):
        return ", ".join(esc(v) for v in value if not isinstance(v, dict | list))
    if isinstance(value, Mapping):
        return ", ".join(
            f"{esc(k)}: {esc(v)}" for k, v in value.items() if not isinstance(v, dict | list)
        )
    return esc(value)


def emphasised(src: Sources, outer: Mapping[str, Any], inner: Any) -> str:
    """A quote of span ``outer`` with span ``inner`` (inside it) in ``<mark>``."""
    text = outer.get("text", "")
    if is_span(inner) and inner["article"] == outer["article"]:
        a, b = inner["start"] - outer["start"], inner["end"] - outer["start"]
        if 0 <= a < b <= len(text):
            body = f"{esc(text[:a])}<mark>{esc(text[a:b])}</mark>{esc(text[b:])}"
            return (
                f'<blockquote class="ev"><span class="who">{esc(src.label(outer["article"]))}</span>'
                f"{body} {src.cite(outer)}</blockquote>"
            )
    return src.quote(outer)


def item_html(
    item: Any, src: Sources, *, depth: int = 0, hide: frozenset[str] = frozenset()
) -> str:
    """Generic rendering: a title, its fields and its evidence quotes.

    ``hide`` names fields already shown around the item (a group heading).
    """
    if is_span(item):
        return src.quote(item)
    if not isinstance(item, Mapping):
        return f"<p>{esc(item)}</p>"
    title_key, title = _title(item)
    quoted = {s["text"].strip() for v in item.values() for s in _spans_in(v)}
    head = ""
    if title and title.strip() not in quoted:  # else the quote below says it already
        head = f'<p class="item-title"><strong>{esc(title)}</strong></p>'
    fields, quotes, nested = [], [], []
    for key, value in item.items():
        if key == title_key or key in HIDDEN_KEYS or key in hide or value in (None, "", [], {}):
            continue
        spans = _spans_in(value)
        if spans:
            quotes += [src.quote(s) for s in spans]
        elif isinstance(value, list) and all(isinstance(v, Mapping) for v in value):
            if depth < 2:
                inner = "".join(f"<li>{item_html(v, src, depth=depth + 1)}</li>" for v in value)
                nested.append(f"<ul class='items'>{inner}</ul>")
        else:
            fields.append(f"<dt>{esc(_words(key))}</dt><dd>{_scalar(key, value, src)}</dd>")
    dl = f'<dl class="fields">{"".join(fields)}</dl>' if fields else ""
    return head + dl + "".join(quotes) + "".join(nested)


def _list(items: list[Any], src: Sources, render=None) -> str:
    render = render or (lambda i: item_html(i, src))
    shown = items[:MAX_ITEMS]
    rows = "".join(f"<li>{render(i)}</li>" for i in shown)
    return f'<ul class="items">{rows}</ul>{_more(len(items), len(shown))}'


def _more(total: int, shown: int) -> str:
    """The note under a cut list: how many items the page leaves out (they
    are all in the JSON download)."""
    more = total - shown
    return f'<p class="hint">{more} more not shown.</p>' if more > 0 else ""


# -- one renderer per known key ------------------------------------------------
def _agreement(item: Any, src: Sources) -> str:
    """One shared fact: each source's own wording, side by side."""
    spans = _spans_in(item.get("evidence")) if isinstance(item, Mapping) else []
    if not spans:
        return item_html(item, src)
    n = item.get("accounts")
    badge = ""
    if isinstance(n, int) and not item.get("all"):
        badge = f'<p class="hint">{n} independent accounts</p>'
    cols = "".join(
        f"<div><h3>{esc(src.label(s['article']))}</h3>{src.quote(s, who=False)}</div>"
        for s in src.numbered(spans)
    )
    return f'{badge}<div class="versus">{cols}</div>'


def _exclusive(item: Any, src: Sources) -> str:
    if isinstance(item, Mapping) and _spans_in(item.get("evidence")):
        return "".join(src.quote(s, who=False) for s in src.numbered(_spans_in(item["evidence"])))
    return item_html(item, src)


def _exclusives(value: Any, src: Sources) -> str:
    if isinstance(value, Mapping):  # {article id: [items]}
        out = []
        for art, items in value.items():
            items = items if isinstance(items, list) else [items]
            if items:
                out.append(f"<h3>{src.article_ref(str(art))}</h3>")
                out.append(_list(items, src, lambda i: _exclusive(i, src)))
        return "".join(out)
    return _list(value if isinstance(value, list) else [value], src)


def _side(side: Any, src: Sources) -> str:
    if not isinstance(side, Mapping):
        return item_html(side, src)
    value = side.get("value")
    head = f'<p class="item-title"><strong>{esc(value)}</strong></p>' if value else ""
    sentence = side.get("sentence")
    if is_span(sentence):
        return head + emphasised(src, sentence, side.get("evidence"))
    return head + item_html({k: v for k, v in side.items() if k != "value"}, src, depth=1)


def _conflict(item: Any, src: Sources) -> str:
    if not isinstance(item, Mapping):
        return item_html(item, src)
    sides = item.get("sides")
    if not (isinstance(sides, list) and len(sides) >= 2):
        return item_html(item, src)
    kind, detail = item.get("type"), item.get("detail") or item.get("topic")
    head = " — ".join(esc(x) for x in (kind, detail) if x)
    cols = []
    for side in sides:
        art = side.get("article") if isinstance(side, Mapping) else None
        if not art and isinstance(side, Mapping):
            spans = [s for v in side.values() for s in _spans_in(v)]
            art = spans[0]["article"] if spans else None
        heading = esc(src.label(str(art))) if art else "Source"
        cols.append(f"<div><h3>{heading}</h3>{_side(side, src)}</div>")
    title = f'<p class="item-title"><strong>{head}</strong></p>' if head else ""
    return f'{title}<div class="versus">{"".join(cols)}</div>'


def _quote(item: Any, src: Sources) -> str:
    if not isinstance(item, Mapping) or not isinstance(item.get("evidence"), list):
        return item_html(item, src, hide=frozenset({"speaker_name"}))
    kind = item.get("kind")
    out = [f'<p class="hint">{esc(kind)} speech</p>'] if kind in ("direct", "reported") else []
    for ev in src.numbered(item["evidence"], _evidence_article):
        if isinstance(ev, Mapping) and is_span(ev.get("sentence")):
            out.append(emphasised(src, ev["sentence"], ev.get("quote")))
        elif is_span(ev):
            out.append(src.quote(ev))
    return "".join(out)


def _quotes(items: list[Any], src: Sources) -> str:
    groups: dict[str, list[Any]] = {}
    for item in items:
        name = None
        if isinstance(item, Mapping):
            name = item.get("speaker_name") or item.get("speaker")
            if isinstance(name, Mapping):
                name = name.get("name")
        groups.setdefault(str(name) if name else "Unattributed", []).append(item)
    out = []
    for name, members in sorted(groups.items(), key=lambda g: (g[0] == "Unattributed", -len(g[1]))):
        out.append(f"<h3>{esc(name)} <span class='count'>({len(members)})</span></h3>")
        out.append(_list(members, src, lambda i: _quote(i, src)))
    return "".join(out)


def _chips(items: list[Any], src: Sources, *, detail_keys: tuple[str, ...]) -> str:
    chips = []
    for e in items[:MAX_CHIPS]:
        if not isinstance(e, Mapping):
            chips.append(f"<li>{esc(e)}</li>")
            continue
        name = e.get("name") or e.get("text") or e.get("label") or "?"
        bits = [str(e[k]) for k in detail_keys if isinstance(e.get(k), str) and e.get(k)]
        count = e.get("count")
        if isinstance(count, int) and count > 1:
            bits.append(f"×{count}")
        quotes = e.get("quotes")
        if isinstance(quotes, int) and quotes:
            bits.append(f"{quotes} quote{'s' if quotes != 1 else ''}")
        first: dict[str, Any] = {}
        for m in e.get("mentions") or []:
            if is_span(m) and m["article"] not in first:
                first[m["article"]] = m
        marks = "".join(src.cite(m) for m in src.numbered(first.values()))
        kind = f'<span class="kind">{esc(" · ".join(bits))}</span>' if bits else ""
        chips.append(f"<li>{esc(name)}{kind} {marks}</li>")
    return f'<ul class="chips">{"".join(chips)}</ul>{_more(len(items), len(chips))}'


def _event(ev: Any, src: Sources) -> str:
    if not isinstance(ev, Mapping):
        return esc(ev)
    when = ev.get("date") or ev.get("when") or ev.get("text") or "undated"
    rel = ev.get("relative")
    label = esc(when) + (
        f' <span class="hint">({esc(ev.get("text"))})</span>' if rel and ev.get("date") else ""
    )
    body = []
    for e in src.numbered(ev.get("evidence") or [], _evidence_article):
        if isinstance(e, Mapping) and is_span(e.get("sentence")):
            body.append(emphasised(src, e["sentence"], e.get("expression")))
        elif is_span(e):
            body.append(src.quote(e))
    if not body:
        body.append(
            item_html({k: v for k, v in ev.items() if k not in ("date", "when", "text")}, src)
        )
    return f'<span class="when">{label}</span>{"".join(body)}'


def panel_html(key: str, title: str, value: Any, src: Sources) -> str:
    """One panel (a section with a heading) for analysis key ``key``."""
    items = value if isinstance(value, list) else None
    if key == "exclusives":
        body = _exclusives(value, src)
    elif items is None:
        body = item_html(value, src) if isinstance(value, Mapping) else f"<p>{esc(value)}</p>"
    elif key == "agreements":
        body = _list(items, src, lambda i: _agreement(i, src))
    elif key == "conflicts":
        body = _list(items, src, lambda i: _conflict(i, src))
    elif key == "quotes":
        body = _quotes(items, src)
    elif key == "speakers":
        body = _chips(items, src, detail_keys=("role",))
    elif key == "entities":
        body = _chips(items, src, detail_keys=("type", "kind"))
    elif key == "timeline":
        rows = "".join(f"<li>{_event(ev, src)}</li>" for ev in items[:MAX_ITEMS])
        body = f'<ol class="timeline">{rows}</ol>{_more(len(items), len(items[:MAX_ITEMS]))}'
    else:
        body = _list(items, src)
    if isinstance(value, Mapping) and key == "exclusives":
        count: int | None = sum(len(v) if isinstance(v, list) else 1 for v in value.values())
    else:
        count = len(value) if isinstance(value, list) else None
    badge = f'<span class="count">{count}</span>' if count is not None else ""
    hid = f"panel-{key}"
    intro = f'<p class="hint">{esc(INTROS[key])}</p>' if key in INTROS else ""
    # long lists start folded; chips are compact and always open
    is_open = count is None or count <= OPEN_UP_TO or key in ("entities", "speakers")
    return (
        f'<details class="card panel" id="{hid}"{" open" if is_open else ""}>'
        f'<summary><h2 id="{hid}-h">{esc(title)}{badge}</h2></summary>{intro}{body}</details>'
    )


def analysis_panels(report: Report, src: Sources) -> str:
    """Every panel the analysis provides, in a fixed order; '' without analysis."""
    analysis = report.analysis
    if not isinstance(analysis, Mapping):
        return ""
    out = []
    for key, title in PANELS:
        value = analysis.get(key)
        if value in (None, [], {}, ""):
            continue
        out.append(panel_html(key, title, value, src))
    notes = analysis.get("notes")
    if isinstance(notes, list) and notes:
        items = "".join(f"<li>{esc(n)}</li>" for n in notes)
        out.append(
            '<section class="card notes" aria-labelledby="panel-notes-h">'
            f'<h2 id="panel-notes-h">About this comparison</h2><ul>{items}</ul></section>'
        )
    return "\n".join(out)
