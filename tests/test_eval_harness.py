"""The evaluation runner: same budget for every system, scores, timings, outputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsweave.eval.harness import Newsweave, budget_for, evaluate, load_set, make_systems
from newsweave.eval.peers import Lead, Oracle, RandomPeer
from newsweave.eval.rouge import METRICS, RougeMode

FIXTURE = Path(__file__).parent / "fixtures" / "eval_gate.jsonl"


@pytest.fixture(scope="module")
def gate_clusters():
    return load_set(FIXTURE, limit=1)


def test_load_set_reads_documents_and_references(gate_clusters):
    (c,) = gate_clusters
    assert c.id == "tac2011-M000"
    assert len(c.documents) == 10 and len(c.articles) == 10
    assert len(c.references) == 3


def test_load_set_errors_name_the_input(tmp_path):
    from newsweave.errors import InputError

    with pytest.raises(InputError, match="no such file"):
        load_set(tmp_path / "missing.jsonl")
    bad = tmp_path / "norefs.jsonl"
    bad.write_text(json.dumps({"id": "x", "documents": [{"text": "A sentence here."}]}) + "\n")
    with pytest.raises(InputError, match="no references"):
        load_set(bad)


def test_load_set_keeps_the_warnings_of_skipped_lines_and_documents(tmp_path):
    good = FIXTURE.read_text(encoding="utf-8").splitlines()[0]
    cluster = json.loads(good)
    french = "Le président de la République a annoncé une série de mesures pour les agriculteurs. "
    cluster["documents"].append({"id": "fr", "text": french * 4})
    cluster["id"] = "tac2011-M000-fr"
    path = tmp_path / "set.jsonl"
    path.write_text(good + "\n{broken\n" + json.dumps(cluster) + "\n", encoding="utf-8")
    clusters = load_set(path)
    assert len(clusters) == 2 and len(clusters[1].articles) == len(clusters[0].articles)
    warnings = [w for c in clusters for w in c.warnings]
    assert any(w.startswith(f"skipped {path}:2: not valid JSON") for w in warnings)
    assert any(f"{path}:3#" in w and "not to be English" in w for w in warnings)


@pytest.mark.parametrize("refs", [["   "], ["A reference.", ""]])
def test_load_set_rejects_empty_references(tmp_path, refs):
    from newsweave.errors import InputError

    bad = tmp_path / "blankref.jsonl"
    doc = {"text": "A sentence here."}
    bad.write_text(json.dumps({"id": "x", "documents": [doc], "references": refs}) + "\n")
    with pytest.raises(InputError, match="cluster x: reference [12] is empty"):
        load_set(bad)


def test_load_set_rejects_a_repeated_cluster_id(tmp_path):
    from newsweave.errors import InputError

    good = FIXTURE.read_text(encoding="utf-8").splitlines()[0]
    path = tmp_path / "dup.jsonl"
    path.write_text(good + "\n" + good + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="cluster id tac2011-M000 appears more than once"):
        load_set(path)


@pytest.mark.parametrize("ref", ["...", "Бурята ударила по побережью."])
def test_load_set_rejects_a_reference_without_a_countable_word(tmp_path, ref):
    from newsweave.errors import InputError

    bad = tmp_path / "wordless.jsonl"
    doc = {"text": "A sentence here."}
    line = {"id": "x", "documents": [doc], "references": ["A reference.", ref]}
    bad.write_text(json.dumps(line) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="cluster x: reference 2 has no word ROUGE can count"):
        load_set(bad)


def test_budget_is_the_cap_in_recall_mode(gate_clusters):
    (c,) = gate_clusters
    assert str(budget_for(c, RougeMode.make("100w"), "auto")) == "100w"
    assert str(budget_for(c, RougeMode.make(None), "250w")) == "250w"
    auto = budget_for(c, RougeMode.make(None), "auto")
    assert auto.unit == "words" and 100 <= auto.amount <= 400


def test_evaluate_scores_every_system_on_every_cluster(gate_clusters, embedder):
    systems = [Newsweave(embedder), Lead(), RandomPeer(), Oracle("recall")]
    ticks = []
    result = evaluate(
        gate_clusters, systems, RougeMode.make("100w"), set_name="gate", progress=ticks.append
    )
    assert ticks == [1]
    assert [r.name for r in result.runs] == ["newsweave", "Lead", "Random", "Oracle (greedy)"]
    assert len(result.rows) == 4
    for run in result.runs:
        assert len(run.scores) == 1 and run.seconds[0] >= 0
        for m in METRICS:
            assert 0.0 <= run.mean(m) <= 100.0
    by = {r.name: r for r in result.runs}
    # the oracle reads the references: it is the ceiling
    assert by["Oracle (greedy)"].mean("rouge2") >= by["Random"].mean("rouge2")
    assert by["newsweave"].mean("rouge1") > by["Random"].mean("rouge1")
    row = result.rows[0]
    assert row["budget"] == "100w" and row["summary"] and row["cluster"] == "tac2011-M000"


def test_a_failing_system_is_counted_not_fatal(gate_clusters):
    class Broken(Lead):
        name = "broken"

        def summarize(self, cluster, budget, overflow):
            raise RuntimeError("boom")

    result = evaluate(gate_clusters, [Broken()], RougeMode.make(None), length="100w")
    assert result.runs[0].errors == 1
    assert result.rows[0]["error"].startswith("RuntimeError")
    assert result.runs[0].mean("rouge1") == 0.0


def test_make_systems_rejects_unknown_peers():
    from newsweave.errors import InputError

    names = [s.name for s in make_systems(["lead"], True, RougeMode.make(None), "tfidf")]
    assert names == ["newsweave", "Lead", "Oracle (greedy)"]
    with pytest.raises(InputError, match="unknown peer"):
        make_systems(["nope"], False, RougeMode.make(None), None)
