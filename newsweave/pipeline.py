"""Run the stages once and keep their products.

``prepare`` takes articles through clean → segment → embed → align and
returns a :class:`DocSet`; the summary (:mod:`newsweave.summarize`) and the
cross-source analysis both read it, so nothing is computed twice.

The result is a function of the *set* of articles: sentences are segmented,
embedded and aligned in the canonical order of their articles
(:mod:`newsweave.canonical`), and every later stage breaks its ties by that
order (``DocSet.rank``). ``DocSet.articles`` keeps the order given, which
only numbers the sources.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

import numpy as np

from . import align as _align
from . import clean, dedup, segment
from .budget import Budget, is_auto, resolve
from .canonical import canonical_order
from .decode import MAX_STORY_CHARS
from .embed import Embedder, get_embedder
from .errors import InputError
from .formats import check_metadata, check_no_nul, check_unicode
from .records import Article, Cluster, Report, Sentence
from .summarize import Params, eligible, select


@dataclass
class DocSet:
    """Articles of one story with their sentences, embeddings and facts.

    ``articles`` are in the order given (it numbers the sources);
    ``sentences`` (and the rows of ``embeddings``) follow the canonical order
    of the articles, each article's in reading order; ``rank`` maps an
    article id to its position in the canonical order.
    """

    articles: list[Article]
    sentences: list[Sentence]
    embeddings: np.ndarray
    alignment: _align.Alignment
    duplicate_groups: list[list[str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    embedder: str = ""

    def __post_init__(self) -> None:
        self._by_id = {s.id: s for s in self.sentences}
        self.rank = {a.id: r for r, a in enumerate(canonical_order(self.articles))}

    def sentence(self, sid: str) -> Sentence:
        return self._by_id[sid]

    def sentences_by_id(self, ids: Iterable[str]) -> list[Sentence]:
        return [self._by_id[i] for i in ids]

    def accounts_with_text(self) -> list[str]:
        """The independent accounts that have sentences, in the order of the
        articles: an article cleaning left empty (a page of site notices)
        reports nothing, so it is not an account of the story."""
        with_text = {self.alignment.account_of[s.article_id] for s in self.sentences}
        ordered = dict.fromkeys(self.alignment.account_of[a.id] for a in self.articles)
        return [acc for acc in ordered if acc in with_text]

    @property
    def facts(self):
        return self.alignment.facts


_ARTICLE_FIELDS = ("title", "outlet", "url", "date")
_LIST = "articles must be a list of texts, dicts with 'text' or Article records"


def _kind(value: object) -> str:
    """How a value is named in a message: "a string", "None", "int", "PosixPath"..."""
    if value is None:
        return "None"
    return "a string" if isinstance(value, str) else type(value).__name__


def _check_item(item: object, n: int) -> None:
    """Raise :class:`InputError` unless ``item`` (article ``n``) is a text, a
    dict or an :class:`Article` whose id, text and metadata are strings."""
    if isinstance(item, Article):
        if not isinstance(item.id, str) or not item.id.strip():
            raise InputError(f"article {n}: Article.id must be a non-empty string, not {item.id!r}")
        check_no_nul(item.id, f"article {n}", "'id'")  # before the id is printed
        if not isinstance(item.text, str):
            raise InputError(
                f"article {n} ({item.id}): Article.text must be a string, not {_kind(item.text)}"
            )
        check_unicode(item.text, f"article {n} ({item.id})")
        check_no_nul(item.text, f"article {n} ({item.id})")
        for name in _ARTICLE_FIELDS:
            value = getattr(item, name)
            if value is not None and not isinstance(value, str):
                raise InputError(
                    f"article {n} ({item.id}): Article.{name} must be a string or None, not {_kind(value)}"
                )
        check_metadata(item, f"article {n} ({item.id})")
    elif isinstance(item, Cluster):
        raise InputError(
            f"article {n}: a Cluster, not an article: summarise each cluster's .articles"
        )
    elif isinstance(item, bytes | bytearray):
        raise InputError(
            f"article {n}: bytes, not text: decode it first (e.g. data.decode('utf-8'))"
        )
    elif isinstance(item, PurePath):
        raise InputError(
            f"article {n}: a path ({item}), not a text: read files with "
            "newsweave.ingest.load_inputs([path, ...]) and summarise a cluster's .articles"
        )
    elif not isinstance(item, str | dict):
        raise InputError(
            f"article {n}: expected a text, a dict with 'text' or an Article, not {_kind(item)}"
        )


def _as_articles(articles: Iterable[Article | str | dict[str, Any]]) -> list[Article]:
    """The articles given to the library as :class:`Article` records: texts
    and dicts are read (ids ``a<n>`` by position unless given), records kept.
    A single text, dict or record (not in a list) and anything that is not
    an article are refused with :class:`InputError`, never read piecemeal."""
    if isinstance(articles, str | dict | Article):
        what = "string" if isinstance(articles, str) else type(articles).__name__
        raise InputError(f"{_LIST}, not a single {what}: pass [article]")
    if isinstance(articles, Cluster):  # what load_inputs returns
        raise InputError(f"{_LIST}, not a Cluster: pass cluster.articles")
    if isinstance(articles, bytes | bytearray) or not isinstance(articles, Iterable):
        raise InputError(f"{_LIST}, not {_kind(articles)}")
    items = list(articles)  # once: a generator can be read a single time
    for n, item in enumerate(items, 1):
        _check_item(item, n)
    from .formats import article_from_dict, unique_id

    used = {a.id for a in items if isinstance(a, Article)}
    out: list[Article] = []
    for i, item in enumerate(items):
        if not isinstance(item, Article):
            item = article_from_dict(item, i, f"article {i + 1}", True)
            item.id = unique_id(item.id, used)
            item.origin = "api"
        out.append(item)
    return out


def prepare(
    articles: Sequence[Article | str | dict[str, Any]],
    *,
    embedder: str | Embedder | None = None,
    max_chars: int = MAX_STORY_CHARS,
) -> DocSet:
    """Clean, segment, embed and align ``articles`` (one story). Raises
    :class:`InputError` when they hold more than ``max_chars`` characters."""
    if isinstance(max_chars, bool) or not isinstance(max_chars, int) or max_chars < 1:
        raise InputError(f"max_chars must be a positive number of characters, not {max_chars!r}")
    arts = _as_articles(articles)
    if not arts:
        raise InputError("no articles given: newsweave needs at least one article")
    total = sum(len(a.text) for a in arts)
    if total > max_chars:
        biggest = max(arts, key=lambda a: len(a.text))
        raise InputError(
            f"the story's {len(arts)} article{'s hold' if len(arts) > 1 else ' holds'} {total:,} "
            f"characters of text (the longest, {biggest.id}, {len(biggest.text):,}), over the "
            f"{max_chars:,} one story may hold; news stories are far shorter, so this looks "
            "like a dump or a book: split it, or raise the limit with max_chars=... "
            "(CLI: --max-chars)"
        )
    ids = [a.id for a in arts]
    if len(set(ids)) != len(ids):
        dup = sorted({i for i in ids if ids.count(i) > 1})
        raise InputError(f"duplicate article ids: {', '.join(dup)}")
    warnings: list[str] = []
    for a in arts:
        clean.clean_article(a)
    shingles = dedup.shingle_sets(arts)  # once, for both kinds of copies
    groups = clean.mark_duplicates(arts, sets=shingles)
    for g in groups:
        if len(g) > 1:
            warnings.append(
                f"articles {', '.join(g)} are near-duplicates (one account carried "
                "by several outlets); they count once as independent support"
            )
    sentences: list[Sentence] = []
    shape = Params()  # which sentences can stand alone (length, ending, not boilerplate)
    found = {a.id: segment.segment(a) for a in canonical_order(arts)}
    for a in arts:  # warnings in the order given
        got = found[a.id]
        if not got:
            warnings.append(f"article {a.id}: no sentences found after cleaning")
        elif len(arts) > 1 and not any(eligible(s.text, shape) for s in got):
            what = (
                "its only sentence cannot"
                if len(got) == 1
                else f"none of its {len(got)} sentences can"
            )
            warnings.append(
                f"article {a.id}: {what} stand alone in a summary (a headline, fragments "
                "or boilerplate), so the summary cannot cite it"
            )
    for got in found.values():  # sentences in the canonical order
        sentences.extend(got)
    if not sentences:
        raise InputError(_no_sentences(arts))
    if len(arts) == 1:
        warnings.append("only one article given: nothing to compare, summary of a single source")
    emb = embedder if callable(getattr(embedder, "embed", None)) else get_embedder(embedder)  # type: ignore[arg-type]
    vectors = emb.embed([s.text for s in sentences])
    alignment = _align.align(arts, sentences, vectors, copy_of=dedup.copies(arts, sets=shingles))
    return DocSet(arts, sentences, vectors, alignment, groups, warnings, emb.name)


def _input_name(a: Article) -> str:
    """How a message names the input ``a`` came from: its file (origin), or
    ``article <id>`` for text given in memory (origin ``api``: Python, web)."""
    return a.origin if a.origin and a.origin != "api" else f"article {a.id}"


def _no_sentences(arts: list[Article]) -> str:
    """Why no article gave a sentence, naming the inputs (at most five)."""
    names = list(dict.fromkeys(_input_name(a) for a in arts))
    more = f" and {len(names) - 5} more" if len(names) > 5 else ""
    reasons = list(dict.fromkeys(r for a in arts for *_, r in a.removed))
    why = (
        f"all of the text was recognised as boilerplate ({', '.join(reasons[:5])})"
        if reasons
        else "the text holds no sentence"
    )
    return f"{', '.join(names[:5])}{more}: no sentences found: {why}"


def summarize(
    articles: Sequence[Article | str | dict[str, Any]] | DocSet,
    length: str | int | Budget | None = None,
    *,
    embedder: str | Embedder | None = None,
    params: Params | None = None,
    overflow: bool = False,
    analyze: bool = False,
    story_id: str | int | None = None,
    max_chars: int = MAX_STORY_CHARS,
) -> Report:
    """Summarise one story: the main entry point of the library.

    ``articles`` are :class:`Article` records, plain strings or dicts with
    ``text`` (and optional ``title``, ``outlet``, ``url``, ``date``, ``id``).
    ``length`` is a budget such as ``"150w"``, ``"5s"``, ``"665b"`` or ``"auto"``
    (a word budget from the input size, see :mod:`newsweave.budget`).
    With ``analyze`` the cross-source analysis is added to ``report.analysis``.
    Articles holding more than ``max_chars`` characters in all are refused
    (:class:`InputError`).
    """
    if not is_auto(length):
        Budget.parse(length)  # reject a bad length before any work
    ds = (
        articles
        if isinstance(articles, DocSet)
        else prepare(articles, embedder=embedder, max_chars=max_chars)
    )
    budget = resolve(length, [a.text for a in ds.articles])
    summary = select(ds, budget, params, overflow=overflow)
    warnings = list(ds.warnings)
    if not summary:
        warnings.append(empty_summary_reason(ds, budget, params))
    report = Report(
        articles=ds.articles,
        sentences=ds.sentences,
        facts=ds.facts,
        summary=summary,
        length=str(budget),
        id=None if story_id is None else str(story_id),  # the schema's id is a string
        warnings=warnings,
        meta={
            "sentences": len(ds.sentences),
            "accounts": len(ds.accounts_with_text()),
            "embedder": ds.embedder,
        },
    )
    if analyze:
        from .analysis import analyze as _analyze

        report.analysis = _analyze(ds)
    return report


def empty_summary_reason(ds: DocSet, budget: Budget, params: Params | None = None) -> str:
    """Why no sentence could be chosen: the budget, or nothing stands alone."""
    params = params or Params()
    if any(eligible(s.text, params) for s in ds.sentences):
        return f"no sentence fits within the length budget {budget}: give a larger --length"
    return (
        "no sentence of the input can stand alone in a summary "
        f"(only headlines, fragments or boilerplate; {len(ds.sentences)} "
        f"sentence{'s' if len(ds.sentences) != 1 else ''} read)"
    )
