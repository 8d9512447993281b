"""Cross-source analysis: how the outlets' accounts of one story relate.

``analyze(ds)`` reads the core's :class:`~newsweave.pipeline.DocSet` (its
sentences, embeddings and fact alignment), parses the sentences once with
spaCy, and returns a JSON-serialisable dict:

``agreements``  facts of two or more independent accounts (``all`` when every
                account carries it), with each source's supporting sentence;
``exclusives``  salient facts of one account only, by article id;
``conflicts``   aligned statements that disagree (number, date, name, place,
                negation, speaker), both sides verbatim;
``quotes``      direct and reported speech with speaker and sources;
``speakers``    speakers merged across mentions and sources, with roles;
``entities``    people, organisations and places with counts per source;
``timeline``    dated events, resolved against the article dates;
``notes``       plain-language remarks (one source only, no dates...).

Every piece of evidence is a ``{article, start, end, text}`` span with
``article.text[start:end] == text``. See docs/analysis.md for the full shape.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from .conflicts import check_nli, get_nli, register_nli
from .dates import parse_anchor

if TYPE_CHECKING:  # pragma: no cover
    from ..pipeline import DocSet
    from ..records import Article

SCHEMA = "newsweave.analysis/1"


def analyze(
    ds: DocSet | Sequence[Article | str | dict[str, Any]],
    *,
    nli: str | Callable[[str, str], str] | None = None,
) -> dict[str, Any]:
    """Cross-source analysis of one story (a ``DocSet``, or articles to prepare).

    ``nli`` names a function registered with :func:`register_nli` (or is the
    function itself); without it only the rules flag conflicts.
    """
    from ..pipeline import DocSet, prepare
    from . import agreements as agr
    from . import conflicts, entities, nlp, quotes, timeline

    nli_fn = get_nli(nli) if isinstance(nli, str) else None if nli is None else check_nli(nli)
    if not isinstance(ds, DocSet):
        ds = prepare(ds)
    t0 = time.perf_counter()
    parsed = nlp.parse(ds)
    t_parse = time.perf_counter() - t0
    ents = entities.extract(parsed)
    dates = timeline.date_mentions(parsed)
    raw_quotes, raw_speakers = quotes.extract_raw(parsed, ents)
    scores = agr.salience(parsed)
    found = conflicts.detect(parsed, ents, dates, raw_quotes, nli=nli_fn)
    quote_rows, speaker_rows = quotes.build(parsed, raw_quotes, raw_speakers)
    result: dict[str, Any] = {
        "schema": SCHEMA,
        "sources": [
            {
                "id": a.id,
                "label": a.label,
                "date": a.date,
                "account": ds.alignment.account_of[a.id],
            }
            for a in ds.articles
        ],
        "agreements": agr.agreements(parsed, scores),
        "exclusives": agr.exclusives(parsed, scores),
        "conflicts": found,
        "quotes": quote_rows,
        "speakers": speaker_rows,
        "entities": ents.to_list(parsed),
        "timeline": timeline.build(parsed, dates),
    }
    result["notes"] = _notes(ds, result)
    result["stats"] = {
        "articles": len(ds.articles),
        "accounts": len(set(ds.alignment.account_of.values())),
        "sentences": len(ds.sentences),
        "agreements": len(result["agreements"]),
        "agreed_by_all": sum(r["all"] for r in result["agreements"]),
        "conflicts": len(found),
        "quotes": len(quote_rows),
        "timeline_events": len(result["timeline"]),
        "parse_seconds": round(t_parse, 3),
        "seconds": round(time.perf_counter() - t0, 3),
    }
    return result


def _notes(ds: DocSet, r: dict[str, Any]) -> list[str]:
    notes: list[str] = []
    from .agreements import MIN_WORDS

    accounts = len(ds.accounts_with_text())
    if accounts < 2:
        notes.append(
            f"Only one source ({_one_source(ds)}): there is nothing to compare, so there "
            "are no agreements, exclusives or conflicts; quotes, entities and the timeline "
            "describe that source alone."
        )
        return notes + _other_notes(ds, r)
    shared = [
        f
        for f in ds.facts
        if f.accounts > 1 and len(ds.sentence(f.representative).text.split()) >= MIN_WORDS
    ]
    if not r["agreements"] and shared:  # every one of them printed word for word
        notes.append(
            "The sources share no fact in their own words: what two accounts both carry "
            "they print word for word or nearly (one passage, such as the same wire copy), which "
            "does not count as agreement."
        )
    elif not r["agreements"]:
        notes.append("The sources share no fact: no statement is carried by two accounts.")
    elif all(
        f.accounts == accounts
        for f in ds.facts
        if len(ds.sentence(f.representative).text.split()) >= 5
    ):
        notes.append("Every source reports the same facts: they agree throughout.")
    if not r["conflicts"]:
        notes.append("No conflicting statements were found between the sources.")
    return notes + _other_notes(ds, r)


def _one_source(ds: DocSet) -> str:
    """What the one source to compare is: one article, copies of one text, or
    the one account with text among articles cleaning left empty."""
    if len(ds.articles) == 1:
        return "one article"
    with_text = {s.article_id for s in ds.sentences}
    empty = [a.label for a in ds.articles if a.id not in with_text]
    if len(set(ds.alignment.account_of.values())) < 2 or not empty:
        return "near-duplicate articles (one account)"
    return "no sentence was left of " + ", ".join(empty) + " after cleaning"


def _other_notes(ds: DocSet, r: dict[str, Any]) -> list[str]:
    notes: list[str] = []
    undated = [a.label for a in ds.articles if not a.date]
    if undated:
        notes.append(
            "No publication date for "
            + ", ".join(undated)
            + ": relative dates there ('on Monday', 'last week') are kept as written."
        )
    unread = [f"{a.label} ({a.date!r})" for a in ds.articles if a.date and not parse_anchor(a.date)]
    if unread:  # given, but no day to count from: as if undated, said so
        notes.append(
            "Publication date not read as a day (YYYY-MM-DD) for "
            + ", ".join(unread)
            + ": relative dates there ('on Monday', 'last week') are kept as written."
        )
    if not r["quotes"]:
        notes.append("No quotations or reported speech were found.")
    if not r["timeline"]:
        notes.append("No dated events were found.")
    return notes


__all__ = ["SCHEMA", "analyze", "get_nli", "register_nli"]
