"""Random sequences of story commands (ingest, re-ingest of copies and
edits, recluster with a switch of representation, batch-job writes, story
views, a run killed before its last step) keep the database sound after
every step, and lose nothing: every distinct text given is stored once."""

from __future__ import annotations

import json
import random

import pytest
from store_checks import check_store

from newsweave.stories import dedup, service
from newsweave.stories.synth import synthetic_articles

SEEDS = range(10)


def _write(path, docs, prefix: str) -> str:
    with path.open("w", encoding="utf-8") as fh:
        for i, d in enumerate(docs):
            fh.write(json.dumps({"id": f"{prefix}{i}", "documents": [d]}) + "\n")
    return str(path)


def _docs(rng: random.Random, seed: int) -> list[dict]:
    arts = synthetic_articles(
        rng.randint(3, 10), rng.randint(2, 5), seed=seed, spread_days=rng.choice([3, 40, 400])
    )
    docs = [a.to_doc() for a in arts]
    for d in docs:
        r = rng.random()
        if r < 0.1:
            d.pop("date", None)
        elif r < 0.15:
            d["date"] = "not a date"
    return docs


@pytest.mark.parametrize("seed", SEEDS)
def test_random_command_sequences_keep_the_store_sound(seed, tmp_path, monkeypatch):
    import dask.bag  # noqa: F401  (a [test] dependency: missing is a failure, not a skip)

    from newsweave.stories import ingest as ingest_mod
    from newsweave.stories.distributed import run_job
    from newsweave.stories.distributed_store import write_job

    rng = random.Random(seed)
    docs = _docs(rng, seed)
    given: set[str] = set()
    db_path = tmp_path / "s.db"
    first = rng.choice(["bucket-idf", "tfidf"])
    ops = []
    with service.open_db(db_path) as db:
        for step in range(rng.randint(4, 8)):
            op = rng.choice(["ingest", "ingest", "copies", "killed", "recluster", "batch", "view"])
            ops.append(op)
            part = [dict(d) for d in rng.sample(docs, rng.randint(1, len(docs)))]
            if op == "copies":  # the same texts under other ids, some edited
                for d in part:
                    d["id"] += "-again"
                    if rng.random() < 0.3:
                        d["text"] += " An update followed."
            path = tmp_path / f"{step}.jsonl"
            if op in ("ingest", "copies", "killed"):
                dump = _write(path, part, f"c{step}-")
                with monkeypatch.context() as m:
                    if op == "killed":  # dies after its units, before its second chance

                        def killed(self):
                            raise KeyboardInterrupt

                        m.setattr(ingest_mod._Writer, "second_chance", killed)
                    try:
                        service.ingest(db, [dump], workers=1, embedder=first if not step else None)
                    except KeyboardInterrupt:
                        assert op == "killed"
                    else:  # the kill was not reached: the step tested nothing
                        assert op != "killed", (seed, ops)
                given.update(dedup.content_hash(d["text"]) for d in part)
            elif op == "batch":
                dump = _write(path, part, f"b{step}-")
                name = db.setting("embedder") or first
                job = run_job([dump], embedder=name, scheduler="synchronous", summarize=False)
                write_job(db, job)
                given.update(dedup.content_hash(d["text"]) for d in part)
            elif op == "recluster" and given:
                service.recluster(db, embedder=rng.choice([None, "tfidf", "bucket-idf"]))
            elif op == "view" and given:
                rows = service.list_stories(db)
                story = service.get_story(
                    db, rng.choice(rows)["id"], embedder="tfidf", analyze=False
                )
                assert story.size == len(story.articles)
            assert check_store(db_path) == len(given), (seed, ops)
        stored = {r[0] for r in db.query("SELECT content_hash FROM articles")}
        assert stored == given, (seed, ops)
