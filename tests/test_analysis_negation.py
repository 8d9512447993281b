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
