"""Quotes: who said what, in which sources.

Direct quotations are text between quotation marks (four words or more;
shorter ones are scare quotes inside reported speech). Reported speech is the
complement clause of a speech verb ("Lavrov said [Russia welcomed talks]").
The speaker is the subject of the speech verb, or of the verb it hangs from
("..., adding that ..."), or the object of "according to".

Speakers are normalised across mentions and sources:

* a name goes through the story's entities (:mod:`.entities`), so "Mr
  Rasmussen" and "NATO Secretary-General Anders Fogh Rasmussen" are one
  speaker; the words around the name give the role ("NATO Secretary-General");
* "he"/"she" is the most recent person-like speaker in the article, "it" the
  most recent organisation, "they" the most recent plural or group speaker;
* a description ("a senior US official") is a speaker of its own, and a later
  definite one ("the official") refers back to it in the same article;
* a quotation in a sentence without a speech verb continues the quote of the
  sentence before it in the same paragraph.

The same quote carried by several sources (same speaker, close wording or
the same aligned fact) is listed once with every source.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .entities import TITLE_WORDS, Entity, EntityIndex, normalise
from .nlp import Parsed

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token

SPEECH_VERBS = frozenset(
    """say tell add state announce insist caution warn note urge claim confirm deny explain
    write reply respond argue acknowledge admit stress emphasise emphasize predict vow
    promise pledge complain reiterate assert allege maintain recall conclude comment tweet
    reveal report ask repeat concede contend testify""".split()
)
#: speech verbs whose object or complement (not only a clause) is the content
_OBJECT_VERBS = frozenset({"urge", "warn", "ask", "vow", "promise", "pledge"})
HUMAN_HEADS = frozenset(
    """official officials spokesman spokeswoman spokesperson minister president leader
    source sources diplomat diplomats analyst analysts expert experts witness witnesses
    resident residents officer officers commander aide aides adviser advisor envoy
    ambassador secretary chief director governor mayor general lawmaker lawmakers senator
    man woman person people doctor doctors police policeman guard guards soldier
    soldiers worker workers activist activists negotiator negotiators representative""".split()
)
_QUOTE_OPEN = {"“": "”", "«": "»", '"': '"'}
_QUOTE_CLOSE = {"”", "»", '"'}
MIN_DIRECT_WORDS = 4
MIN_REPORTED_WORDS = 3
SAME_QUOTE_RATIO = 75.0


@dataclass
class Speaker:
    """One speaker of the story, merged over mentions and sources."""

    key: tuple
    name: str
    kind: str  # person | organisation | place | unnamed | group
    entity: Entity | None = None
    head: str = ""
    plural: bool = False
    roles: Counter = field(default_factory=Counter)
    mentions: list[tuple[int, int, int]] = field(default_factory=list)  # (k, start, end)
    id: str = ""

    @property
    def personal(self) -> bool:
        return self.kind == "person" or (self.kind == "unnamed" and self.head in HUMAN_HEADS)


@dataclass
class Quote:
    """One quote in one sentence (before merging across sources)."""

    k: int
    kind: str  # direct | reported
    start: int
    end: int
    speaker: Speaker | None
    mention: tuple[int, int, int] | None  # the speaker's words, (k, start, end)
    how: str | None = None  # how the speaker was found when not named in place

    @property
    def text_key(self) -> tuple[int, int, int]:
        return (self.k, self.start, self.end)


def quote_segments(text: str, open_at_start: bool) -> tuple[list[tuple[int, int]], bool]:
    """Quoted stretches of ``text`` (inside the marks) and whether one is left open."""
    segs: list[tuple[int, int]] = []
    start = 0 if open_at_start else None
    for i, ch in enumerate(text):
        if start is None:
            if ch in _QUOTE_OPEN and (ch != '"' or i == 0 or not text[i - 1].isalnum()):
                start = i + 1
        elif ch in _QUOTE_CLOSE:
            segs.append((start, i))
            start = None
    if start is not None:
        segs.append((start, len(text)))
        return segs, True
    return segs, False


def _inside(idx: int, segs: list[tuple[int, int]]) -> bool:
    return any(a <= idx < b for a, b in segs)


def _words(text: str) -> int:
    return sum(any(c.isalnum() for c in w) for w in text.split())


def _subject(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ == "nsubj":
            return c
    if verb.dep_ in ("advcl", "conj", "xcomp") and verb.head is not verb:
        return _subject(verb.head)
    return None


def _phrase(head: Token) -> tuple[list[Token], list[Token]]:
    """Tokens naming a subject (clauses, appositions and punctuation left out), appositions."""
    drop = {"acl", "relcl", "advcl", "punct", "appos", "cc", "conj", "prep"}
    keep = [t for t in _subtree_without(head, drop)]
    appos = [t for c in head.children if c.dep_ == "appos" for t in c.subtree]
    return keep, appos


def _subtree_without(tok: Token, drop: set[str]):
    yield tok
    for c in tok.children:
        if c.dep_ in drop and not (c.dep_ == "prep" and c.lower_ in ("for", "of")):
            continue
        yield from _subtree_without(c, drop)


class _Registry:
    """Speakers of the story, by key."""

    def __init__(self, entities: EntityIndex):
        self.entities = entities
        self.by_key: dict[tuple, Speaker] = {}

    def get(self, key: tuple, name: str, kind: str, **kw: Any) -> Speaker:
        sp = self.by_key.get(key)
        if sp is None:
            sp = self.by_key[key] = Speaker(key, name, kind, **kw)
        return sp


def _role(doc: Doc, keep: list[Token], appos: list[Token], name_toks: set[int]) -> str | None:
    words = [
        t.text
        for t in sorted(keep, key=lambda t: t.i)
        if t.i not in name_toks and t.dep_ != "det" and t.lower_ not in ("mr", "mrs", "ms", "dr")
    ]
    if appos:
        words += [t.text for t in appos if t.dep_ != "det" and t.i not in name_toks]
    role = " ".join(w for w in words if w not in (",", "'s")).strip(" ,")
    role = role.replace(" 's", "'s")
    return role or None


def _speaker_of(
    parsed: Parsed,
    k: int,
    head: Token,
    reg: _Registry,
    history: list[Speaker],
) -> tuple[Speaker | None, tuple[int, int, int] | None, str | None]:
    """Resolve the subject ``head`` of a speech verb to a speaker."""
    doc = head.doc
    if head.pos_ == "PRON":
        low = head.lower_
        if low in ("he", "she"):
            ok = [s for s in history if s.personal]
        elif low == "it":
            ok = [s for s in history if not s.personal and s.kind != "group" and not s.plural]
        elif low in ("they", "we"):
            ok = [s for s in history if s.plural or s.kind in ("group", "organisation")]
        else:
            ok = []
        span = (k, head.idx, head.idx + len(head.text))
        return (ok[-1], span, "pronoun") if ok else (None, span, None)
    keep, appos = _phrase(head)
    conj = [c for c in head.children if c.dep_ == "conj"]
    toks = sorted(keep, key=lambda t: t.i)
    start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    if conj:
        last = max(conj[-1].subtree, key=lambda t: t.i)
        end = last.idx + len(last.text)
    span = (k, start, end)
    mentions = [
        (m, e)
        for m, e in reg.entities.in_sentence(k)
        if m.start < end and m.end > start
        or any(m.start <= t.idx < m.end for t in appos)
    ]
    if conj:
        names = list(dict.fromkeys(e.name for _m, e in mentions))
        if len(names) < len(conj) + 1:
            text = parsed.sentences[k].text[start:end]
            names = [text[4:] if text.lower().startswith("the ") else text]
        key = ("group", tuple(sorted({normalise(n) for n in names})))
        return reg.get(key, " and ".join(names), "group", plural=True), span, None
    own = next((e for m, e in mentions if m.start <= head.idx < m.end), None)
    if own is None and head.pos_ == "PROPN":  # a surname the tagger missed here
        own = reg.entities.lookup(parsed.sentences[k].text[start:end])
    person = next((e for _m, e in mentions if e.kind == "person"), None)
    if own is None and person is not None and any(t.dep_ == "appos" for t in head.children):
        own = person  # "a Pentagon spokesman, John Kirby, said"
    if own is not None:
        own_words = {w for key in own.keys for w in key.split()}
        name_toks = {
            t.i
            for m, e in mentions
            if e is own
            for t in doc
            if m.start <= t.idx < m.end
        } | {t.i for t in keep if t.pos_ == "PROPN" and t.lower_ in own_words}
        role = _role(doc, keep, appos, name_toks) if own.kind == "person" else None
        sp = reg.get(("entity", own.id), own.name, own.kind, entity=own, head=head.lower_)
        if role and any(c.isalpha() for c in role):
            sp.roles[role] += 1
        return sp, span, None
    # a description: "a senior US official", "the defence ministry", "Mr Putin's office"
    words = [
        t.lower_
        for t in toks
        if t.dep_ not in ("det", "predet") and t.lower_ not in ("mr", "mrs", "ms")
    ]
    desc = " ".join(words).replace(" 's", "'s")
    if not desc or head.tag_ == "PRP":
        return None, span, None
    definite = toks[0].lower_ in ("the", "this", "that", "these", "those")
    if definite:
        for s in reversed(history):
            if s.kind == "unnamed" and s.head == head.lemma_.lower() and set(words) <= set(
                s.name.lower().split()
            ):
                return s, span, "definite description"
    text = parsed.sentences[k].text[start:end]
    name = text[len(toks[0].text) + 1 :] if toks[0].dep_ == "det" else text
    sp = reg.get(
        ("desc", desc),
        name.strip(),
        "unnamed",
        head=head.lemma_.lower(),
        plural=head.tag_ in ("NNS", "NNPS"),
    )
    return sp, span, None


def _object_clause(verb: Token) -> list[Token] | None:
    """The reported clause a parser hung under the object ("told a briefing that ...",
    "say [previous pledges ... produced no withdrawal]")."""
    for obj in (c for c in verb.children if c.dep_ == "dobj" and c.i > verb.i):
        for c in obj.children:
            sub = list(c.subtree)
            if c.dep_ in ("relcl", "acl", "ccomp") and sub[0].lower_ == "that" and c.i > obj.i:
                if verb.lemma_ in ("tell", "inform", "remind", "assure"):
                    return sub[1:]
        sub = list(obj.subtree)
        if verb.lemma_ == "say" and len(sub) >= 5 and any(t.pos_ == "VERB" for t in sub):
            return sub
    return None


def _content_span(verb: Token, segs: list[tuple[int, int]]) -> tuple[int, int] | None:
    """Chars of the reported clause of ``verb`` (``None`` when it has none)."""
    comp = [c for c in verb.children if c.dep_ == "ccomp"]
    toks: list[Token]
    if comp:
        toks = list(comp[0].subtree)
        if toks and toks[0].dep_ == "mark" and toks[0].lower_ in ("that", "whether", "if"):
            toks = toks[1:]
    elif clause := _object_clause(verb):
        toks = clause
    elif verb.lemma_ in _OBJECT_VERBS:
        toks = [t for c in verb.children if c.i > verb.i and c.dep_ in ("dobj", "xcomp") for t in c.subtree]
        toks += [t for c in verb.children if c.i > verb.i and c.dep_ == "xcomp" for t in c.subtree]
    else:
        return None
    toks = [t for t in toks if not t.is_punct or t.text in "\"“”'"] if toks else []
    if not toks:
        return None
    toks.sort(key=lambda t: t.i)
    dated = {t.i for e in verb.doc.ents if e.label_ in ("DATE", "TIME") for t in e}
    while toks and (toks[0].i in dated or toks[0].lower_ in ("on", "that")) and len(toks) > 1:
        toks = toks[1:]  # "announced on Monday [Putin had ordered...]"
    start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    if comp and all(c.i < comp[0].i or c.is_punct for c in verb.children if c is not comp[0]):
        # the clause ends the verb's phrase: take everything up to its end
        last = [t for t in verb.subtree if not t.is_punct or t.text in "\"“”'"][-1]
        end = max(end, last.idx + len(last.text))
    if start <= verb.idx < end:
        return None  # "what the Kremlin said were ...": the verb sits inside its clause
    for a, b in segs:  # never cut a quotation in two
        if a < end < b:
            end = b
    text = verb.doc.text
    outside = "".join(ch for i, ch in enumerate(text[start:end], start) if not _inside(i, segs))
    if _words(outside) < MIN_REPORTED_WORDS:
        return None
    return start, end


def _according_to(doc: Doc) -> list[tuple[Token, tuple[int, int] | None]]:
    """Sources of "according to X" with the chars of the clause they support."""
    out = []
    for t in doc:
        if t.lower_ != "according":
            continue
        for to in t.children:
            if to.lower_ != "to":
                continue
            sub = list(t.subtree)
            left, right = sub[0].i, sub[-1].i
            before = [x for x in doc[:left] if not x.is_punct]
            after = [x for x in doc[right + 1 :] if not x.is_punct]
            part = before if len(before) >= len(after) else after
            span = None
            if len(part) >= MIN_REPORTED_WORDS:
                span = (part[0].idx, part[-1].idx + len(part[-1].text))
            out += [(c, span) for c in to.children if c.dep_ == "pobj"]
    return out


def _person_subjects(doc: Doc, k: int, reg: _Registry) -> list[tuple[int, Speaker]]:
    """Named people who are subjects of other verbs: antecedents for "he"/"she"."""
    out = []
    mentions = [(m, e) for m, e in reg.entities.in_sentence(k) if e.kind == "person"]
    for t in doc:
        if t.dep_ != "nsubj" or t.pos_ != "PROPN":
            continue
        for m, e in mentions:
            if m.start <= t.idx < m.end:
                out.append((t.i, reg.get(("entity", e.id), e.name, "person", entity=e)))
    return out


def extract_raw(parsed: Parsed, entities: EntityIndex) -> tuple[list[Quote], list[Speaker]]:
    """Every quote of every sentence, with its resolved speaker."""
    reg = _Registry(entities)
    quotes: list[Quote] = []
    by_article: dict[str, list[int]] = {}
    for k, s in enumerate(parsed.sentences):
        by_article.setdefault(s.article_id, []).append(k)
    for ks in by_article.values():
        history: list[Speaker] = []
        open_quote = False
        open_run = 0
        prev: tuple[int, Speaker | None, int] | None = None  # (k, speaker, paragraph)
        last_para = None
        for k in ks:
            s, doc = parsed.sentences[k], parsed.docs[k]
            if s.paragraph != last_para or open_run > 3:
                open_quote, open_run = False, 0
            last_para = s.paragraph
            segs, open_quote = quote_segments(s.text, open_quote)
            open_run = open_run + 1 if open_quote else 0
            direct = [(a, b) for a, b in segs if _words(s.text[a:b]) >= MIN_DIRECT_WORDS]
            verbs = [
                t
                for t in doc
                if t.lemma_.lower() in SPEECH_VERBS
                and t.pos_ == "VERB"
                and not _inside(t.idx, segs)
                and not any(c.dep_ == "neg" for c in t.children)
            ]
            found: list[Quote] = []
            first_speaker: tuple[Speaker | None, tuple | None, str | None] | None = None
            named = _person_subjects(doc, k, reg)
            for v in verbs:
                subj = _subject(v)
                if subj is None or _inside(subj.idx, segs):
                    continue
                before = history + [sp for i, sp in named if i < subj.i]
                who = _speaker_of(parsed, k, subj, reg, before)
                if who[0] is not None:
                    history.append(who[0])
                    who[0].mentions.append(who[1])
                if first_speaker is None:
                    first_speaker = who
                content = _content_span(v, segs)
                if content:
                    found.append(Quote(k, "reported", *content, who[0], who[1], who[2]))
            for pobj, content in _according_to(doc) if first_speaker is None else []:
                who = _speaker_of(parsed, k, pobj, reg, history)
                if who[0] is not None:
                    history.append(who[0])
                    who[0].mentions.append(who[1])
                first_speaker = first_speaker or who
                if content:
                    found.append(Quote(k, "reported", *content, who[0], who[1], who[2]))
            history.extend(sp for _i, sp in named)
            reported = [q for q in found if q.kind == "reported"]
            starts_quoted = s.text.lstrip()[:1] in _QUOTE_OPEN
            for a, b in direct:
                if any(r.start <= a and b <= r.end + 1 for r in reported):
                    continue  # a quoted fragment of reported speech
                if first_speaker is not None:
                    sp, mention, how = first_speaker
                elif (
                    prev is not None
                    and prev[0] == k - 1
                    and (prev[2] == s.paragraph or starts_quoted)
                ):
                    sp, mention, how = prev[1], None, "previous quote"
                else:
                    sp, mention, how = None, None, None
                found.append(Quote(k, "direct", a, b, sp, mention, how))
            quotes.extend(found)
            quoted = [q for q in found if q.kind == "direct"]
            if quoted:
                prev = (k, quoted[-1].speaker, s.paragraph)
            elif not segs:
                prev = None
    speakers = [sp for sp in reg.by_key.values() if sp.mentions]
    return quotes, speakers


def _same_quote(parsed: Parsed, a: Quote, b: Quote) -> bool:
    from rapidfuzz import fuzz

    if a.speaker is not b.speaker and a.speaker is not None and b.speaker is not None:
        return False
    fact_of = parsed.ds.alignment.fact_of
    sa, sb = parsed.sentences[a.k], parsed.sentences[b.k]
    ta, tb = sa.text[a.start : a.end], sb.text[b.start : b.end]
    ratio = fuzz.token_set_ratio(ta.lower(), tb.lower())
    if a.speaker is None or b.speaker is None:
        return fact_of[sa.id] == fact_of[sb.id] and ratio >= SAME_QUOTE_RATIO
    return ratio >= SAME_QUOTE_RATIO or (fact_of[sa.id] == fact_of[sb.id] and ratio >= 60)


def build(
    parsed: Parsed, quotes: list[Quote], speakers: list[Speaker]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Merge quotes across sources; JSON rows for ``quotes`` and ``speakers``."""
    quoted = {id(q.speaker) for q in quotes if q.speaker is not None}
    speakers = [sp for sp in speakers if id(sp) in quoted]
    speakers.sort(key=lambda sp: min(m[:2] for m in sp.mentions))
    for n, sp in enumerate(speakers):
        sp.id = f"s{n}"
    groups: list[list[Quote]] = []
    for q in quotes:
        art = parsed.sentences[q.k].article_id
        for g in groups:
            if any(parsed.sentences[x.k].article_id == art for x in g):
                continue
            if g[0].kind == q.kind and _same_quote(parsed, g[0], q):
                g.append(q)
                break
        else:
            groups.append([q])
    rows: list[dict[str, Any]] = []
    for g in groups:
        sp = next((q.speaker for q in g if q.speaker is not None), None)
        first = g[0]
        rows.append(
            {
                "id": f"q{len(rows)}",
                "kind": first.kind,
                "speaker": sp.id if sp else None,
                "speaker_name": sp.name if sp else None,
                "text": parsed.sentences[first.k].text[first.start : first.end].strip(),
                "sources": list(dict.fromkeys(parsed.sentences[q.k].article_id for q in g)),
                "evidence": [
                    {
                        "quote": parsed.span(q.k, q.start, q.end),
                        "sentence": parsed.span(q.k, 0, len(parsed.sentences[q.k].text)),
                        "speaker_mention": parsed.span(*q.mention) if q.mention else None,
                        "speaker_resolved_by": q.how,
                    }
                    for q in g
                ],
            }
        )
    count = Counter(r["speaker"] for r in rows if r["speaker"])
    sp_rows = []
    for sp in speakers:
        role = None
        if sp.roles:
            role = max(sp.roles, key=lambda r: (sp.roles[r], len(r)))
        arts = list(dict.fromkeys(parsed.sentences[m[0]].article_id for m in sp.mentions))
        sp_rows.append(
            {
                "id": sp.id,
                "name": sp.name,
                "kind": sp.kind,
                "role": role,
                "entity": sp.entity.id if sp.entity else None,
                "quotes": count.get(sp.id, 0),
                "sources": arts,
                "aliases": sorted({parsed.sentences[m[0]].text[m[1] : m[2]] for m in sp.mentions}),
                "mentions": [parsed.span(*m) for m in sp.mentions],
            }
        )
    return rows, sp_rows


__all__ = ["SPEECH_VERBS", "TITLE_WORDS", "Quote", "Speaker", "build", "extract_raw"]
