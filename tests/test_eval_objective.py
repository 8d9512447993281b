"""The tuned summary objective in newsweave.summarize: concepts, weights, budget rule."""

from __future__ import annotations

from newsweave.budget import Budget, auto_budget
from newsweave.summarize import (
    Params,
    concept_weights,
    concepts,
    select,
    stem,
)


def test_stem_matches_inflections_but_keeps_short_words():
    assert stem("storms") == stem("storm") == "storm"
    assert stem("evacuated") == stem("evacuate" + "d")
    assert stem("cities") == "city"
    assert stem("bus") == "bus" and stem("was") == "was" and stem("2014") == "2014"


def test_concepts_are_content_unigrams_and_bigrams():
    got = concepts("The storm hit the coast")
    assert ("storm",) in got and ("coast",) in got
    assert ("storm", "hit") in got and ("the", "storm") in got
    assert ("the",) not in got  # stop words are no concept alone
    assert ("hit", "the") in got  # a bigram needs one content word


def test_concepts_carried_by_more_accounts_weigh_more(sample_docset):
    found = [concepts(s.text) for s in sample_docset.sentences]
    weights = concept_weights(sample_docset, found, Params())
    assert weights, "two outlets of one story share concepts"
    both = [c for c, w in weights.items() if w > 0]
    # with two accounts, single-account concepts are dropped (min_accounts=2)
    single = set().union(*found) - set(both)
    assert single
    assert min(weights.values()) >= 2 ** Params().support_power


def test_lazy_greedy_matches_eager_greedy(sample_docset):
    """The lazy heap must choose what a full re-scan would choose."""
    params = Params(redundancy=1.01)  # isolate the objective
    budget = Budget.parse("120w")
    ds = sample_docset
    found = [concepts(s.text) for s in ds.sentences]
    weights = concept_weights(ds, found, params)
    total = sum(weights.values())
    lazy = [s.sentence for s in select(ds, budget, params)]

    from newsweave.summarize import eligible

    pool, seen = [], set()
    for k, s in enumerate(ds.sentences):
        if eligible(s.text, params) and s.text not in seen:
            seen.add(s.text)
            pool.append(k)

    def value(k, covered):
        gain = sum(weights.get(c, 0.0) for c in found[k] - covered) / total
        cost = len(ds.sentences[k].text.split()) ** params.cost_power
        lead = params.lead_bonus / (1 + ds.sentences[k].index) ** params.position_decay
        return 100 * gain / cost + lead

    covered, chosen, facts, texts = set(), [], set(), []
    while pool:
        k = max(pool, key=lambda j: value(j, covered))  # noqa: B023
        pool.remove(k)
        fact = ds.alignment.fact_of[ds.sentences[k].id]
        if fact in facts or budget.total([*texts, ds.sentences[k].text]) > budget.amount:
            continue
        chosen.append(ds.sentences[k].id)
        texts.append(ds.sentences[k].text)
        facts.add(fact)
        covered |= found[k]
    assert sorted(lazy) == sorted(chosen)


def test_auto_budget_grows_with_the_number_of_articles():
    two = auto_budget(["a b c", "d e f"])
    five = auto_budget(["x y"] * 5)
    assert two == Budget(210, "words") and five == Budget(300, "words")
    assert auto_budget(["x"] * 50).amount == 400  # capped
    assert auto_budget(["x", "  "]) == Budget(180, "words")  # blank documents do not count
