"""Baseline summarisers run side by side with newsweave.

Every peer gets the same input (the cluster's article texts as given) and the
same length budget. sumy's summarisers (LexRank, TextRank, LSA, Luhn, KL-Sum,
SumBasic) run their real code on the cluster as one concatenated text, as
users call them; only the sentence count is replaced by a callable that takes
the best-rated sentences until the budget is filled, which sumy supports. NLTK
punkt data cannot be downloaded here, so sumy gets a tokenizer object built on
nupunkt and a regex word splitter. The ``lexrank`` package, Lead (round-robin
first sentences), Random and the greedy extractive oracle (the ceiling, which
reads the references) complete the set.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..budget import Budget
from ..errors import require
from .rouge import pooled

_SUMY_INSTALL = "pip install 'newsweave[eval]'"
_SUMY_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['-])*", re.UNICODE)


@dataclass
class EvalCluster:
    """One cluster of an evaluation set: document texts and references."""

    id: str
    documents: list[str]
    references: list[str]
    articles: list = field(default_factory=list)  # newsweave Articles (for newsweave)
    warnings: list[str] = field(default_factory=list)  # lines or documents skipped on reading


def split_document(text: str) -> list[str]:
    """Sentences of one document (nupunkt per non-empty line), as for references."""
    from .rouge import split_sentences

    return split_sentences(text)


def fill(ranked: Sequence[str], budget: Budget, overflow: bool) -> list[int]:
    """Indices of ``ranked`` (best first) taken greedily until ``budget`` is full.

    A sentence that does not fit is skipped; with ``overflow`` the first one that
    does not fit is taken and selection stops (the output is cut at the cap).
    """
    chosen: list[int] = []
    texts: list[str] = []
    for k, text in enumerate(ranked):
        if not text.strip():
            continue
        total = budget.total([*texts, text])
        if total > budget.amount:
            if overflow and budget.unit != "sentences" and budget.total(texts) < budget.amount:
                chosen.append(k)
                break
            continue
        chosen.append(k)
        texts.append(text)
        if total >= budget.amount:
            break
    return chosen


class System:
    """A summariser under evaluation. ``setup`` loads models (not timed)."""

    name = "system"
    reads_references = False

    def setup(self) -> None:  # pragma: no cover - trivial default
        return None

    def summarize(self, cluster: EvalCluster, budget: Budget, overflow: bool) -> list[str]:
        raise NotImplementedError


class SumyTokenizer:
    """sumy tokenizer interface (``to_sentences``/``to_words``) over nupunkt."""

    language = "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        import nupunkt

        return tuple(s.strip() for s in nupunkt.sent_tokenize(paragraph) if s.strip())

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(_SUMY_WORD.findall(sentence))


_SUMY = {
    "LexRank": "sumy.summarizers.lex_rank:LexRankSummarizer",
    "TextRank": "sumy.summarizers.text_rank:TextRankSummarizer",
    "LSA": "sumy.summarizers.lsa:LsaSummarizer",
    "Luhn": "sumy.summarizers.luhn:LuhnSummarizer",
    "KL-Sum": "sumy.summarizers.kl:KLSummarizer",
    "SumBasic": "sumy.summarizers.sum_basic:SumBasicSummarizer",
}


class SumyPeer(System):
    """One of sumy's summarisers, fed the cluster as one text."""

    def __init__(self, algorithm: str):
        if algorithm not in _SUMY:
            raise ValueError(f"unknown sumy algorithm {algorithm!r}")
        self.algorithm = algorithm
        self.name = f"sumy {algorithm}"
        self._summarizer = None

    def setup(self) -> None:
        import importlib

        require("sumy", "sumy", _SUMY_INSTALL)
        from sumy.nlp.stemmers import Stemmer
        from sumy.utils import get_stop_words

        module, attr = _SUMY[self.algorithm].split(":")
        cls = getattr(importlib.import_module(module), attr)
        summarizer = cls(Stemmer("english"))
        summarizer.stop_words = get_stop_words("english")
        self._summarizer = summarizer

    def summarize(self, cluster: EvalCluster, budget: Budget, overflow: bool) -> list[str]:
        from sumy.parsers.plaintext import PlaintextParser

        if self._summarizer is None:
            self.setup()
        text = "\n\n".join(d.strip() for d in cluster.documents if d.strip())
        parser = PlaintextParser.from_string(text, SumyTokenizer())

        def count(infos):  # sumy passes SentenceInfo tuples, best rated first
            infos = list(infos)
            keep = fill([str(i.sentence) for i in infos], budget, overflow)
            return [infos[k] for k in keep]

        return [str(s) for s in self._summarizer(parser.document, count)]


