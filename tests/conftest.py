"""Shared fixtures: models and the sample story load once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

# The suite runs with newsweave's defaults whatever the user's shell sets:
# NEWSWEAVE_DB, _LENGTH, _EMBEDDER... changed what the commands under test did
# (`serve` tests failed on a $NEWSWEAVE_DB that does not exist). Tests that
# need one set it with monkeypatch.setenv.
for _name in [n for n in os.environ if n.startswith("NEWSWEAVE_")]:
    del os.environ[_name]

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLE_DIR = ROOT / "newsweave" / "data" / "sample"


@pytest.fixture(scope="session")
def embedder():
    """The default sentence embedder, loaded once for the whole run."""
    from newsweave.embed import get_embedder

    return get_embedder()


@pytest.fixture(scope="session")
def sample_cluster():
    from newsweave.ingest import load_inputs

    (cluster,) = load_inputs([str(SAMPLE_DIR)])
    return cluster


@pytest.fixture(scope="session")
def sample_docset(sample_cluster, embedder):
    from newsweave.pipeline import prepare

    return prepare(sample_cluster.articles, embedder=embedder)


@pytest.fixture(scope="session")
def sample_report(sample_docset):
    from newsweave.pipeline import summarize

    return summarize(sample_docset, length="150w")


# --- cross-source analysis (newsweave.analysis) -----------------------------

GOLD_DIR = ROOT / "tests" / "gold"


@pytest.fixture(scope="session")
def sample_analysis(sample_docset):
    """The cross-source analysis of the bundled sample story, computed once."""
    from newsweave.analysis import analyze

    return analyze(sample_docset)


@pytest.fixture(scope="session")
def analysis_prepare(embedder):
    """``prepare`` bound to the session's embedder (for the analysis gold sets)."""
    from newsweave.pipeline import prepare

    return lambda articles: prepare(articles, embedder=embedder)


@pytest.fixture(scope="session")
def analysis_scores(analysis_prepare):
    """Scores of the analysis on every gold file, by file stem, computed once."""
    from newsweave.analysis.evaluate import evaluate

    names = ("synthetic", "synthetic_heldout", "seed", "tac2011")
    return {n: evaluate([GOLD_DIR / f"{n}.json"], analysis_prepare) for n in names}


@pytest.fixture
def sample_story_db(tmp_path) -> str:
    """A story database (path) holding the bundled sample story, ingested."""
    from newsweave.cli import SAMPLE_DIR
    from newsweave.stories import service

    path = str(tmp_path / "news.db")
    with service.open_db(path) as db:
        service.ingest(db, [str(SAMPLE_DIR)])
    return path
