"""Timeline: date expressions resolved against the article date, events ordered.

Date expressions are spaCy's DATE and TIME entities; each is resolved with
:func:`.dates.resolve` against ``Article.date`` (kept relative when the
article has no date), in the direction given by the tense of its clause;
"a day earlier", "18 months before" count back from the last date of the
sentence or the sentence before (kept relative when there is none).
Every sentence carrying a point-in-time expression is an *event* (once per
date, however often the sentence gives it); events of
different sources on the same date that state the same thing (same fact or
close wording) are merged, so an event lists every source that dates it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from .dates import GRANULARITIES, When, parse_anchor, resolve
from .nlp import Parsed

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Span, Token

_FUTURE_HEADS = frozenset({"due", "expect", "schedule", "set", "plan", "go", "intend", "hope"})
_MERGE_SIM = 0.6
_RANGE = re.compile(r"\d\s*(?:-|–|to|until|through|and)\s*(?:\w+\s)?\d")
_ZONES = frozenset({"UTC", "GMT", "BST", "CET", "CEST", "EST", "EDT", "PST", "PDT", "HRS", "LOCAL"})


@dataclass
class DateMention:
    """A date expression in sentence ``k`` (chars ``start:end`` of its text)."""

    k: int
    start: int
    end: int
    text: str
    when: When
    verb: str  # lemma of the clause's verb ("" when none)
    bound: bool = False  # a limit, not the event's date: "since 1995", "until Saturday"
    approximate: bool = False  # "last week", "two weeks ago", "last Thursday": loose by days


_COUNTED_BACK = re.compile(r"\b(?:days?|weeks?|months?|years?)\s+(?:earlier|before)\s*$", re.I)
_BOUNDS = frozenset({"since", "until", "till", "before", "after", "by"})
_APPROXIMATE = re.compile(
    r"\b(?:days?|weeks?|months?|years?)\s+(?:ago|earlier|before|later)\b"
    r"|\b(?:last|next|past|coming|previous|this)\s+(?:week|month|year|mon|tue|wed|thu|fri|sat|sun)",
    re.IGNORECASE,
)


def _clause_verb(tok: Token) -> Token | None:
    t = tok
    for _ in range(12):
        if t.pos_ in ("VERB", "AUX"):
            return t
        if t.head.i == t.i:
            return None
        t = t.head
    return None


_NOUN_MODS = frozenset({"compound", "nmod", "poss", "det", "amod", "nummod"})
_CONDITIONS = frozenset({"if", "when", "once", "unless"})
_DAY_PARTS = frozenset({"morning", "afternoon", "evening", "night", "day", "time"})


_NOUN_SLOTS = frozenset(
    {"acl", "amod", "compound", "dobj", "pobj", "nsubj", "nsubjpass", "appos", "prep"}
)  # and a participle as a preposition: "the dinner following Friday's inauguration"
_MODALS = frozenset({"may", "might", "should", "must", "can", "could"})  # future in sense


def _tense_verb(tok: Token) -> Token | None:
    """The verb whose tense places ``tok``: the clause verb, passing over a
    participle that only modifies a noun ("the summit sponsored by the Forum on
    Tuesday") and a gerund the parser made a verb in a noun's place ("hold a
    meeting with Habibie on Tuesday"), neither of which has a tense of its own."""
    verb = _clause_verb(tok)
    for _ in range(6):
        if (
            verb is None
            or verb.tag_ not in ("VBN", "VBG")
            or verb.dep_ not in _NOUN_SLOTS
            or verb.lemma_ in _FUTURE_HEADS
            or any(c.dep_ in ("aux", "auxpass") for c in verb.children)
            or verb.head.i == verb.i
        ):
            return verb
        verb = _clause_verb(verb.head)
    return verb


_TENSED_AUX = frozenset({"will", "would", "shall", "'ll", "wo", "do", "does", "did"}) | _MODALS


def _auxes(v: Token) -> set[str]:
    return {c.lower_ for c in v.children if c.dep_ in ("aux", "auxpass")}


def _is_infinitive(v: Token) -> bool:
    return v.dep_ == "xcomp" and "to" in _auxes(v)


def _tenseless(v: Token) -> bool:
    """A verb with no tense of its own: an infinitive ("to arrive"), or a passive
    one or gerund ("to be sworn in Friday", "before being finalized Friday")."""
    auxes = _auxes(v)
    if v.tag_ == "VB":
        return not auxes & _TENSED_AUX
    return v.tag_ == "VBN" and bool(auxes) and auxes <= {"to", "be", "being"}


def _tense_chain(verb: Token) -> list[Token]:
    """``verb`` and the verbs it takes its tense from: up through infinitives and
    tenseless passives to the verb that governs them ("is expected to undergo
    revisions before being finalized Friday": "expected")."""
    chain = [verb]
    for _ in range(3):
        v = chain[-1]
        if v.dep_ not in ("xcomp", "conj", "ccomp", "pcomp", "advcl") or v.head.i == v.i:
            break
        if not _tenseless(v):
            break
        up = v.head if v.head.pos_ in ("VERB", "AUX") else _clause_verb(v.head)
        if up is None or up.i == v.i:
            break
        chain.append(up)
    return chain


def direction(tok: Token) -> str:
    """ "future" when the clause of ``tok`` is in a future or scheduled sense, else "past"."""
    verb = _tense_verb(tok)
    if verb is None:
        return "past"
    # a date naming an event ("the Sept. 2 crash remains unexplained") takes no
    # future sense from a present-tense verb, unless in a condition ("if Tuesday's
    # storm damages...")
    names_event = (
        tok.dep_ in _NOUN_MODS
        and tok.head.pos_ in ("NOUN", "PROPN")
        and tok.head.lemma_.lower() not in _DAY_PARTS  # "Tuesday night" is a date
    )
    chain = _tense_chain(verb)
    for n, v in enumerate(chain):
        if n and v.lemma_ == "be" and v.tag_ in ("VBZ", "VBP") and _is_infinitive(chain[n - 1]):
            return "future"  # "a vessel is to arrive on Wednesday"
        auxes = [c for c in v.children if c.dep_ in ("aux", "auxpass")]
        if any(a.lower_ in ("will", "'ll", "shall", "wo", "would") for a in auxes):
            return "future"
        modal = {a.lower_ for a in auxes} & _MODALS
        if modal and not any(a.lower_ == "have" for a in auxes) and v.tag_ in ("VB", "VBN"):
            # "results may be announced on Sunday", "could be announced as late as
            # Sunday" (not "could not attend on Monday": "could" is also a past)
            if modal != {"could"} or any(a.dep_ == "auxpass" for a in auxes):
                return "future"
        if any(a.lower_ in ("has", "have", "had", "was", "were", "did") for a in auxes):
            return "past"
        if v.lemma_ in _FUTURE_HEADS and v.tag_ != "VBD":
            return "future"
        if v.tag_ in ("VBD", "VBN") and not (v is not chain[-1] and _tenseless(v)):
            return "past"
        if v.tag_ in ("VBZ", "VBP") and v.lemma_ not in ("say", "tell", "be", "have"):
            if names_event and not any(c.lower_ in _CONDITIONS for c in v.children):
                return "past"
            return "future"
        if v.tag_ == "VBG" and any(a.lower_ in ("is", "are", "am", "'s", "'re") for a in auxes):
            return "future"
    return "past"


_DEADLINES = frozenset({"before", "by", "until", "till"})


def _reach(ent: Span, way: str) -> str:
    """ "open" for a past-sense date that may lie just ahead of the article: a
    deadline ("could make progress before Oct. 25" in an Oct. 4 article), the
    event of an active "could" ("could take place on Oct. 30", read as a past
    by :func:`direction` for "could not attend on Monday") or of an
    infinitive under a past verb ("agreed to pay on Nov. 2"); else
    ``way`` (see :mod:`.dates`)."""
    if way != "past":
        return way
    before = ent.doc[ent.start - 1].lower_ if ent.start else ""
    if ent[0].lower_ in _DEADLINES or before in _DEADLINES:
        return "open"
    verb = _tense_verb(ent.root)
    if verb is not None and "could" in _auxes(verb):
        return "open"  # "could take place on Oct. 30": a possibility ahead, or a past ability
    return "open" if verb is not None and _is_infinitive(verb) and _tenseless(verb) else way


def _wishing_may(ent: Span) -> bool:
    """ "May" opening a sentence or a quotation before a noun phrase is the verb
    of a wish ("``May understanding and forgiveness take the place of
    violence''", "May God bless"), not the month ("May saw record rain")."""
    if ent.text != "May":
        return False
    before = [t for t in ent.doc[: ent.start] if t.pos_ not in ("PUNCT", "SPACE")]
    nxt = ent.doc[ent.end] if ent.end < len(ent.doc) else None
    return not before and nxt is not None and nxt.pos_ in ("NOUN", "PROPN", "ADJ", "DET", "PRON")


def date_mentions(parsed: Parsed) -> dict[int, list[DateMention]]:
    """Point-in-time expressions per sentence index, resolved where possible."""
    anchors: dict[str, date | None] = {a.id: parse_anchor(a.date) for a in parsed.ds.articles}
    out: dict[int, list[DateMention]] = {}
    for k, doc in enumerate(parsed.docs):
        anchor = anchors.get(parsed.sentences[k].article_id)
        for ent in doc.ents:
            if ent.label_ not in ("DATE", "TIME"):
                continue
            nxt = doc[ent.end] if ent.end < len(doc) else None
            if nxt is not None and nxt.text.upper() in _ZONES:
                continue  # "(1852 UTC)" is a clock time, not a year
            if _RANGE.search(ent.text):
                continue  # "from 1960 to 1994", "May 5-7": a span, not a point in time
            if _wishing_may(ent):
                continue
            way = _reach(ent, direction(ent.root))
            when = None
            base = anchor
            if _COUNTED_BACK.search(ent.text):  # "a day earlier": from the story's last date
                base = _narrative_anchor(parsed, out, k)
            # "last Saturday after days", "6:30am BST this morning": try the entity,
            # then it without up to three words at either end
            for cut in range(4):
                for lo, hi in ((ent.start, ent.end - cut), (ent.start + cut, ent.end)):
                    if hi > lo:
                        part = doc[lo:hi]
                        when = resolve(part.text, base, way)
                        if when is not None:
                            break
                if when is not None:
                    break
            if when is None:
                continue
            verb = _clause_verb(ent.root)
            before = doc[ent.start - 1].lower_ if ent.start else ""
            out.setdefault(k, []).append(
                DateMention(
                    k,
                    part.start_char,
                    part.end_char,
                    part.text,
                    when,
                    verb.lemma_ if verb else "",
                    bound=ent[0].lower_ in _BOUNDS or before in _BOUNDS,
                    approximate=bool(_APPROXIMATE.search(ent.text)),
                )
            )
    _years_from_article(parsed, out)
    return out


def _years_from_article(parsed: Parsed, found: dict[int, list[DateMention]]) -> None:
    """A month and day without a year takes the year the same article gives that
    day in full: "the July 7 bombings" in a 2008 article that writes "July 7,
    2005" are 2005's, not the latest July 7 before the article date."""
    full: dict[tuple[str, int, int], set[int]] = {}
    for k, ms in found.items():
        art = parsed.sentences[k].article_id
        for m in ms:
            w = m.when
            if not w.relative and w.granularity == "day" and w.month and w.day and w.year:
                full.setdefault((art, w.month, w.day), set()).add(w.year)
    for k, ms in found.items():
        art = parsed.sentences[k].article_id
        for n, m in enumerate(ms):
            w = m.when
            years = full.get((art, w.month or 0, w.day or 0), set())
            if not w.relative or len(years) != 1 or w.year in years:
                continue
            bare = resolve(m.text)  # without the article date: only a month and day?
            if bare is None or bare.iso is not None or not (bare.month and bare.day):
                continue
            (year,) = years
            placed = date(year, bare.month, bare.day)
            ms[n] = replace(m, when=replace(w, iso=placed.isoformat(), weekday=placed.weekday(),
                                            year=year))  # fmt: skip


def _narrative_anchor(parsed: Parsed, found: dict[int, list[DateMention]], k: int) -> date | None:
    """The day that "N days earlier" in sentence ``k`` counts back from: the last
    day-precise date before it in the sentence, else in the sentence before (same
    article); ``None`` (kept relative) when there is none."""
    art = parsed.sentences[k].article_id
    for j in (k, k - 1):
        if j < 0 or parsed.sentences[j].article_id != art:
            continue
        days = [
            m.when.iso
            for m in found.get(j, [])
            if m.when.granularity == "day" and m.when.iso and not _COUNTED_BACK.search(m.text)
        ]
        if days:
            return date.fromisoformat(days[-1])
    return None


def _is_dateline(text: str, mention: DateMention) -> bool:
    rest = text[: mention.start] + text[mention.end :]
    return sum(len(w) > 2 and w.isalpha() for w in rest.split()) < 2


def build(parsed: Parsed, mentions: dict[int, list[DateMention]]) -> list[dict[str, Any]]:
    """Ordered events (see docs/analysis.md for the shape)."""
    ds = parsed.ds
    fact_of = ds.alignment.fact_of
    events: list[dict[str, Any]] = []
    merged: list[tuple[dict[str, Any], list[int]]] = []
    art_rank = ds.rank  # the canonical order: the same events for any order given
    for k in sorted(mentions, key=lambda k: (art_rank[parsed.sentences[k].article_id], k)):
        s = parsed.sentences[k]
        placed: set[tuple[str, str]] = set()
        for m in mentions[k]:
            if _is_dateline(s.text, m):
                continue
            if m.when.iso is not None:
                if (m.when.iso, m.when.granularity) in placed:
                    continue  # "Marshals here Tuesday ... to reopen Tuesday morning": one event
                placed.add((m.when.iso, m.when.granularity))
            ev = {
                "expression": parsed.span(k, m.start, m.end),
                "sentence": parsed.span(k, 0, len(s.text)),
            }
            target = None
            if m.when.iso is not None:
                for event, ks in merged:
                    if event["date"] != m.when.iso or event["granularity"] != m.when.granularity:
                        continue
                    if s.article_id in event["sources"]:
                        continue
                    if any(
                        fact_of[parsed.sentences[j].id] == fact_of[s.id]
                        or float(ds.embeddings[j] @ ds.embeddings[k]) >= _MERGE_SIM
                        for j in ks
                    ):
                        target = (event, ks)
                        break
            if target is None:
                event = {
                    "date": m.when.iso,
                    "granularity": m.when.granularity,
                    "resolved": m.when.iso is not None,
                    "relative": m.when.relative,
                    "text": m.text,
                    "sources": [s.article_id],
                    "evidence": [ev],
                }
                merged.append((event, [k]))
                events.append(event)
            else:
                target[0]["sources"].append(s.article_id)
                target[0]["evidence"].append(ev)
                target[1].append(k)

    def order(e: dict[str, Any]) -> tuple:
        first = e["evidence"][0]["sentence"]
        where = (art_rank[first["article"]], first["start"])
        if e["date"] is None:
            return (1, "", 0, *where)
        return (0, e["date"][:10], GRANULARITIES.index(e["granularity"]), *where)

    events.sort(key=order)
    return events
