"""What ``newsweave ingest`` (and its ``--watch`` rounds) tells the user:
one summary line per run or round on stderr, or JSON on stdout."""

from __future__ import annotations

import json

import click

from ..errors import InputError
from ..render import count


def warn(message: str) -> None:
    click.echo(f"warning: {message}", err=True)


def watch_and_report(service, db, paths, every, rounds, as_json, options, reports: bool) -> None:
    """Run the watch, one line (or JSON line) per round, then its totals."""

    def on_round(r) -> None:
        if r.stats is not None and reports:
            r.stats.reports = service.refresh_reports(db, r.stats.changed)
        if r.stats is None:
            warn(f"round {r.number}: {r.error}")
            if as_json:
                click.echo(json.dumps({"round": r.number, "error": r.error}))
            return
        st = r.stats
        if as_json:
            click.echo(json.dumps({"round": r.number, **st.to_dict()}))
        elif st.read == 0:  # an idle round: one short line
            later = f", {count(st.deferred, 'changing file')} left for later" if st.deferred else ""
            feeds = f", {count(st.feeds_unchanged, 'feed')} unchanged" if st.feeds_unchanged else ""
            click.echo(
                f"round {r.number}: nothing new ({count(st.files_skipped, 'file')} already ingested"
                f"{feeds}{later})",
                err=True,
            )
        else:
            report(db.path, st, False, f"round {r.number}: ")

    from .watch import WatchStopped

    try:
        result = service.watch(db, paths, every=every, rounds=rounds, on_round=on_round, **options)
    except WatchStopped as exc:  # a full disk: what was stored before counts
        _watch_totals(exc.result, "stopped")
        raise
    _watch_totals(result, "interrupted" if result.interrupted else "done")
    if not result.interrupted and result.failed_rounds == result.rounds:
        raise InputError(
            f"no round of the watch succeeded ({count(result.rounds, 'round')}, all failed; "
            f"the last: {result.last_error})"
        )


def _watch_totals(result, why: str) -> None:
    failed = f", {result.failed_rounds} failed" if result.failed_rounds else ""
    click.echo(
        f"watch {why} after {count(result.rounds, 'round')}{failed}: stored "
        f"{count(result.stored, 'new article')} of {result.read} read, "
        f"{count(result.new_stories, 'new story', 'new stories')}",
        err=True,
    )


def report(path, stats, as_json: bool, prefix: str = "") -> None:
    """An ingest run's counts: JSON on stdout, or lines on stderr."""
    if as_json:
        click.echo(json.dumps(stats.to_dict(), indent=1))
        return
    repeated = f"{stats.repeated} repeated in this run, " if stats.repeated else ""
    click.echo(
        f"{prefix}{path}: stored {count(stats.stored, 'new article')} of {stats.read} read "
        f"({stats.already_stored} already stored, {repeated}"
        f"{stats.near_duplicates} near-duplicates, "
        f"{stats.undated} undated); {count(stats.new_stories, 'new story', 'new stories')}, "
        f"{count(existing_updated(stats), 'existing story', 'existing stories')} updated; "
        f"{stats.seconds:.1f} s",
        err=True,
    )
    if stats.joined_later:
        click.echo(
            f"{count(stats.joined_later, 'article')} left alone joined the story "
            "they were closest to",
            err=True,
        )
    if stats.files_skipped:
        click.echo(f"skipped {count(stats.files_skipped, 'file')} already ingested", err=True)
    if stats.deferred:
        click.echo(
            f"left {count(stats.deferred, 'file')} changed in the last seconds for later", err=True
        )
    if stats.reports:
        click.echo(f"brought {count(stats.reports, 'story report')} up to date", err=True)


def existing_updated(stats) -> int:
    """Stories that existed before the run and gained or lost articles
    (``stories_touched`` counts the run's new stories too)."""
    return stats.stories_touched - stats.new_stories
