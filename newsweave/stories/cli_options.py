"""Options shared by the story database commands: ``--db`` and the clustering options."""

from __future__ import annotations

import click

from .cluster import ClusterParams
from .db import ENV_DB
from .represent import DEFAULT_THRESHOLDS, canonical
from .state import stored_embedder, stored_params


def db_option(f):
    return click.option(
        "--db",
        "db_path",
        envvar=ENV_DB,
        default=None,
        metavar="FILE",
        help="Story database file (default ./newsweave.db). Env: NEWSWEAVE_DB.",
    )(f)


def _threshold_value(ctx, param, value: float | None) -> float | None:
    if value is not None and not 0.0 < value < 1.0:  # NaN too
        raise click.BadParameter("must be between 0 and 1")
    return value


def _window_value(ctx, param, value: float | None) -> float | None:
    if value is not None and not value > 0:  # NaN too: it would keep every article out
        raise click.BadParameter("must be positive")
    return value


def cluster_options(f):
    """--window, --threshold, --embedder; values are checked before any
    database is opened, so a wrong one creates no file."""
    f = click.option(
        "--window",
        type=float,
        default=None,
        callback=_window_value,
        metavar="DAYS",
        help=f"Time window: an article joins a story only within DAYS of its span "
        f"(default {ClusterParams.window_days:g}; undated articles are not limited).",
    )(f)
    f = click.option(
        "--threshold",
        type=float,
        default=None,
        callback=_threshold_value,
        help="Similarity an article needs to join a story (default "
        + ", ".join(f"{v:g} for {k}" for k, v in DEFAULT_THRESHOLDS.items())
        + f", {ClusterParams.threshold:g} for the others).",
    )(f)
    return click.option(
        "--embedder",
        default=None,
        help="Article representation: bucket-idf (default for a new database: hashed "
        "words weighted by the stored document frequencies, model-free), tfidf "
        "(model-free), minilm, hybrid. An existing database keeps its own.",
    )(f)


def _params(
    db, threshold: float | None, window: float | None, embedder: str | None = None
) -> ClusterParams | None:
    """The database's parameters with the options given on the command line
    (None when none is given); a new database, or a switch to another
    representation, starts from that representation's defaults."""
    from .ingest import default_params

    if threshold is None and window is None:
        return None
    saved, stored = stored_params(db), db.setting("embedder")
    name = canonical(embedder) if embedder else (stored_embedder(db) or canonical(None))
    same = stored is None or name == stored
    params = saved if saved and same else default_params(name)
    if saved and not same:
        params.window_days = saved.window_days
    if threshold is not None:
        params.threshold = threshold
    if window is not None:
        params.window_days = window
    return params
