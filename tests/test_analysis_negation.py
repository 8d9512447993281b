"""Negation conflicts on sentence pairs met in real news (Multi-News validation)."""

from __future__ import annotations

import pytest

from newsweave.analysis.negation import negation
from newsweave.analysis.nlp import get_nlp


@pytest.fixture(scope="module")
def nlp():
    return get_nlp()


def _neg(nlp, a: str, b: str):
    return negation(nlp(a), nlp(b))


@pytest.mark.parametrize(
    ("a", "b", "want"),
    [
        ("Russia has withdrawn its troops.", "Russia has not withdrawn its troops.", False),
        ("The regulator approved the vaccine.", "The regulator has not approved it.", False),
        ("He did not resign on Monday.", "He resigned on Monday.", True),
        ("No group has claimed the attack.", "Islamic State has claimed the attack.", True),
    ],
)
def test_a_verb_asserted_and_denied_is_flagged(nlp, a, b, want):
    got = _neg(nlp, a, b)
    assert got is not None
    assert got[1] is want and got[2] is not want


def test_ruling_nothing_out_is_not_ruling_out(nlp):
    # multinews-val-209 (MH370): both sides say nothing is ruled out
    a = "Investigators have not ruled out technical problems."
    b = "Investigators have ruled nothing out, including mechanical failure or hijacking."
    assert _neg(nlp, a, b) is None
    assert _neg(nlp, "Police found no weapons.", "Police found none.") is None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (  # multinews-val-033: "must have belonged" claims nothing either way
            "It didn't belong to the largest dinosaur ever discovered, the study said.",
            "It is the largest dinosaur foot ever found, which must have belonged to one "
            "of the largest land animals ever, a researcher said.",
        ),
        (  # multinews-val-114: a duty, not a denial of the past finding
            "Polar bears were not considered to be in danger of extinction in 2008.",
            "The agency must explain why polar bears should be considered threatened.",
        ),
    ],
)
def test_a_verb_under_must_or_should_is_no_claim(nlp, a, b):
    assert _neg(nlp, a, b) is None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (  # multinews-val-196: two wishes of one man
            "He says he wanted to check to make sure she was okay.",
            "He remembered going back, then deciding he didn't want to stop and talk to her.",
        ),
        (  # multinews-val-205: trying to make sense, not trying to be funny
            "From the moment that Beatty tried to make sense of what had happened, "
            "the crowd laughed.",
            "I wasn't trying to be funny, Beatty said, laughing nervously.",
        ),
    ],
)
def test_pronouns_doing_two_different_things_are_no_conflict(nlp, a, b):
    assert _neg(nlp, a, b) is None


def test_pronouns_denying_the_same_thing_still_conflict(nlp):
    assert _neg(nlp, "She did not resign on Monday.", "She resigned from the cabinet.")
    assert _neg(nlp, "He wanted to leave the party.", "He did not want to leave.")
