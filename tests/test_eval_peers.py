"""Peer summarisers: real sumy/lexrank code under one budget, Lead, Random, Oracle."""

from __future__ import annotations

import pytest

from newsweave.budget import Budget
from newsweave.eval.peers import (
    PEERS,
    EvalCluster,
    Lead,
    Oracle,
    RandomPeer,
    SumyTokenizer,
    fill,
    split_document,
)

DOC_A = (
    "Heavy rain flooded the river town of Arden on Monday. "
    "Rescue teams evacuated more than 300 residents from low-lying streets. "
    "The mayor said the water level was the highest in forty years. "
    "Schools across the district stayed closed."
)
DOC_B = (
    "Floods forced hundreds of people from their homes in Arden. "
    "Officials said 300 residents were evacuated by rescue teams. "
    "Forecasters expect more rain later this week. "
    "The river is expected to crest on Wednesday."
)
CLUSTER = EvalCluster(
    "c1",
    [DOC_A, DOC_B],
    ["Floods in Arden forced rescue teams to evacuate 300 residents on Monday."],
)


def test_fill_respects_word_budget_and_overflow():
    ranked = ["one two three", "four five six seven", "eight nine"]
    b = Budget.parse("6w")
    assert fill(ranked, b, overflow=False) == [0, 2]
    assert fill(ranked, b, overflow=True) == [0, 1]
    assert fill(ranked, Budget.parse("2s"), overflow=True) == [0, 1]


def test_tokenizer_splits_sentences_and_words():
    tok = SumyTokenizer()
    assert len(tok.to_sentences(DOC_A)) == 4
    assert tok.to_words("Mr. O'Neil paid $300 twice.") == ("Mr", "O'Neil", "paid", "twice")


@pytest.mark.parametrize("name", list(PEERS))
def test_every_peer_returns_source_sentences_within_budget(name):
    peer = PEERS[name]()
    peer.setup()
    budget = Budget.parse("25w")
    out = peer.summarize(CLUSTER, budget, overflow=False)
    assert out, name
    sources = set(split_document(DOC_A)) | set(split_document(DOC_B))
    assert all(s in sources for s in out), out
    assert budget.total(out) <= 25


def test_lead_takes_first_sentences_round_robin():
    out = Lead().summarize(CLUSTER, Budget.parse("2s"), overflow=False)
    assert out == [split_document(DOC_A)[0], split_document(DOC_B)[0]]


def test_random_is_repeatable_per_cluster():
    b = Budget.parse("20w")
    assert RandomPeer().summarize(CLUSTER, b, False) == RandomPeer().summarize(CLUSTER, b, False)


def test_oracle_beats_lead_on_the_references():
    from newsweave.eval.rouge import RougeMode, score

    mode = RougeMode.make(None)
    oracle = Oracle("f1").summarize(CLUSTER, Budget.parse("40w"), overflow=False)
    lead = Lead().summarize(CLUSTER, Budget.parse("40w"), overflow=False)
    assert (
        score(oracle, CLUSTER.references, mode)["rouge2"]
        >= score(lead, CLUSTER.references, mode)["rouge2"]
    )
    assert Oracle.reads_references
