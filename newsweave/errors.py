"""Errors newsweave reports to people (the CLI prints them without a traceback)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class NewsweaveError(Exception):
    """Base class: the message is meant for the user and names the input."""

    exit_code = 1


class InputError(NewsweaveError):
    """The user's input cannot be used (empty, binary, malformed...)."""

    exit_code = 2


class OutputError(NewsweaveError):
    """A result cannot be written where the user asked (missing folder,
    permission denied, disk full...)."""

    exit_code = 73  # sysexits EX_CANTCREAT


@contextmanager
def writing(path: str | Path) -> Iterator[None]:
    """Turn an ``OSError`` raised while writing ``path`` into an
    :class:`OutputError` naming it and the reason."""
    try:
        yield
    except OSError as exc:
        reason = exc.strerror or str(exc) or type(exc).__name__
        raise OutputError(f"{path}: cannot write the output ({reason})") from None


class MissingDependency(NewsweaveError):
    """An optional part is not installed; the message says what to install."""

    exit_code = 3

    def __init__(self, what: str, install: str):
        super().__init__(f"{what} is not installed. Install it with: {install}")
        self.what = what
        self.install = install

    def __reduce__(self):
        # raised in a reader process, it is pickled back to the command
        return (type(self), (self.what, self.install))


def require(module: str, what: str, install: str):
    """Import ``module`` or raise :class:`MissingDependency` with an install hint."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:  # pragma: no cover - exercised only without extras
        raise MissingDependency(what, install) from exc
