"""Embedding backends: agreement with the reference, shapes, registry, cache."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from newsweave import embed as E
from newsweave.errors import InputError, MissingDependency

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "newsweave" / "data" / "sample"


@pytest.fixture(scope="session")
def news_sentences() -> list[str]:
    """59 real news sentences: the bundled sample story (the project's seeds)."""
    import nupunkt

    out: list[str] = []
    for path in sorted(SAMPLE_DIR.glob("*.txt")):
        out += [s.strip() for s in nupunkt.sent_tokenize(path.read_text()) if s.strip()]
    assert len(out) >= 50
    return out


@pytest.fixture(scope="session")
def minilm() -> E.Embedder:
    return E.get_embedder("minilm")


@pytest.fixture(scope="session")
def reference() -> E.Embedder:
    """sentence-transformers on the same packaged model (loaded once per run)."""
    return E.get_embedder("sentence-transformers")


def unit_rows(v: np.ndarray) -> bool:
    return bool(np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5))


# -- agreement with the reference ---------------------------------------------


def test_minilm_matches_sentence_transformers(minilm, reference, news_sentences):
    # one very long text checks truncation at 256 word pieces like the reference
    texts = news_sentences + [" ".join(news_sentences), "", "OK."]
    fast = minilm.embed(texts)
    ref = reference.embed(texts)
    cos = np.sum(fast * ref, axis=1)
    # fp32 with the tanh form of GELU: measured >= 0.99999; 0.9999 leaves margin
    assert cos.min() >= 0.9999, f"worst sentence cosine {cos.min():.6f}"
    # the similarity structure that alignment relies on is the same
    assert np.abs(fast @ fast.T - ref @ ref.T).max() < 1e-3


def test_minilm_vectors_do_not_depend_on_batch_or_threads(minilm, news_sentences, monkeypatch):
    # ``_embed`` bypasses the cache; the shared instance keeps one model loaded
    monkeypatch.setattr(minilm, "threads", 2)
    batch = minilm._embed(news_sentences)
    monkeypatch.setattr(minilm, "threads", 1)
    single = np.vstack([minilm._embed([s]) for s in news_sentences[:8]])
    assert np.sum(batch[:8] * single, axis=1).min() > 0.99999
    assert np.sum(minilm._embed(news_sentences) * batch, axis=1).min() > 0.99999


# -- shapes and normalisation -------------------------------------------------


@pytest.mark.parametrize("name", ["minilm", "tfidf"])
def test_shapes_dtype_and_norms(name, news_sentences):
    emb = E.get_embedder(name)
    v = emb.embed(news_sentences[:10])
    assert v.shape == (10, emb.dim) and v.dtype == np.float32
    assert unit_rows(v)
    assert emb.embed(news_sentences[:3] + ["", "   ", "!!!"]).shape == (6, emb.dim)
    assert unit_rows(emb.embed(["", "   ", "!!!", "the of and"]))


@pytest.mark.parametrize("name", ["minilm", "tfidf", "sentence-transformers"])
def test_empty_input(name, request):
    if name == "sentence-transformers":
        request.getfixturevalue("reference")
    emb = E.get_embedder(name)
    out = emb.embed([])
    assert out.shape == (0, emb.dim) and out.dtype == np.float32
    assert emb.embed(iter(())).shape == (0, emb.dim)


def test_rejects_a_bare_string(minilm):
    with pytest.raises(TypeError):
        minilm.embed("one sentence")
    with pytest.raises(TypeError):
        minilm.embed([b"bytes"])


def test_minilm_ranks_paraphrases_first(minilm):
    v = minilm.embed(
        [
            "Putin ordered Russian troops near Ukraine back to their bases.",
            "The Russian president told forces on the Ukrainian border to return to base.",
            "The central bank left interest rates unchanged on Thursday.",
        ]
    )
    assert v[0] @ v[1] > 0.6 > v[0] @ v[2]


def test_tfidf_is_lexical_and_deterministic():
    a, b = E.HashingEmbedder(), E.HashingEmbedder()
    texts = [
        "NATO said it saw no sign of a Russian pullback.",
        "NATO says it has seen no sign of a pullback by Russia.",
        "Shares in Tokyo fell for a third day.",
    ]
    v = a.embed(texts)
    assert np.array_equal(v, b.embed(texts))  # crc32 hashing: same in every process
    assert v[0] @ v[1] > 0.4 and abs(v[0] @ v[2]) < 0.2
    assert E.HashingEmbedder(dim=64).embed(texts).shape == (3, 64)


# -- registry -----------------------------------------------------------------


