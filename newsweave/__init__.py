"""newsweave: many articles about one story in, one faithful cited account out."""

from __future__ import annotations

import sys
import types

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


class _Package(types.ModuleType):
    """The ``newsweave`` package: ``newsweave.summarize`` stays the function
    above. Python binds a submodule to its package's attribute when it is
    first imported, and the selection code lives in ``newsweave/summarize.py``:
    without this, the first summary (which imports it) replaced the function,
    and the next ``newsweave.summarize(...)`` raised "'module' object is not
    callable". The submodule stays importable by name
    (``from newsweave.summarize import select``)."""

    def __setattr__(self, name: str, value) -> None:
        if name == "summarize" and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

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
