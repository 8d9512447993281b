"""Errors newsweave reports to people (the CLI prints them without a traceback)."""

from __future__ import annotations


class NewsweaveError(Exception):
    """Base class: the message is meant for the user and names the input."""

    exit_code = 1


class InputError(NewsweaveError):
    """The user's input cannot be used (empty, binary, malformed...)."""

    exit_code = 2


class MissingDependency(NewsweaveError):
    """An optional part is not installed; the message says what to install."""

    exit_code = 3

    def __init__(self, what: str, install: str):
        super().__init__(f"{what} is not installed. Install it with: {install}")
        self.install = install


def require(module: str, what: str, install: str):
    """Import ``module`` or raise :class:`MissingDependency` with an install hint."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:  # pragma: no cover - exercised only without extras
        raise MissingDependency(what, install) from exc