class LexRankPackage(System):
    """The ``lexrank`` package (IDF fitted on the cluster's documents)."""

    name = "lexrank (pkg)"

    def __init__(self, threshold: float = 0.1):
        self.threshold = threshold

    def setup(self) -> None:
        require("lexrank", "lexrank", _SUMY_INSTALL)

    def summarize(self, cluster: EvalCluster, budget: Budget, overflow: bool) -> list[str]:
        from lexrank import STOPWORDS, LexRank

        docs = [split_document(d) for d in cluster.documents]
        sentences = [s for d in docs for s in d]
        if not sentences:
            return []
        try:
            lxr = LexRank([d for d in docs if d], stopwords=STOPWORDS["en"])
            scores = lxr.rank_sentences(sentences, threshold=self.threshold)
        except ValueError:  # "documents are not informative"
            scores = [0.0] * len(sentences)
        order = sorted(range(len(sentences)), key=lambda k: (-float(scores[k]), k))
        keep = fill([sentences[k] for k in order], budget, overflow)
        return [sentences[k] for k in sorted(order[i] for i in keep)]


class Lead(System):
    """First sentences of each document in turn (round robin)."""

    name = "Lead"

    def summarize(self, cluster: EvalCluster, budget: Budget, overflow: bool) -> list[str]:
        docs = [split_document(d) for d in cluster.documents]
        ranked: list[str] = []
        for depth in range(max((len(d) for d in docs), default=0)):
            ranked.extend(d[depth] for d in docs if depth < len(d))
        return [ranked[k] for k in fill(ranked, budget, overflow)]


class RandomPeer(System):
    """Random sentences (seeded by the cluster id, so runs repeat)."""

    name = "Random"

    def summarize(self, cluster: EvalCluster, budget: Budget, overflow: bool) -> list[str]:
        import random

        sentences = [s for d in cluster.documents for s in split_document(d)]
        rng = random.Random(zlib.crc32(cluster.id.encode("utf-8")))
        order = list(range(len(sentences)))
        rng.shuffle(order)
        keep = fill([sentences[k] for k in order], budget, overflow)
        return [sentences[k] for k in sorted(order[i] for i in keep)]


class Oracle(System):
    """Greedy extractive oracle: adds the sentence that most raises R1+R2.

    It reads the references, so it is a ceiling for extractive systems, not a
    peer. In F1 mode it stops when no sentence improves the score; in recall
    mode it fills the cap.
    """

    name = "Oracle (greedy)"
    reads_references = True

    def __init__(self, kind: str = "f1", max_sentences: int = 40):
        self.kind = kind
        self.max_sentences = max_sentences

    def summarize(self, cluster: EvalCluster, budget: Budget, overflow: bool) -> list[str]:
        from rouge_score import tokenizers

        tok = tokenizers.DefaultTokenizer(use_stemmer=True)
        sentences = [s for d in cluster.documents for s in split_document(d)]
        sentences = list(dict.fromkeys(sentences))
        recall = self.kind == "recall"
        refs = [
            (_grams(tok.tokenize(r), 1), _grams(tok.tokenize(r), 2)) for r in cluster.references
        ]
        if not sentences or not refs:
            return []
        toks = [tok.tokenize(s) for s in sentences]
        chosen: list[int] = []
        best = 0.0
        while len(chosen) < self.max_sentences:
            used = budget.total([sentences[k] for k in chosen])
            if recall and used >= budget.amount:
                break
            pick, pick_score = -1, best
            for k in range(len(sentences)):
                if k in chosen or not toks[k]:
                    continue
                cand = [*chosen, k]
                if not recall and budget.unit == "sentences" and len(cand) > budget.amount:
                    break
                s = self._score(cand, sentences, toks, refs, budget, recall)
                if s > pick_score + 1e-12:
                    pick, pick_score = k, s
            if pick < 0:
                break
            chosen.append(pick)
            best = pick_score
        return [sentences[k] for k in chosen]

    @staticmethod
    def _score(cand, sentences, toks, refs, budget: Budget, recall: bool) -> float:
        if recall and budget.unit == "words":
            words: list[str] = []
            for k in cand:
                words.extend(sentences[k].split())
            from rouge_score import tokenizers

            tokens = tokenizers.DefaultTokenizer(use_stemmer=True).tokenize(
                " ".join(words[: budget.amount])
            )
        else:
            tokens = [t for k in cand for t in toks[k]]
        kind = "recall" if recall else "f1"
        total = 0.0
        for n, pred in ((1, _grams(tokens, 1)), (2, _grams(tokens, 2))):
            # counts pooled over the references, as the harness scores (ROUGE-1.5.5 -f A)
            hits = sum(sum((pred & ref[n - 1]).values()) for ref in refs)
            ref_count = sum(sum(ref[n - 1].values()) for ref in refs)
            total += pooled(hits, ref_count, len(refs) * sum(pred.values()), kind)
        return total


def _grams(tokens: Sequence[str], n: int) -> Counter:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


PEERS: dict[str, Callable[[], System]] = {
    "lexrank": lambda: SumyPeer("LexRank"),
    "textrank": lambda: SumyPeer("TextRank"),
    "lsa": lambda: SumyPeer("LSA"),
    "luhn": lambda: SumyPeer("Luhn"),
    "kl": lambda: SumyPeer("KL-Sum"),
    "sumbasic": lambda: SumyPeer("SumBasic"),
    "lexrank-pkg": LexRankPackage,
    "lead": Lead,
    "random": RandomPeer,
}
