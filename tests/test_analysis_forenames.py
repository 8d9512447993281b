"""Names that start with a common given name are people's
(:mod:`newsweave.analysis.forenames`). The sentences are written for these tests.
"""

from __future__ import annotations

import pytest

from newsweave.analysis import analyze
from newsweave.analysis.forenames import GIVEN_NAMES, _forename
from newsweave.records import Article


@pytest.fixture(scope="module")
def prep(analysis_prepare):
    return analysis_prepare


def _entities(prep, *texts: str) -> dict[str, tuple[str, set[str]]]:
    arts = [Article(id=f"a{n}", text=t) for n, t in enumerate(texts)]
    r = analyze(prep(arts))
    return {e["name"]: (e["type"], set(e["aliases"])) for e in r["entities"]}


def test_a_given_name_before_a_place_or_firm_word_makes_a_person(prep):
    # spaCy's small model types both organisations
    ents = _entities(
        prep,
        "Denzel Washington starred in Unstoppable, filmed in Pennsylvania. "
        "The senator flew back to Washington on Monday.",
        "The comet was found in 1865 by Ernst Tempel and Horace Tuttle.",
    )
    assert ents["Denzel Washington"] == ("person", {"Denzel Washington"})
    assert ents["Ernst Tempel"][0] == "person"
    # the city one flies back to stays a place, not Denzel Washington's surname
    assert ents["Washington"][0] == "place"


def test_a_given_name_before_a_body_or_place_head_is_no_person():
    assert _forename(["Denzel", "Washington"])
    assert _forename(["Ernst", "J.", "Tempel"])
    assert not _forename(["Austin", "Police"])  # no given name of the list either
    assert not _forename(["Charles", "River"])
    assert not _forename(["George", "Mason", "University"])
    assert not _forename(["Rotten", "Tomatoes"])
    assert not {"jordan", "dallas", "follow", "will", "pope"} & GIVEN_NAMES
