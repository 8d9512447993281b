"""Conflicts: aligned statements of different sources that cannot both be true.

Candidates are pairs of statements (not datelines) from different independent
accounts, published at most ``MAX_DAYS_APART`` days apart when dated, that the
alignment put in one fact or whose embeddings are close enough (``LOOSE_SIM``:
conflicting statements often fall just under the fact-linking threshold
precisely because they differ). Pairs that plainly speak of different events
(incompatible days, or no person/place/organisation in common) are skipped.
Each pair goes through rules, and only what a rule finds is flagged:

* ``number``: figures of the same counted thing (noun, else verb) whose
  intervals do not overlap (:mod:`.numbers`; "about", "more than", "tens of
  thousands" widen the interval, so compatible restatements pass);
* ``date``: dates of the same event (same content verb, or the only date of
  each sentence) that neither equal nor contain each other, nor lie within a
  week when one is loose ("last week", "two weeks ago"); limits ("since
  1995", "until Saturday") are no event's date;
* ``name`` / ``place``: different people, organisations or places in the
  same slot (subject or object of the same verb, object of the same
  preposition on the same word; not the source of "according to"), neither
  mentioned by the other sentence,
  not one of a list, and for places of the same level (a country or US state
  against a city could contain it: :mod:`.places`);
* ``negation``: the same verb asserted by one side and negated by the other
  ("has withdrawn" / "has not withdrawn", "saw signs" / "saw no sign"), with
  the same subject or object (:mod:`.negation`);
* ``speaker``: the same quotation attributed to different named speakers.

No NLI model ships with newsweave; :func:`register_nli` lets a caller plug a
``(premise, hypothesis) -> label`` function in by name. It then labels every
flagged pair and adds the candidate pairs it calls "contradiction" (type
``nli``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np

from ..errors import InputError
from .ages import age_pairs
from .dates import When, days_apart, parse_anchor
from .entities import EntityIndex, normalise
from .negation import NEUTRAL_VERBS as _NEUTRAL_VERBS
from .negation import negation, verb_token
from .nlp import Parsed
from .numbers import AGE, Quantity, conflicting, quantities
from .places import comparable as _comparable_places
from .quotes import SPEECH_VERBS, Quote
from .timeline import DateMention

LOOSE_SIM = 0.62  # cosine for pairs outside a shared fact
NEGATION_SIM = 0.8
NAME_SIM = 0.7  # names and places are compared in one fact, or sentences this close
NUMBER_SIM = 0.75  # figures are compared in one fact, or in sentences this close
DATE_SIM = 0.7  # dates of one event: same fact, or this close  # negation needs closer wording: one word flips the meaning
SPEAKER_RATIO = 80.0
SPELLING_RATIO = 85.0  # names this alike are one name spelt two ways
SAME_EVENT_SIM = 0.8  # two sentences' only dates are one event's when this close
MAX_DAYS_APART = 7  # articles dated further apart are not compared
MIN_WORDS = 5  # shorter sentences (datelines, labels) are not compared
_NOT_AN_EVENT = SPEECH_VERBS | _NEUTRAL_VERBS  # verbs too general to make two dates one event's
APPROXIMATE_DAYS = 7  # "last Thursday" may be a week earlier than the latest Thursday
_NLI: dict[str, Callable[[str, str], str]] = {}


def register_nli(name: str, fn: Callable[[str, str], str]) -> None:
    """Register an NLI function ``fn(premise, hypothesis) -> label`` under ``name``.

    Labels are "entailment", "neutral" or "contradiction".
    """
    _NLI[name] = check_nli(fn)


def check_nli(fn: object) -> Callable[[str, str], str]:
    """``fn`` if it can be called as an NLI function, else :class:`InputError`."""
    if not callable(fn):
        raise InputError(
            f"an NLI hook must be a function (premise, hypothesis) -> label, not {type(fn).__name__}"
        )
    return fn  # type: ignore[return-value]


def get_nli(name: str) -> Callable[[str, str], str]:
    """The NLI function registered as ``name``."""
    if name not in _NLI:
        known = ", ".join(sorted(_NLI)) or "none registered"
        raise InputError(f"unknown NLI hook {name!r} ({known}); see register_nli()")
    return _NLI[name]


def _statement(doc) -> bool:
    """Whether a parse is a statement worth comparing (not a dateline or a label)."""
    words = [t for t in doc if t.is_alpha]
    return len(words) >= MIN_WORDS and any(t.pos_ in ("VERB", "AUX") for t in doc)


def candidate_pairs(parsed: Parsed, loose: float = LOOSE_SIM) -> list[tuple[int, int, float, bool]]:
    """(i, j, cosine, same fact) for statements of different independent accounts.

    Articles whose dates are more than ``MAX_DAYS_APART`` apart are not compared:
    they report different stages of a story, not disagreements about one.
    """
    ds = parsed.ds
    acc = [ds.alignment.account_of[s.article_id] for s in ds.sentences]
    fact = [ds.alignment.fact_of[s.id] for s in ds.sentences]
    when = {a.id: parse_anchor(a.date) for a in ds.articles}
    ok = np.array([_statement(d) for d in parsed.docs], dtype=bool)
    emb = ds.embeddings
    sims = emb @ emb.T if len(emb) else np.zeros((0, 0))
    acc_no, fact_no = _codes(acc), _codes(fact)
    out = []
    for i in np.flatnonzero(ok).tolist():  # each row's pairs at once, in order
        rest = slice(i + 1, None)
        keep = ok[rest] & (acc_no[rest] != acc_no[i])
        keep &= (fact_no[rest] == fact_no[i]) | (sims[i, rest] >= loose)
        for j in (np.flatnonzero(keep) + i + 1).tolist():
            apart = days_apart(when[ds.sentences[i].article_id], when[ds.sentences[j].article_id])
            if apart is not None and apart > MAX_DAYS_APART:
                continue
            out.append((i, j, float(sims[i, j]), fact[i] == fact[j]))
    return out


def _codes(values: list[str]) -> np.ndarray:
    """``values`` as integers, equal where the values are."""
    code: dict[str, int] = {}
    return np.array([code.setdefault(v, len(code)) for v in values], dtype=np.int64)


_DATELINE = re.compile(
    r"^[A-Z][A-Z .,'’-]{2,}(?:,[A-Za-z .]+)?\s*(?:\([^)]*\))?\s*(?:_|--|—|–|-)\s"
)
_AGENCIES = frozenset({"ap", "reuters", "afp", "associated press", "agence france-presse", "upi"})


def _body_entities(parsed: Parsed, ents: EntityIndex, k: int) -> set[str]:
    """Entities of sentence ``k`` outside its dateline ("WARSAW, Poland (AP) _") and
    other than news agencies."""
    m = _DATELINE.match(parsed.sentences[k].text)
    start = m.end() if m else 0
    return {
        e.id
        for mention, e in ents.in_sentence(k)
        if mention.start >= start and normalise(ents.name(e)) not in _AGENCIES
    }


def _other_event(
    parsed: Parsed,
    ents: EntityIndex,
    dates: dict[int, list[DateMention]],
    i: int,
    j: int,
    *,
    by_entities: bool = True,
    by_dates: bool = True,
) -> bool:
    """Whether sentences ``i`` and ``j`` plainly speak of different events: their
    dates cannot match, or each names people/places/organisations and none in common."""
    if by_dates:
        da = [m.when for m in dates.get(i, []) if m.when.granularity == "day"]
        db = [m.when for m in dates.get(j, []) if m.when.granularity == "day"]
        if da and db and not any(a.compatible(b) for a in da for b in db):
            return True  # different days (weekdays too: "Saturday" / "Monday")
    if by_entities:
        ea = _body_entities(parsed, ents, i)
        eb = _body_entities(parsed, ents, j)
        if ea and eb and not ea & eb:
            return True
    return False


def _side(parsed: Parsed, k: int, start: int, end: int, value: str) -> dict[str, Any]:
    return {
        "article": parsed.sentences[k].article_id,
        "sentence": parsed.span(k, 0, len(parsed.sentences[k].text)),
        "evidence": parsed.span(k, start, end),
        "value": value,
    }


def _qty_value(q: Quantity) -> str:
    if q.noun == AGE:
        return f"{q.qualifier} aged {q.lo:g}"  # "Zaken aged 23"
    what = q.noun or q.verb or ""
    return f"{q.text} {what}".strip()


def _slots(parsed: Parsed, ents: EntityIndex, k: int) -> list[tuple[tuple, Any, Any]]:
    """(slot, entity, mention) for entities that fill a verb or preposition slot."""
    doc = parsed.docs[k]
    out = []
    mentions = ents.in_sentence(k)
    named = {t.i for m2, _e in mentions for t in doc if m2.start <= t.idx < m2.end}
    for m, e in mentions:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        root = span.root
        head = root.head
        if (root.dep_ == "conj" and root.head.i in named) or any(
            c.dep_ == "conj" and c.i in named for c in root.children
        ):
            continue  # one of a list of names ("felt in Talca, Concepcion and Santiago")
        if head.lemma_.lower() in _NEUTRAL_VERBS and root.dep_ != "pobj":
            continue  # "X is under arrest" / "Y is immune": "be" is no shared action
        if root.dep_ in ("nsubj", "nsubjpass") and head.lemma_.lower() not in SPEECH_VERBS:
            slot = ("subj", head.lemma_.lower())
        elif root.dep_ == "dobj":
            slot = ("obj", head.lemma_.lower())
        elif root.dep_ == "pobj" and head.dep_ in ("prep", "agent"):
            if head.lower_ == "to" and head.head.lower_ == "according":
                continue  # "according to the Las Vegas Sun": who tells, not what happened
            slot = ("pobj", head.lower_, head.head.lemma_.lower())
        else:
            continue
        out.append((slot, e, m))
    return out


def _date_pairs(
    da: list[DateMention], db: list[DateMention], close: bool, parsed: Parsed | None = None
) -> list[tuple[DateMention, DateMention]]:
    """Date pairs of one event that cannot both hold.

    One event: the same content verb (not "be", "have"...: "the low was minus 26
    on Sunday" / "was minus 12 on Wednesday"), or (``close`` sentences) the only
    date of each where both verbs are speech verbs or missing ("said on Monday"),
    and not two named doers ("on Aug. 16, 2011, Trump said" / "Obama said
    something in 2009").
    Only dates placed in time are compared (a bare "Saturday" in an undated
    article could be any Saturday), limits are not ("since 1995", "until
    Saturday"), and nothing is flagged when some date of one side fits some
    date of the other ("between Sept. 11, 1973 and Dec. 31, 1983").
    """
    da = [m for m in da if m.when.iso and not m.bound]
    db = [m for m in db if m.when.iso and not m.bound]
    out = []
    for a in da:
        if any(_fits(a, y) for y in db):
            continue  # the other side gives this date too ("from 1960 to 1994")
        for b in db:
            if any(_fits(b, x) for x in da):
                continue
            same_verb = bool(a.verb) and a.verb == b.verb and a.verb not in _NOT_AN_EVENT
            loose = {a.verb, b.verb} <= ({""} | SPEECH_VERBS)
            if not (same_verb or (close and len(da) == 1 and len(db) == 1 and loose)):
                continue
            if parsed is not None and _two_doers(parsed, a, b):
                continue
            group_a = [x for x in da if x.verb == a.verb] if same_verb else [a]
            group_b = [x for x in db if x.verb == b.verb] if same_verb else [b]
            if not any(_fits(x, y) for x in group_a for y in group_b):
                out.append((a, b))
    return out


def _doer(parsed: Parsed, m: DateMention) -> str | None:
    """The head word of the proper-noun subject of the verb a date hangs from."""
    span = parsed.docs[m.k].char_span(m.start, m.end, alignment_mode="expand")
    verb = span.root if span is not None else None
    for _ in range(6):
        if verb is None or verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    if verb is None or verb.pos_ not in ("VERB", "AUX"):
        return None
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return subj.text.lower() if subj is not None and subj.pos_ == "PROPN" else None


def _two_doers(parsed: Parsed, a: DateMention, b: DateMention) -> bool:
    """Whether the two dates' events have different named doers: two events."""
    x, y = _doer(parsed, a), _doer(parsed, b)
    return x is not None and y is not None and x != y


def _fits(a: DateMention, b: DateMention) -> bool:
    """Whether two dates can be one event's: compatible, or within
    ``APPROXIMATE_DAYS`` when one is loose ("last week" / "two weeks ago")."""
    if a.when.compatible(b.when):
        return True
    gap = a.when.gap(b.when) if a.approximate or b.approximate else None
    return gap is not None and gap <= APPROXIMATE_DAYS


def _comparable(a: When, b: When) -> bool:
    if a.iso is not None and b.iso is not None:
        return True
    return (a.month is not None and b.month is not None) or (
        a.weekday is not None and b.weekday is not None
    )


def detect(
    parsed: Parsed,
    entities: EntityIndex,
    dates: dict[int, list[DateMention]],
    quotes: list[Quote],
    *,
    nli: Callable[[str, str], str] | None = None,
    loose: float = LOOSE_SIM,
) -> list[dict[str, Any]]:
    """Conflicts of the story (see the module docstring and docs/analysis.md)."""
    qty: dict[int, list[Quantity]] = {}
    slots: dict[int, list] = {}
    quotes_at: dict[int, list[Quote]] = {}
    for q in quotes:
        quotes_at.setdefault(q.k, []).append(q)
    found: dict[tuple, dict[str, Any]] = {}

    def add(
        kind: str, i: int, j: int, sim: float, same: bool, a: dict, b: dict, why: tuple
    ) -> None:
        """Record a conflict; ``why`` is ``(prefix, about a, about b)`` of its
        detail ("said by " + "X" + " vs " + "Y")."""
        key = (kind, a["article"], b["article"], a["value"].lower(), b["value"].lower())
        if key in found and found[key]["similarity"] >= sim:
            return
        found[key] = {
            "type": kind,
            "detail": why,
            "similarity": round(sim, 3),
            "same_fact": same,
            "fact": parsed.ds.alignment.fact_of[parsed.sentences[i].id] if same else None,
            "sides": [a, b],
        }

    for i, j, sim, same in candidate_pairs(parsed, loose):
        if i not in qty:
            qty[i] = quantities(parsed.docs[i])
        if j not in qty:
            qty[j] = quantities(parsed.docs[j])
        other = _other_event(parsed, entities, dates, i, j)
        other_by_date = _other_event(parsed, entities, dates, i, j, by_entities=False)
        other_by_ents = _other_event(parsed, entities, dates, i, j, by_dates=False)
        close = same or sim >= NUMBER_SIM
        for qa, qb in conflicting(qty[i], qty[j]) if close and not other else []:
            a = _side(parsed, i, qa.start, qa.end, _qty_value(qa))
            b = _side(parsed, j, qb.start, qb.end, _qty_value(qb))
            add("number", i, j, sim, same, a, b, ("", a["value"], b["value"]))
        close_dates = same or sim >= SAME_EVENT_SIM
        date_pairs = _date_pairs(dates.get(i, []), dates.get(j, []), close_dates, parsed)
        if other_by_ents or not (same or sim >= DATE_SIM):
            date_pairs = []
        for da, db in date_pairs:
            a = _side(parsed, i, da.start, da.end, da.when.iso or da.text)
            b = _side(parsed, j, db.start, db.end, db.when.iso or db.text)
            add(
                "date",
                i,
                j,
                sim,
                same,
                a,
                b,
                ("", f"{da.text} ({a['value']})", f"{db.text} ({b['value']})"),
            )
        names_close = same or sim >= NAME_SIM
        names = _name_conflicts(parsed, entities, slots, i, j) if names_close else []
        names = [] if other_by_date else names
        for kind, a, b, why in names:
            add(kind, i, j, sim, same, a, b, why)
        if (same or sim >= NEGATION_SIM) and not other:
            neg = negation(parsed.docs[i], parsed.docs[j])
            if neg:
                lemma, na, nb = neg
                ta, tb = verb_token(parsed.docs[i], lemma), verb_token(parsed.docs[j], lemma)
                a = _side(parsed, i, ta.idx, ta.idx + len(ta.text), ("not " if na else "") + lemma)
                b = _side(parsed, j, tb.idx, tb.idx + len(tb.text), ("not " if nb else "") + lemma)
                add("negation", i, j, sim, same, a, b, ("", a["value"], b["value"]))
        for qa in quotes_at.get(i, []):
            for qb in quotes_at.get(j, []):
                hit = _speaker_conflict(parsed, qa, qb)
                if hit:
                    a = _side(parsed, i, *hit[0][1:], hit[0][0])
                    b = _side(parsed, j, *hit[1][1:], hit[1][0])
                    add("speaker", i, j, sim, same, a, b, ("said by ", a["value"], b["value"]))
        if nli is not None:
            si, sj = parsed.sentences[i].text, parsed.sentences[j].text
            if not any(c["sides"][0]["sentence"]["text"] == si for c in found.values()):
                if nli(si, sj) == "contradiction":
                    a = _side(parsed, i, 0, len(si), si)
                    b = _side(parsed, j, 0, len(sj), sj)
                    why = ("the NLI hook calls these contradictory",)
                    add("nli", i, j, sim, same, a, b, why)
    statements = [k for k, doc in enumerate(parsed.docs) if _statement(doc)]
    fact_of, emb = parsed.ds.alignment.fact_of, parsed.ds.embeddings
    for i, j, qa, qb in age_pairs(parsed, entities, statements, MAX_DAYS_APART):
        same = fact_of[parsed.sentences[i].id] == fact_of[parsed.sentences[j].id]
        a = _side(parsed, i, qa.start, qa.end, _qty_value(qa))
        b = _side(parsed, j, qb.start, qb.end, _qty_value(qb))
        ev = [a["evidence"], b["evidence"]]
        for key in [k for k, c in found.items() if [x["evidence"] for x in c["sides"]] == ev]:
            del found[key]  # found by the pair search too, under the name's head word
        add("number", i, j, float(emb[i] @ emb[j]), same, a, b, ("", a["value"], b["value"]))
    out = sorted(found.values(), key=lambda c: (-c["similarity"], c["type"]))
    if nli is not None:
        for c in out:
            c["nli"] = nli(c["sides"][0]["sentence"]["text"], c["sides"][1]["sentence"]["text"])
    number = {a.id: n for n, a in enumerate(parsed.ds.articles)}
    for n, c in enumerate(out):
        c["id"] = f"c{n}"
        _orient(c, number)
    return out


def _orient(conflict: dict[str, Any], number: dict[str, int]) -> None:
    """Sides (and the detail) in the order of the sources' numbers. Conflicts
    are found over the canonical order of the articles, the same for any
    order given; only the way a pair is shown follows the user's order."""
    why = conflict["detail"]
    if number[conflict["sides"][0]["article"]] > number[conflict["sides"][1]["article"]]:
        conflict["sides"].reverse()
        if len(why) == 3:
            why = (why[0], why[2], why[1])
    conflict["detail"] = why[0] + " vs ".join(why[1:])


def _name_conflicts(parsed: Parsed, entities: EntityIndex, cache: dict, i: int, j: int):
    for k in (i, j):
        if k not in cache:
            cache[k] = _slots(parsed, entities, k)
    body = (_body_entities(parsed, entities, i), _body_entities(parsed, entities, j))
    in_i = {id(e) for _m, e in entities.in_sentence(i)}
    in_j = {id(e) for _m, e in entities.in_sentence(j)}
    seen = set()
    for slot_a, ea, ma in cache[i]:
        for slot_b, eb, mb in cache[j]:
            if slot_a != slot_b or ea is eb or not _same_kind(ea.kind, eb.kind, slot_a):
                continue
            if id(ea) in in_j or id(eb) in in_i or (slot_a, ea.id, eb.id) in seen:
                continue
            if _nested(ea.name, eb.name):
                continue  # "Santiago de Chile" / "Santiago"
            if "place" in (ea.kind, eb.kind) and not _comparable_places(ea.name, eb.name):
                continue
            rest_a, rest_b = body[0] - {ea.id}, body[1] - {eb.id}
            if rest_a and rest_b and not rest_a & rest_b:
                continue  # nothing else in common: two events ("held in Iraq" / "in Iran")  # "Nova Scotia" / "Canada", "Damascus" / "Syria": one may hold the other
            seen.add((slot_a, ea.id, eb.id))
            kind = "place" if "place" in (ea.kind, eb.kind) else "name"
            a = _side(parsed, i, ma.start, ma.end, ea.name)
            b = _side(parsed, j, mb.start, mb.end, eb.name)
            yield kind, a, b, ("", ea.name, eb.name)


_LOCATIVE = frozenset({"in", "near", "at", "from", "to", "of", "outside", "into", "across"})


def _nested(a: str, b: str) -> bool:
    """One name inside the other, or two spellings of one ("Alexander"/"Alexandre")."""
    from rapidfuzz import fuzz

    ta, tb = set(normalise(a).split()), set(normalise(b).split())
    if ta and tb and (ta <= tb or tb <= ta):
        return True
    return fuzz.ratio(normalise(a), normalise(b)) >= SPELLING_RATIO


def _same_kind(a: str, b: str, slot: tuple) -> bool:
    """Same kind, or a place the tagger called an organisation after "in", "near"..."""
    if a == b:
        return True
    return {a, b} == {"place", "organisation"} and slot[0] == "pobj" and slot[1] in _LOCATIVE


def _speaker_conflict(parsed: Parsed, qa: Quote, qb: Quote):
    from rapidfuzz import fuzz

    sa, sb = qa.speaker, qb.speaker
    if sa is None or sb is None or sa is sb or qa.mention is None or qb.mention is None:
        return None
    if qa.how is not None or qb.how is not None:
        return None  # "he said": a guessed speaker is no evidence against a named one
    if qa.kind != "direct" or qb.kind != "direct":
        return None  # reported speech nests ("X's office said Y told Z that..."): too loose
    if sa.kind != sb.kind or sa.kind not in ("person", "organisation"):
        return None
    if set(sa.name.lower().split()) & set(sb.name.lower().split()):
        return None  # "Amina Yusuf" and "Yusuf of Human Rights Watch": one person
    roles = " ".join(list(sa.roles) + list(sb.roles)).lower()
    if sa.name.lower() in roles or sb.name.lower() in roles:
        return None  # "NATO" and "NATO Secretary-General Rasmussen"
    ta = parsed.sentences[qa.k].text[qa.start : qa.end]
    tb = parsed.sentences[qb.k].text[qb.start : qb.end]
    if fuzz.token_set_ratio(ta.lower(), tb.lower()) < SPEAKER_RATIO:
        return None
    return (sa.name, *qa.mention[1:]), (sb.name, *qb.mention[1:])
