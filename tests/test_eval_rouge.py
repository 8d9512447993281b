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


def test_several_references_are_averaged_with_combine_mean():
    mode = RougeMode.make(None, "mean")
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


def test_several_references_pool_counts_like_rouge_155():
    # ROUGE-1.5.5 -f A sums hits and counts over the references. Output "cat dog";
    # references "cat dog red sun" (4 unigrams, 3 bigrams) and "cat dog" (2, 1).
    refs = ["cat dog red sun", "cat dog"]
    recall = score(["cat dog"], refs, RougeMode.make("100w"))
    assert recall["rouge1"] == pytest.approx(100 * 4 / 6)  # mean of recalls would be 75
    assert recall["rouge2"] == pytest.approx(100 * 2 / 4)  # mean would be 66.7
    assert recall["rougeLsum"] == pytest.approx(100 * 4 / 6)
    f1 = score(["cat dog"], refs, RougeMode.make(None))
    # precision = 4 hits / (2 references x 2 output unigrams) = 1, recall 4/6
    assert f1["rouge1"] == pytest.approx(100 * 2 * (4 / 6) / (1 + 4 / 6))
    assert f1["rouge2"] == pytest.approx(100 * 2 * 0.5 / 1.5)


def test_pooling_equals_mean_with_one_reference():
    out = ["The storms hit coasts on Monday.", "Power was lost."]
    for cap in (None, "5w"):
        assert score(out, [REF], RougeMode.make(cap)) == pytest.approx(
            score(out, [REF], RougeMode.make(cap, "mean"))
        )


def test_recall_at_cap_cuts_the_references_too():
    # ROUGE-1.5.5 -l 2 reads only the first 2 words of every model summary
    got = score(["cat dog"], ["cat dog red sun", "cat dog"], RougeMode.make("2w"))
    assert got == {"rouge1": 100.0, "rouge2": 100.0, "rougeLsum": 100.0}


def test_unknown_combine_is_an_input_error():
    from newsweave.errors import InputError

    with pytest.raises(InputError, match="pool or mean"):
        RougeMode.make(None, "max")
