"""Quotes: who said what, in which sources.

Direct quotations are text between quotation marks (four words or more;
shorter ones are scare quotes inside reported speech; words in title case are
the title of a work). Reported speech is the
complement clause of a speech verb ("Lavrov said [Russia welcomed talks]").
The speaker is the subject of the speech verb, or of the verb it hangs from
("..., adding that ..."), or the object of "according to". When one sentence
has speech verbs of several speakers, each quotation goes to the verb right
after it ('"...," said X') or else the last one before it ('Y replied: "..."').

Speakers are resolved and merged by :mod:`.speakers`; a quotation in a sentence
without a speech verb continues the quote before it (or is attributed to the
speaker named where the quotation closes, else to the speaker quoted in the
last ``RECENT`` sentences).

The same quote carried by several sources (same speaker, close wording or
the same aligned fact) is listed once with every source.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .clauses import according_to, content_span, inside, nobody, put_to, subject, words
from .entities import EntityIndex
from .marks import QUOTE_CLOSE, QUOTE_OPEN, TICKS_CLOSE, TICKS_OPEN, is_title, quote_segments
from .nlp import Parsed
from .speakers import Registry, Speaker, person_subjects, speaker_of, titled_people

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Token

SPEECH_VERBS = frozenset(
    """say tell add state announce insist caution warn note urge claim confirm deny explain
    write reply respond argue acknowledge admit stress emphasise emphasize predict vow
    promise pledge complain reiterate assert allege maintain recall conclude comment tweet
    reveal report ask repeat concede contend testify shout yell exclaim chant declare
    joke quip""".split()
)  # not "post": "posted her $100,000 bond", "posted two photos" say nothing
MIN_DIRECT_WORDS = 4
SAME_QUOTE_RATIO = 75.0
RECENT = 3  # an unattributed quotation goes to a speaker quoted this few sentences before


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


def _closed_later(parsed: Parsed, ks: list[int]) -> bool:
    """Whether a quotation open before sentence ``ks[0]`` closes in it or a later
    sentence of its paragraph: a long quotation (six sentences of a spokesman's
    account) stays open; a stray mark nothing closes does not run on."""
    para = parsed.sentences[ks[0]].paragraph
    for k in ks:
        text = parsed.sentences[k].text
        if parsed.sentences[k].paragraph != para:
            return False
        if any(ch in QUOTE_CLOSE for ch in text) or TICKS_CLOSE in text:
            return True
    return False


Who = tuple[Speaker | None, tuple[int, int, int] | None, str | None]  # see speaker_of
_JOINERS = frozenset({"cc", "mark"})  # "..., whilst his grandmother said": a new clause


def _introducer(
    said: list[tuple[Token, Who]], direct: list[tuple[int, int]], a: int, b: int
) -> Who | None:
    """The speaker of the quotation ``a:b`` when its sentence has speech verbs of
    several speakers: the verb right after it ('"...," said X', but not '"...",
    whilst Y said'), else the last verb between the quotation before and this one
    ('..., but Y replied: "..."'). None when the sentence has one speaker."""
    if len({id(who[0]) for _v, who in said}) < 2:
        return None
    prev_end = max((e for s, e in direct if e <= a), default=0)
    next_start = min((s for s, e in direct if s >= b), default=len(said[0][0].doc.text))
    after = [(v, who) for v, who in said if b <= v.idx < next_start]
    if after:
        verb, who = after[0]
        if not any(t.dep_ in _JOINERS for t in verb.doc if b <= t.idx < verb.idx):
            return who
    before = [who for v, who in said if prev_end <= v.idx < a]
    return before[-1] if before else None


def extract_raw(parsed: Parsed, entities: EntityIndex) -> tuple[list[Quote], list[Speaker]]:
    """Every quote of every sentence, with its resolved speaker."""
    reg = Registry(entities)
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
        last_at: dict[int, int] = {}  # speaker -> sentence of its last attributed quote
        first_quote = len(quotes)
        for n, k in enumerate(ks):
            s, doc = parsed.sentences[k], parsed.docs[k]
            if s.paragraph != last_para or (open_run > 3 and not _closed_later(parsed, ks[n:])):
                open_quote, open_run = False, 0
            last_para = s.paragraph
            segs, open_quote = quote_segments(s.text, open_quote)
            open_run = open_run + 1 if open_quote else 0
            direct = [
                (a, b)
                for a, b in segs
                if words(s.text[a:b]) >= MIN_DIRECT_WORDS and not is_title(s.text[a:b])
            ]
            verbs = [
                t
                for t in doc
                if t.lemma_.lower() in SPEECH_VERBS
                and t.pos_ == "VERB"
                and not inside(t.idx, segs)
                and not any(c.dep_ == "neg" for c in t.children)
                and not put_to(t)
            ]
            found: list[Quote] = []
            first_speaker: Who | None = None
            said: list[tuple[Token, Who]] = []  # speech verbs with their resolved subject
            named = person_subjects(doc, k, reg)
            for v in verbs:
                subj = subject(v, segs)
                if subj is None or nobody(subj):
                    continue
                before = history + [sp for i, sp in named if i < subj.i]
                who = speaker_of(parsed, k, subj, reg, before)
                if who[0] is not None:
                    history.append(reg.saw(who[0], k))
                    who[0].mentions.append(who[1])
                if first_speaker is None:
                    first_speaker = who
                said.append((v, who))
                content = content_span(v, segs, verbs)
                if content:
                    found.append(Quote(k, "reported", *content, who[0], who[1], who[2]))
            for pobj, content in according_to(doc, verbs, segs):
                if content and any(q.start < content[1] and content[0] < q.end for q in found):
                    continue  # "X said ..., according to preliminary findings"
                who = speaker_of(parsed, k, pobj, reg, history)
                if who[0] is not None:
                    history.append(reg.saw(who[0], k))
                    who[0].mentions.append(who[1])
                first_speaker = first_speaker or who
                if content:
                    found.append(Quote(k, "reported", *content, who[0], who[1], who[2]))
            history.extend(reg.saw(sp, k) for _i, sp in named)
            reported = [q for q in found if q.kind == "reported"]
            lead = s.text.lstrip()
            starts_quoted = lead[:1] in QUOTE_OPEN or lead.startswith(TICKS_OPEN)
            for a, b in direct:
                if any(r.start <= a and b <= r.end + 1 for r in reported):
                    continue  # a quoted fragment of reported speech
                if first_speaker is not None:
                    sp, mention, how = _introducer(said, direct, a, b) or first_speaker
                elif (
                    prev is not None
                    and prev[0] == k - 1
                    and (prev[2] == s.paragraph or starts_quoted)
                ):
                    sp, mention, how = prev[1], None, "previous quote"
                elif history and k - last_at.get(id(history[-1]), -99) <= RECENT:
                    sp, mention, how = history[-1], None, "recent speaker"
                else:
                    sp, mention, how = None, None, None
                found.append(Quote(k, "direct", a, b, sp, mention, how))
            quotes.extend(found)
            for sp in _quoted_here(found, said, segs, direct, first_speaker):
                last_at[id(sp)] = k
            quoted = [q for q in found if q.kind == "direct"]
            if quoted:
                prev = (k, quoted[-1].speaker, s.paragraph)
            elif not segs:
                prev = None
        _attribute_forward(parsed, quotes[first_quote:])
    titled = titled_people(parsed, list(reg.by_key.values()))
    for q in quotes:  # "The pope said" before an article names John Paul II
        if q.speaker is not None and id(q.speaker) in titled:
            q.speaker, q.how = titled[id(q.speaker)], q.how or "definite description"
    for sp in reg.by_key.values():
        if id(sp) in titled:
            titled[id(sp)].mentions = sorted(titled[id(sp)].mentions + sp.mentions)
            sp.mentions = []
    speakers = [sp for sp in reg.by_key.values() if sp.mentions]
    return quotes, speakers


_IN_PLACE = (None, "pronoun", "definite description")  # found from the sentence's own verb


def _quoted_here(
    found: list[Quote],
    said: list[tuple[Token, Who]],
    segs: list[tuple[int, int]],
    direct: list[tuple[int, int]],
    first_speaker: Who | None,
) -> list[Speaker]:
    """Speakers quoted by a speech verb of this sentence: the speakers of its
    quotes, and of a quotation too short to list ('"Absolutely false," the
    spokesperson told The Daily Beast.'), whose next words are still theirs."""
    out = [q.speaker for q in found if q.speaker is not None and q.how in _IN_PLACE]
    if first_speaker is None:
        return out
    reported = [q for q in found if q.kind == "reported"]
    for a, b in segs:
        if (a, b) in direct or any(r.start <= a and b <= r.end + 1 for r in reported):
            continue
        sp = (_introducer(said, direct, a, b) or first_speaker)[0]
        if sp is not None:
            out.append(sp)
    return out


def _attribute_forward(parsed: Parsed, quotes: list[Quote]) -> None:
    """A quotation whose speaker comes after it, in the sentence that closes it:
    '"A plane saw a fire. This was a plane that landed today," said Jose Alencar.'
    Only a quotation left open at the end of its sentence goes on there: one
    closed inside it ('McHugh accused "the very highest levels of NBC" of...')
    is not the next sentence's. A speaker only guessed (the one quoted in the
    last sentences, and the quotes continuing from that guess) gives way too:
    the speaker named where the quotation closes said all of it."""
    guessed: set[int] = set()
    for n, q in enumerate(quotes):
        if q.how == "recent speaker" or (
            q.how == "previous quote" and n and id(quotes[n - 1]) in guessed
        ):
            guessed.add(id(q))
    for q, nxt in zip(reversed(quotes[:-1]), reversed(quotes[1:]), strict=True):
        if (
            q.kind == "direct"
            and (q.speaker is None or id(q) in guessed)
            and nxt.kind == "direct"
            and nxt.k == q.k + 1
            and nxt.start <= 1
            and nxt.speaker is not None
            and id(nxt) not in guessed
            and _runs_to_end(parsed.sentences[q.k].text, q.end)
        ):
            q.speaker, q.how = nxt.speaker, "next quote"
            guessed.discard(id(q))


def _runs_to_end(text: str, end: int) -> bool:
    """Whether a quotation ending at ``end`` is still open at the end of ``text``
    (nothing but closing punctuation after it, and no closing quotation mark:
    'Host Chris Wallace broached the subject: “I want to ask you...”' is closed)."""
    rest = text[end:]
    return not any(ch.isalnum() or ch in QUOTE_CLOSE for ch in rest) and TICKS_CLOSE not in rest


def _same_quote(parsed: Parsed, a: Quote, b: Quote) -> bool:
    from rapidfuzz import fuzz

    if a.speaker is not b.speaker and a.speaker is not None and b.speaker is not None:
        return False
    fact_of = parsed.ds.alignment.fact_of
    sa, sb = parsed.sentences[a.k], parsed.sentences[b.k]
    same_fact = fact_of[sa.id] == fact_of[sb.id]
    if not same_fact and (a.speaker is None or b.speaker is None):
        return False  # (before the ratio: most pairs end here)
    ta, tb = sa.text[a.start : a.end], sb.text[b.start : b.end]
    ratio = fuzz.token_set_ratio(ta.lower(), tb.lower())
    if a.speaker is None or b.speaker is None:
        return ratio >= SAME_QUOTE_RATIO
    return ratio >= SAME_QUOTE_RATIO or (same_fact and ratio >= 60)


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
    group_arts: list[set[str]] = []  # the articles of groups[n]
    for q in quotes:
        art = parsed.sentences[q.k].article_id
        for g, arts in zip(groups, group_arts, strict=True):
            if art in arts:
                continue
            if g[0].kind == q.kind and _same_quote(parsed, g[0], q):
                g.append(q)
                arts.add(art)
                break
        else:
            groups.append([q])
            group_arts.append({art})
    rows: list[dict[str, Any]] = []
    for g in groups:
        sp = next((q.speaker for q in g if q.speaker is not None), None)
        evidence = [
            {
                "quote": parsed.span(q.k, q.start, q.end),
                "sentence": parsed.span(q.k, 0, len(parsed.sentences[q.k].text)),
                "speaker_mention": parsed.span(*q.mention) if q.mention else None,
                "speaker_resolved_by": q.how,
            }
            for q in g
        ]
        rows.append(
            {
                "id": f"q{len(rows)}",
                "kind": g[0].kind,
                "speaker": sp.id if sp else None,
                "speaker_name": sp.name if sp else None,
                "text": evidence[0]["quote"]["text"],  # the first source's words, as quoted
                "sources": list(dict.fromkeys(parsed.sentences[q.k].article_id for q in g)),
                "evidence": evidence,
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


__all__ = ["SPEECH_VERBS", "Quote", "Speaker", "build", "extract_raw"]