def test_default_and_env_choice(monkeypatch, minilm):
    monkeypatch.delenv(E.ENV_EMBEDDER, raising=False)
    assert E.get_embedder() is minilm
    assert E.get_embedder("MiniLM") is minilm
    monkeypatch.setenv(E.ENV_EMBEDDER, "tfidf")
    assert E.get_embedder().name == "tfidf"
    assert E.get_embedder("minilm") is minilm  # an explicit name wins


def test_available_and_unknown_names():
    names = E.available_embedders()
    assert {"minilm", "sentence-transformers", "tfidf"} <= set(names)
    assert not [n for n in names if n.startswith("test-")]  # no test's backend left behind
    with pytest.raises(InputError) as err:
        E.get_embedder("word2vec")
    msg = str(err.value)
    assert "word2vec" in msg and all(n in msg for n in names)


@pytest.mark.parametrize("name", [5, ["tfidf"], object()])
def test_a_name_that_is_not_a_string_is_an_input_error(name):
    # get_embedder(5) raised AttributeError ('int' object has no attribute 'strip')
    with pytest.raises(InputError, match=r"^embedder must be a backend name \(.*tfidf.*\) or an"):
        E.get_embedder(name)


def test_summarize_takes_an_embedder_object_or_a_name_only():
    from newsweave.pipeline import summarize

    texts = ["Storms hit the coast on Monday, officials said.", "Storms hit the coast, it said."]
    with pytest.raises(InputError, match="not int$"):  # was AttributeError: no attribute 'embed'
        summarize(texts, embedder=5)
    report = summarize(texts, embedder=E.HashingEmbedder(dim=64))
    assert report.meta["embedder"] == "tfidf"


def test_register_and_share_one_instance_across_threads(monkeypatch):
    # the registry is global: restored after the test, later tests list no test backend
    monkeypatch.setattr(E, "_FACTORIES", dict(E._FACTORIES))
    monkeypatch.setattr(E, "_INSTANCES", dict(E._INSTANCES))
    calls = []

    def factory() -> E.Embedder:
        calls.append(1)
        return E.HashingEmbedder(dim=32)

    E.register_embedder("test-hashing-32", factory)
    got: list[E.Embedder] = []
    threads = [
        threading.Thread(target=lambda: got.append(E.get_embedder("test_hashing_32")))
        for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and len({id(g) for g in got}) == 1
    assert isinstance(got[0], E.Embedder) and got[0].dim == 32
    assert "test-hashing-32" in E.available_embedders()


def test_missing_package_names_the_pip_command(monkeypatch):
    monkeypatch.setitem(sys.modules, "tokenizers", None)  # import now fails
    with pytest.raises(MissingDependency) as err:
        E.MiniLMEmbedder()
    assert "pip install" in str(err.value) and "tokenizers" in err.value.install


def test_bad_st_model_dir_is_an_input_error(monkeypatch, reference, tmp_path):
    monkeypatch.setenv(E.ENV_ST_MODEL, str(tmp_path / "no-such-model"))
    with pytest.raises(InputError, match=E.ENV_ST_MODEL):
        E.SentenceTransformerEmbedder()


# -- cache ----------------------------------------------------------------------


def test_cache_reuses_vectors(minilm, news_sentences, monkeypatch):
    minilm.clear_cache()
    first = minilm.embed(news_sentences[:20])
    seen: list[list[str]] = []
    real = minilm._embed
    monkeypatch.setattr(minilm, "_embed", lambda texts: seen.append(texts) or real(texts))
    again = minilm.embed(news_sentences[:20] + ["A new sentence.", news_sentences[0]])
    assert seen == [["A new sentence."]]  # only the unseen text reaches the model
    assert np.array_equal(again[:20], first) and np.array_equal(again[21], first[0])
    assert minilm.cache_info()["hits"] == 21


def test_duplicates_in_one_call_are_embedded_once(monkeypatch):
    emb = E.HashingEmbedder(cache_size=0)
    seen: list[list[str]] = []
    real = emb._embed
    monkeypatch.setattr(emb, "_embed", lambda texts: seen.append(texts) or real(texts))
    v = emb.embed(["same words", "other words", "same words"])
    assert seen == [["same words", "other words"]] and np.array_equal(v[0], v[2])


def test_cache_is_bounded():
    emb = E.HashingEmbedder(cache_size=3)
    emb.embed(["a", "b", "c", "d", "e"])
    assert emb.cache_info()["size"] == 3
    emb.embed(["e"])
    assert emb.cache_info()["hits"] == 1


def test_tfidf_features_read_combining_accents_as_the_composed_letters():
    import unicodedata

    from newsweave.summarize import concepts

    composed = "Floods hit Zürich and Genève on Monday, officials in Zürich said."
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert E.HashingEmbedder.features(decomposed) == E.HashingEmbedder.features(composed)
    assert "w:zürich" in E.HashingEmbedder.features(decomposed)
    assert concepts(decomposed) == concepts(composed)
