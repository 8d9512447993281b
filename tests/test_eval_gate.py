"""CI quality gate: newsweave's ROUGE on a small fixed subset must not drop.

When ../shared/data is there, a few fixed clusters of the dev sets are scored
(Multi-News: F1 at the ``auto`` length; DUC 2003: recall at 100 words);
otherwise the TAC 2011 clusters copied into tests/fixtures/eval_gate.jsonl
(CC BY 2.5) are. The floors are the scores measured when they were pinned,
less a small margin for numeric noise across machines; raise them when
quality improves, never lower them to make a change pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsweave.eval.harness import Newsweave, evaluate, load_set
from newsweave.eval.peers import Lead
from newsweave.eval.rouge import RougeMode

HERE = Path(__file__).parent
DATA = HERE.parent.parent / "shared" / "data"
MARGIN = 1.0  # ROUGE points

# set file, cluster ids, cap (None = F1 at --length auto), floors {metric: measured};
# pinned with the summarize.Params defaults and the minilm embedder
GATES = {
    "multinews": (
        DATA / "multinews_val250.jsonl",
        [
            "multinews-val-000",
            "multinews-val-001",
            "multinews-val-002",
            "multinews-val-003",
            "multinews-val-004",
            "multinews-val-005",
        ],
        None,
        {"rouge1": 45.94, "rouge2": 16.19},
    ),
    "duc2003": (
        DATA / "duc2003_task2.jsonl",
        ["duc2003-d30003t", "duc2003-d30005t"],
        "100w",
        # re-pinned when the references came to be pooled and cut at 100 words
        # as in ROUGE-1.5.5 (42.09 / 13.67 with the per-reference mean, uncut)
        {"rouge1": 45.43, "rouge2": 15.56},
    ),
    "tac2011-fixture": (
        HERE / "fixtures" / "eval_gate.jsonl",
        ["tac2011-M000", "tac2011-M003", "tac2011-M007"],
        None,
        {"rouge1": 48.01, "rouge2": 20.77},
    ),
}


def _gates() -> list[str]:
    shared = [g for g in ("multinews", "duc2003") if GATES[g][0].exists()]
    return shared or ["tac2011-fixture"]


@pytest.mark.parametrize("gate", _gates())
def test_quality_does_not_drop_below_pinned_floors(gate, embedder):
    path, ids, cap, floors = GATES[gate]
    clusters = [c for c in load_set(path) if c.id in ids]
    assert [c.id for c in clusters] == ids, "gate clusters missing from the set"
    result = evaluate(clusters, [Newsweave(embedder), Lead()], RougeMode.make(cap), length="auto")
    ours, lead = result.runs
    for metric, floor in floors.items():
        got = ours.mean(metric)
        assert got >= floor - MARGIN, f"{gate} {metric}: {got:.2f} < pinned {floor:.2f}"
    if gate != "tac2011-fixture":  # on 3 Wikinews clusters Lead is too close to call
        assert ours.mean("rouge1") > lead.mean("rouge1") + 2.0
