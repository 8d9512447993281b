"""Titles of works are no entity (:mod:`newsweave.analysis.works`).

The sentences are written for these tests.
"""

from __future__ import annotations

import pytest

from newsweave.analysis import analyze
from newsweave.analysis.entities import Entity, Mention
from newsweave.analysis.works import _quoted_in_story, quoted
from newsweave.records import Article


@pytest.fixture(scope="module")
def prep(analysis_prepare):
    return analysis_prepare


def _entities(prep, *texts: str) -> dict[str, tuple[str, set[str]]]:
    arts = [Article(id=f"a{n}", text=t) for n, t in enumerate(texts)]
    r = analyze(prep(arts))
    return {e["name"]: (e["type"], set(e["aliases"])) for e in r["entities"]}


def test_quotation_marks_around_a_name_not_apostrophes():
    def q(text: str, name: str) -> bool:
        at = text.index(name)
        return quoted(text, at, at + len(name))

    assert q('the "Top Gun" director', "Top Gun")
    assert q("From 'Top Gun' to 'Unstoppable'", "Top Gun")
    assert q("CNN's “State of the Union.”", "State of the Union")
    assert not q("the Patriots' Tom Brady's pass", "Tom Brady")
    assert not q("Tom Brady threw", "Tom Brady")


def test_titles_of_films_and_shows_are_no_entity(prep):
    ents = _entities(
        prep,
        "Investigators probing the death of the Top Gun and True Romance director said he "
        "left notes. The director rose to fame with 'Top Gun' in 1986. After this summer's "
        "hit Prometheus, which he produced and his brother directed, he had several films in "
        "development. His final project, an A&E "
        "miniseries called Coma, premieres next month. Another project, the mob thriller "
        "Potsdamer Platz, had Mickey Rourke attached.",
        "The director, whose films include Crimson Tide and Man on Fire, died on Sunday. "
        "Mickey Rourke said he was shocked.",
    )
    for title in ("Top Gun", "Prometheus", "Coma", "Potsdamer Platz", "Crimson Tide"):
        assert title not in ents
    assert ents["Mickey Rourke"][0] == "person"
    assert "A&E" in ents  # the network of "an A&E miniseries" is no title


def test_a_name_quoted_somewhere_in_the_story_is_a_title_unless_a_code_name():
    def ent(name: str) -> Entity:
        return Entity({name.lower()}, [Mention(0, 0, len(name), name, "ORG")])

    story = "He directed \"Top Gun\" in 1986.\nThey ran ``Operation Condor,'' a plan."
    assert _quoted_in_story(story, ent("Top Gun"))
    assert not _quoted_in_story(story, ent("Operation Condor"))
    assert not _quoted_in_story('Tom said "Hello" to "Top"', ent("Tom Hello"))
