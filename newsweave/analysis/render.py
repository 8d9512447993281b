"""Markdown for the cross-source analysis (a section of the report's Markdown)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from ..records import Report

MAX_ENTITIES = 15
MAX_AGREEMENTS = 12


def _quote(text: str) -> str:
    return "“" + " ".join(text.split()).rstrip(",;: ") + "”"


def to_markdown(report: Report) -> str:
    """The ``## Cross-source analysis`` section for ``report.analysis``."""
    a = report.analysis or {}
    numbers = {art.id: n for n, art in enumerate(report.articles, 1)}
    labels = {art.id: art.label for art in report.articles}
    return analysis_markdown(a, numbers, labels)


def analysis_markdown(a: dict[str, Any], numbers: dict[str, int], labels: dict[str, str]) -> str:
    """Markdown for an analysis dict; ``numbers`` are the sources' citation numbers."""

    def cite(aid: str) -> str:
        return f"[{numbers.get(aid, '?')}]"

    def cites(aids) -> str:
        """Markers of the sources in the order of their numbers ("[1][3]"): lists
        of the analysis follow the canonical order of the articles."""
        return "".join(cite(a) for a in sorted(set(aids), key=lambda a: numbers.get(a, 1 << 30)))

    def src(aid: str) -> str:
        return f"{cite(aid)} {labels.get(aid, aid)}"

    lines = ["## Cross-source analysis", ""]
    for note in a.get("notes", []):
        lines.append(f"> {note}")
    if a.get("notes"):
        lines.append("")

    agreements = a.get("agreements", [])
    lines += ["### What the sources agree on", ""]
    if agreements:
        n_all = sum(r["all"] for r in agreements)
        lines.append(
            f"{len(agreements)} facts reported by two or more independent sources"
            f" ({n_all} by all of them)."
        )
        lines.append("")
        for r in agreements[:MAX_AGREEMENTS]:
            mark = " **(all sources)**" if r["all"] else ""
            lines.append(f"- {r['text']} {cites(e['article'] for e in r['evidence'])}{mark}")
            for e in sorted(r["evidence"], key=lambda e: numbers.get(e["article"], 1 << 30)):
                if e["text"] != r["text"]:
                    lines.append(f"  - {cite(e['article'])} {_quote(e['text'])}")
        if len(agreements) > MAX_AGREEMENTS:
            lines.append(f"- … and {len(agreements) - MAX_AGREEMENTS} more (see the JSON output)")
    else:
        lines.append("_Nothing reported by more than one independent source._")
    lines.append("")

    exclusives = a.get("exclusives", {})
    lines += ["### What only one source reports", ""]
    if any(exclusives.values()):
        for aid, rows in exclusives.items():
            if not rows:
                continue
            lines.append(f"**{src(aid)}**")
            lines.append("")
            lines += [f"- {r['text']}" for r in rows]
            lines.append("")
    else:
        lines += ["_No salient exclusive facts._", ""]

    conflicts = a.get("conflicts", [])
    lines += ["### Conflicting statements", ""]
    if conflicts:
        for c in conflicts:
            lines.append(f"- **{c['type']}**: {c['detail']}")
            for side in c["sides"]:
                lines.append(f"  - {src(side['article'])}: {_quote(side['sentence']['text'])}")
    else:
        lines.append("_None found._")
    lines.append("")

    speakers = {s["id"]: s for s in a.get("speakers", [])}
    quotes = a.get("quotes", [])
    lines += ["### Who said what", ""]
    if quotes:
        by_speaker: dict[str | None, list[dict[str, Any]]] = {}
        for q in quotes:
            by_speaker.setdefault(q["speaker"], []).append(q)
        for sid, qs in by_speaker.items():
            sp = speakers.get(sid) if sid else None
            if sp:
                role = f", {sp['role']}" if sp.get("role") else ""
                lines.append(f"**{sp['name']}**{role}")
            else:
                lines.append("**Unattributed**")
            lines.append("")
            for q in qs:
                kind = "" if q["kind"] == "direct" else " (reported)"
                lines.append(f"- {_quote(q['text'])}{kind} {cites(q['sources'])}")
            lines.append("")
    else:
        lines += ["_No quotations found._", ""]

    ents = a.get("entities", [])
    lines += ["### People, organisations and places", ""]
    if ents:
        ids = list(numbers)
        head = " | ".join(f"{cite(i)}" for i in ids)
        lines.append(f"| name | type | {head} |")
        lines.append("| --- | --- | " + " | ".join("---:" for _ in ids) + " |")
        for e in ents[:MAX_ENTITIES]:
            counts = " | ".join(str(e["per_source"].get(i, 0)) for i in ids)
            lines.append(f"| {e['name']} | {e['type']} | {counts} |")
        if len(ents) > MAX_ENTITIES:
            lines.append("")
            lines.append(f"_{len(ents) - MAX_ENTITIES} more in the JSON output._")
    else:
        lines.append("_No named entities found._")
    lines.append("")

    events = a.get("timeline", [])
    lines += ["### Timeline", ""]
    if events:
        for ev in events:
            when = ev["date"] if ev["date"] else f"“{ev['text']}” (undated article)"
            if ev["date"] and ev["granularity"] == "week":
                when = f"week of {ev['date']}"
            lines.append(
                f"- **{when}** — {_dated_sentence(ev['evidence'][0])} {cites(ev['sources'])}"
            )
    else:
        lines.append("_No dated events found._")
    return "\n".join(lines).rstrip() + "\n"


def _dated_sentence(evidence: dict) -> str:
    """The sentence of a timeline event with its date expression in bold, so
    a sentence dating two events reads as two different anchors."""
    sent, expr = evidence["sentence"], evidence.get("expression") or {}
    text = sent["text"]
    start, end = expr.get("start", -1) - sent["start"], expr.get("end", -1) - sent["start"]
    same_article = expr.get("article", sent.get("article")) == sent.get("article")
    if not same_article or not 0 <= start < end <= len(text) or text[start:end] != expr["text"]:
        return text
    return f"{text[:start]}**{text[start:end]}**{text[end:]}"
