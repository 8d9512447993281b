"""newsweave: many articles about one story in, one faithful cited account out."""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import InputError, MissingDependency, NewsweaveError  # noqa: E402
from .records import (  # noqa: E402
    Article,
    Cluster,
    Fact,
    Report,
    Sentence,
    SourceSpan,
    SummarySentence,
)


def summarize(articles, length=None, **kwargs) -> Report:
    """Summarise articles about one story; see :func:`newsweave.pipeline.summarize`."""
    from .pipeline import summarize as _summarize

    return _summarize(articles, length=length, **kwargs)


__all__ = [
    "Article",
    "Cluster",
    "Fact",
    "InputError",
    "MissingDependency",
    "NewsweaveError",
    "Report",
    "Sentence",
    "SourceSpan",
    "SummarySentence",
    "summarize",
]
