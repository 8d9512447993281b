import numpy as np

from newsweave.align import DEFAULT_LINK, _candidate_pairs, accounts, align
from newsweave.records import Article, Sentence


def _sent(aid, i, text):
    return Sentence(id=f"{aid}#{i}", article_id=aid, index=i, start=0, end=len(text), text=text)


def _unit(*rows):
    m = np.array(rows, dtype=np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def test_groups_across_articles_one_sentence_per_article():
    arts = [Article("a", "x"), Article("b", "y"), Article("c", "z")]
    sents = [_sent("a", 0, "A0"), _sent("a", 1, "A1"), _sent("b", 0, "B0"), _sent("c", 0, "C0")]
    # A0, A1 and B0 point the same way; C0 elsewhere
    emb = _unit([1, 0, 0], [1, 0.01, 0], [1, 0.02, 0], [0, 0, 1])
    al = align(arts, sents, emb)
    facts_with_b = [f for f in al.facts if "b#0" in f.sentences]
    assert len(facts_with_b) == 1
    fact = facts_with_b[0]
    # never two sentences of one article in a fact
    assert sorted(fact.sources) == ["a", "b"] and len(fact.sentences) == 2
    assert al.fact_of["c#0"] != fact.id
    # every sentence belongs to exactly one fact
    assert sorted(al.fact_of) == sorted(s.id for s in sents)
    assert sum(len(f.sentences) for f in al.facts) == len(sents)


def test_complete_linkage_stops_chaining():
    arts = [Article(x, x) for x in "abc"]
    sents = [_sent("a", 0, "A"), _sent("b", 0, "B"), _sent("c", 0, "C")]
    # A~B and B~C are close, A and C are not: no single fact with all three
    emb = _unit([1, 0], [np.cos(0.6), np.sin(0.6)], [np.cos(1.2), np.sin(1.2)])
    al = align(arts, sents, emb, link=0.8, floor=0.6)
    assert max(len(f.sentences) for f in al.facts) == 2


def test_near_duplicates_count_as_one_account():
    arts = [Article("a", "x"), Article("b", "x", duplicate_of="a"), Article("c", "y")]
    assert accounts(arts) == {"a": "a", "b": "a", "c": "c"}
    sents = [_sent("a", 0, "S"), _sent("b", 0, "S"), _sent("c", 0, "S")]
    emb = _unit([1, 0], [1, 0], [1, 0.001])
    al = align(arts, sents, emb)
    (fact,) = al.facts
    assert len(fact.sources) == 3 and fact.accounts == 2


def test_candidate_pairs_are_the_cross_article_pairs_above_the_link():
    from newsweave.align import _candidate_pairs

    rng = np.random.default_rng(5)
    sents = [_sent("abc"[k % 3], k, f"S{k}") for k in range(40)]
    emb = _unit(*(rng.normal(size=4) + 2 for _ in sents))
    sims = emb @ emb.T
    want = sorted(
        (float(sims[i, j]), i, j)
        for i in range(40)
        for j in range(i + 1, 40)
        if sims[i, j] >= 0.9 and sents[i].article_id != sents[j].article_id
    )
    got = _candidate_pairs(sents, emb, 0.9, block=7)  # blocks cut across the pairs
    assert got and sorted(got) == want
    assert got == sorted(got, key=lambda p: (-p[0], p[1], p[2]))


def test_an_article_repeating_one_line_thousands_of_times_aligns_quickly():
    """6,000 copies of one sentence in one article made 18 million
    same-article pairs, each looked at in Python (minutes and gigabytes
    for a story under the size limit). What was slow is checked, not a time:
    only the 6,000 pairs across the two articles reach the Python loop."""
    arts = [Article("a", "x"), Article("b", "y")]
    sents = [_sent("a", i, "The man said yes.") for i in range(6000)] + [_sent("b", 0, "Yes.")]
    emb = _unit(*([[1.0, 0.0]] * 6000 + [[1.0, 0.05]]))
    pairs = _candidate_pairs(sents, emb, DEFAULT_LINK)
    assert sorted((i, j) for _, i, j in pairs) == [(i, 6000) for i in range(6000)]
    al = align(arts, sents, emb)
    assert len(al.facts) == 6000  # b#0 joins one of them; a's copies never merge
    assert {len(f.sources) for f in al.facts} == {1, 2}
