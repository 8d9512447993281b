"""Titles of works (films, shows, books, songs) are no entity.

spaCy's small model types a film's title a person ("Prometheus", "Coma"), an
organisation ("Top Gun", "Crimson Tide") or a place; an entity is a person,
organisation or place, so a name the story writes as a work's title is dropped,
as peoples and nationalities are. A mention is a title when it stands between
quotation marks ('"Top Gun" director Tony Scott', "'Top Gun 2'") or a noun of a
work describes it: "the mob thriller Potsdamer Platz", "an A&E miniseries called
Coma", "this summer's hit Prometheus", "the Top Gun sequel", "Scott, whose films
include Crimson Tide". A name at least half of whose mentions are titles, and
none titled or described as a person or place, is a work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Span, Token

    from .entities import Entity
    from .nlp import Parsed

#: nouns of works ("the mob thriller X", "the X sequel")
WORK_NOUNS = frozenset(
    """film films movie movies thriller comedy drama documentary miniseries series show
    shows sitcom sequel prequel remake novel book memoir album song single musical
    episode biopic blockbuster franchise""".split()
)
_OPENING = ('"', "“", "'", "‘", "``", "«")
_CLOSING = ('"', "”", "'", "’", "''", "»")
#: works only a work has ("the Top Gun sequel"; "an A&E miniseries" is the network's)
_SEQUELS = frozenset({"sequel", "prequel", "remake"})
#: first words of a code name set in quotes ("Operation Condor")
_CODE_NAMES = frozenset({"operation", "project", "plan"})
_NAMING = frozenset({"call", "title", "name", "dub", "entitle"})


def _work_noun(tok: Token) -> bool:
    return tok.lower_ in WORK_NOUNS or tok.lemma_.lower() in WORK_NOUNS


def quoted(text: str, start: int, end: int) -> bool:
    """The name ``text[start:end]`` stands between quotation marks, a closing comma or
    full stop inside them ('"State of the Union."')."""
    before = text[:start].rstrip()
    after = text[end:].lstrip(",.")
    opening = next((q for q in _OPENING if before.endswith(q)), None)
    closing = next((q for q in _CLOSING if after.startswith(q)), None)
    if opening is None or closing is None:
        return False
    # a quotation mark, not an apostrophe: "the Patriots' Tom Brady's"
    ahead = before[: -len(opening)][-1:]
    behind = after[len(closing) :][:1]
    return not ahead.isalnum() and not behind.isalnum()


def _quoted_in_story(text: str, e: Entity) -> bool:
    """A name of two or more capitalised words that the story writes between
    quotation marks at least once in four ('"Top Gun" director Tony Scott'; spaCy
    may tag no entity there), the way titles of works are written; not a person's
    (a name read off a card: '“Emma Stone, La La Land”', a pseudonym: '"Mike
    Enoch,"'), nor a name a place or body word ends ('the “Monon High Bridge”')."""
    from .entities import ORG_HEADS, PLACE_HEADS

    if e.kind == "person":
        return False
    for name in {m.text for m in e.mentions}:
        if name.split()[-1].lower() in PLACE_HEADS | ORG_HEADS:
            continue
        words = name.split()
        if len(words) < 2 or not all(w[:1].isupper() or w[:1].isdigit() for w in words):
            continue
        if words[0].lower() in _CODE_NAMES:
            continue  # ``Operation Condor,'': a campaign's code name, no work
        seen = marked = 0
        at = text.find(name)
        while at >= 0:
            seen += 1
            marked += quoted(text, at, at + len(name))
            at = text.find(name, at + 1)
        if marked and 4 * marked >= seen:
            return True
    return False


def described_as_work(span: Span) -> bool:
    """A noun of a work describes the name: before it ("the mob thriller X", "hit X"),
    in apposition, naming it ("a miniseries called X"), after it ("the X sequel") or
    as the subject of "include" ("whose films include X, Y and Z")."""
    root = span.root
    while root.dep_ == "conj" and root.head is not root:
        root = root.head
    if any(c.i < span.start and (_work_noun(c) or c.lower_ == "hit") for c in root.children):
        return True
    head = root.head
    if root.dep_ == "appos" and _work_noun(head):
        return True
    if root.dep_ == "compound" and head.i >= span.end and head.lemma_.lower() in _SEQUELS:
        return True
    if root.dep_ in ("oprd", "attr", "dobj") and head.lemma_.lower() in _NAMING:
        return head.dep_ == "acl" and _work_noun(head.head)
    if root.dep_ == "dobj" and head.lemma_.lower() == "include":
        return any(c.dep_ == "nsubj" and _work_noun(c) for c in head.children)
    return False


def drop_works(parsed: Parsed, ents: list[Entity]) -> None:
    """Empty the entities the story writes as titles of works (see the module)."""
    from . import kinds

    text_all = "\n".join(s.text for s in parsed.sentences)
    for e in ents:
        if not e.mentions:
            continue
        spans = kinds._spans(parsed, e)
        if kinds.described_as_person(spans) or any(kinds.described_as_place(s) for s in spans):
            continue
        if _quoted_in_story(text_all, e):
            e.mentions = []
            continue
        titles = 0
        for m in e.mentions:
            span = parsed.docs[m.k].char_span(m.start, m.end, alignment_mode="expand")
            text = parsed.sentences[m.k].text
            titles += quoted(text, m.start, m.end) or (span is not None and described_as_work(span))
        if titles and 2 * titles >= len(e.mentions):
            e.mentions = []
