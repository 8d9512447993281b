"""ROUGE scoring: modes, caps, several references, bootstrap intervals."""

from __future__ import annotations

import pytest

from newsweave.budget import Budget
from newsweave.eval.rouge import (
    RougeMode,
    bootstrap_ci,
    prepare_references,
    score,
    split_sentences,
    truncate_sentences,
)

REF = "The storm hit the coast on Monday. Thousands lost power."


def test_identical_output_scores_100():
    got = score(split_sentences(REF), [REF], RougeMode.make(None))
    assert got["rouge1"] == pytest.approx(100.0)
    assert got["rouge2"] == pytest.approx(100.0)
    assert got["rougeLsum"] == pytest.approx(100.0)


def test_unrelated_output_scores_zero():
    got = score(["Quantum chromodynamics explains gluons."], [REF], RougeMode.make(None))
    assert got["rouge1"] == 0.0 and got["rouge2"] == 0.0


def test_porter_stemming_matches_inflections():
    got = score(["The storms hitting coasts."], ["The storm hit the coast."], RougeMode.make(None))
    # "storms"->"storm", "coasts"->"coast" match after stemming
    assert got["rouge1"] > 60.0


def test_recall_at_cap_ignores_words_past_the_cap():
    mode = RougeMode.make("5w")
    short = score(["filler words only here now"], [REF], mode)
    padded = score(["filler words only here now", *split_sentences(REF)], [REF], mode)
    assert short == padded
    assert mode.kind == "recall" and str(mode) == "recall@5w"


def test_recall_mode_is_not_precision_sensitive():
    mode = RougeMode.make("100w")
    base = score(["The storm hit the coast on Monday."], [REF], mode)
    more = score(["The storm hit the coast on Monday.", "Unrelated words galore."], [REF], mode)
    assert more["rouge1"] == pytest.approx(base["rouge1"])
    f1 = RougeMode.make(None)
    assert (
        score(["The storm hit the coast on Monday.", "Unrelated words galore."], [REF], f1)[
            "rouge1"
        ]
        < score(["The storm hit the coast on Monday."], [REF], f1)["rouge1"]
    )


def test_several_references_are_averaged():
    mode = RougeMode.make(None)
    out = split_sentences(REF)
    one = score(out, [REF], mode)["rouge1"]
    other = score(out, ["Completely different reference text."], mode)["rouge1"]
    both = score(out, [REF, "Completely different reference text."], mode)["rouge1"]
    assert both == pytest.approx((one + other) / 2)


def test_truncate_words_and_bytes_keep_sentence_boundaries():
    assert truncate_sentences(["a b c", "d e f"], Budget.parse("4w")) == ["a b c", "d"]
    cut = truncate_sentences(["abcd", "efgh"], Budget.parse("7b"))
    assert len(" ".join(cut).encode()) <= 7 and cut[0] == "abcd"


def test_references_are_split_into_lines_for_lsum():
    (ref,) = prepare_references([REF])
    assert ref.split("\n") == ["The storm hit the coast on Monday.", "Thousands lost power."]


def test_bootstrap_interval_contains_mean_and_narrows_with_data():
    vals = [10.0, 20.0, 30.0, 40.0] * 5
    lo, hi = bootstrap_ci(vals, samples=500)
    assert lo < 25.0 < hi
    lo2, hi2 = bootstrap_ci(vals * 10, samples=500)
    assert hi2 - lo2 < hi - lo
    assert bootstrap_ci([7.0]) == (7.0, 7.0)


def test_no_reference_is_an_error():
    with pytest.raises(ValueError):
        score(["x"], [""], RougeMode.make(None))


def test_cap_auto_is_refused_without_suggesting_auto():
    """``--cap auto`` said "invalid length 'auto': ... e.g. 150w, 5s, 665b, or
    auto": refused and suggested in one line."""
    from newsweave.errors import InputError

    with pytest.raises(InputError, match="a cap is a fixed length") as err:
        RougeMode.make("auto")
    assert "or auto" not in str(err.value)
    assert str(RougeMode.make("100w")) == "recall@100w"
