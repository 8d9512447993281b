"""What of spaCy's entity span is a name: its text trimmed of the punctuation the
tokenizer left in it, a list split into its names, and spans that are no name
(photo credits, page labels; see :mod:`.entities`)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..segment import TITLES

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span

#: where a name ends inside a token: a name holds no parenthesis ("(HealthDay)—A little")
_NAME_END = re.compile(r"[()]")
#: dashes and bars before or after a name ("— Jon Cryer", "SAN FRANCISCO--(BUSINESS")
_EDGE_PUNCT = "—–-|•*_ "


def _trim(start: int, text: str) -> tuple[int, str]:
    """``text`` (from char ``start``) cut at a parenthesis and without dashes and bars
    around it, with its new start ("HealthDay)—A" → "HealthDay")."""
    stripped = text.lstrip(_EDGE_PUNCT + "()")
    start += len(text) - len(stripped)
    cut = _NAME_END.search(stripped)
    return start, (stripped[: cut.start()] if cut else stripped).rstrip(_EDGE_PUNCT)


def _joined_by_slash(text: str) -> bool:
    """Names joined by a slash, as in a photo credit ("Dwight Adams/IndyStar", "Morry
    Gash/"), or a web address: no one name (not "9/11", "AC/DC")."""
    if "/" not in text or re.search(r"\d/\d", text):
        return False
    return " " in text or text.endswith("/") or text.startswith("/") or "://" in text


def _section_label(span: Span, lowered: set[str]) -> bool:
    """One word in capitals that opens its sentence before a colon, and is all the
    sentence ("DISCUSSION:") or a word the story writes in lowercase ("STORY: Tony
    Scott's Death ..."): a label of the page, not a name."""
    doc = span.doc
    if len(span) != 1 or span.start != 0 or not span.text.isupper() or len(span.text) < 4:
        return False
    if span.end >= len(doc) or doc[span.end].text != ":":
        return False
    return span.end + 1 == len(doc) or span.text.lower() in lowered


def _rank(doc: Doc, i: int) -> bool:
    """Token ``i`` is an abbreviated title written as the rank of a name after it: one
    of :data:`newsweave.segment.TITLES` with its dot, not the last word ("Spc.", "Brig.")."""
    tok = doc[i]
    if tok.text.rstrip(".").casefold() not in TITLES or i + 1 >= len(doc):
        return False
    dot = doc[i + 1].text == "." and not tok.whitespace_
    return tok.text.endswith(".") or (dot and i + 2 < len(doc))


def _before_rank(toks: Span) -> Span:
    """``toks`` without the ranks that end it: they title the person named after the
    span ("Army Spc. Charles Graner" → "Army"; "the Palestinian Civil Aviation
    Authority Brig. Gen. Fayez Zeidan" → "Palestinian Civil Aviation Authority")."""
    end = toks.end
    while end > toks.start and _rank(toks.doc, end - 1):
        end -= 1
    return toks.doc[toks.start : end]


def _after_imperative(toks: Span) -> Span:
    """``toks`` without the imperative the page addresses to its reader that opens it: a
    verb in its base form (VB) opening the sentence before a name ("Call IndyStar reporter
    Holly Hays at..." → "IndyStar"), or all of a one-word span whose verb takes an object
    ("autoplay Copy this code to your website"). A verb that governs a word of the span, or
    hangs from one, opens a title ("Save the Children"); a name spaCy tags VB inside a
    sentence ("allowing to Trump to start") stays."""
    if not len(toks) or toks[0].tag_ != "VB":
        return toks
    verb = toks[0]
    if any(t.head.i == verb.i for t in toks[1:]) or toks.start < verb.head.i < toks.end:
        return toks
    if len(toks) > 1:
        opens = all(not t.is_alpha for t in verb.doc[: verb.i])
        return toks[1:] if opens else toks
    return toks[:0] if any(c.dep_ == "dobj" for c in verb.children) else toks


def _title_case(doc: Doc) -> bool:
    """Every word of four letters or more capitalised, three at least: a headline or a
    caption, whose capitals mark no name ("... of a National Health Crisis Martha Holmes")."""
    words = [t.text for t in doc if t.is_alpha and len(t.text) >= 4]
    return len(words) >= 3 and all(w[0].isupper() for w in words)


def _split_list(toks: Span) -> list[Span]:
    """ "Rostov, Bryansk" → two names (spaCy sometimes joins a list into one entity),
    not "Immigration and Customs Enforcement"; "Curicó (Maule" → "Curicó", "Maule"
    (a name holds no parenthesis)."""
    if any(t.text in "()" for t in toks):
        parts, begin = [], toks.start
        for t in [*(t for t in toks if t.text in "()"), None]:
            end = toks.end if t is None else t.i
            if end > begin:
                parts.extend(_split_list(toks.doc[begin:end]))
            begin = end + 1
        return parts
    parts, begin = [], toks.start
    for t in toks:
        if t.text == "," or t.lower_ == "and":
            if t.i > begin:
                parts.append(toks.doc[begin : t.i])
            begin = t.i + 1
    if begin < toks.end:
        parts.append(toks.doc[begin : toks.end])
    if len(parts) < 2 or any(len(p) > 3 for p in parts) or _joins_modifiers(toks, parts):
        return [toks]
    return parts


def _joins_modifiers(toks: Span, parts: list[Span]) -> bool:
    """An "and" (no comma) before which a word modifies a word after it: it joins
    the words before one name's head ("Immigration and Customs Enforcement")."""
    return all(t.text != "," for t in toks) and any(
        t.head.i >= later.start and t.head.i < later.end
        for n, part in enumerate(parts)
        for t in part
        for later in parts[n + 1 :]
    )
