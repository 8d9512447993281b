"""People: one person's names merge into one entity (:mod:`newsweave.analysis.people`).

The sentences are written for these tests.
"""

from __future__ import annotations

import pytest

from newsweave.analysis import analyze
from newsweave.records import Article


@pytest.fixture(scope="module")
def prep(analysis_prepare):
    return analysis_prepare


def _entities(prep, *texts: str) -> dict[str, tuple[str, set[str]]]:
    """Entities of a story: name → (type, aliases)."""
    arts = [Article(id=f"a{n}", text=t) for n, t in enumerate(texts)]
    r = analyze(prep(arts))
    return {e["name"]: (e["type"], set(e["aliases"])) for e in r["entities"]}


def test_a_first_name_used_more_often_than_the_full_name_joins_it(prep):
    # spaCy types the bare "Sureshbhai" a place; the story writes his surname alone too
    ents = _entities(
        prep,
        "Police apologised for the force used on Sureshbhai Patel. Mr. Patel is recovering.",
        "Sureshbhai Patel, 57, had just arrived to visit his son. Sureshbhai, who speaks no "
        "English, could not answer the officers. Sureshbhai faces a long recovery. His son "
        "Chirag Patel started a fund for the family of Sureshbhai. Patel underwent surgery.",
    )
    assert "Sureshbhai" not in ents
    kind, aliases = ents["Sureshbhai Patel"]
    assert kind == "person"
    assert "Sureshbhai" in aliases
