"""``newsweave ingest | batch | recluster``: the commands that write the story
database (``stories`` and ``story``, which read it, are in :mod:`.cli_read`;
the shared options in :mod:`.cli_options`)."""

from __future__ import annotations

import json
import sys

import click

from ..cli import max_bytes_option
from ..errors import InputError
from ..render import count
from .cli_options import _params, cluster_options, db_option
from .cli_read import stories, story
from .db import for_writing
from .lock import writer
from .messages import report, warn, watch_and_report
from .represent import canonical
from .sources import check_paths
from .state import stored_embedder, stored_params


@click.command()
@click.argument("paths", nargs=-1, metavar="PATH...")
@db_option
@cluster_options
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Reader processes (default: 2 for bucket-idf and tfidf, 1 for models).",
)
@click.option("--progress/--no-progress", default=True, help="Progress bar on stderr.")
@click.option("--json", "as_json", is_flag=True, help="Print the run's counts as JSON.")
@max_bytes_option
@click.option(
    "--watch",
    "every",
    type=click.FloatRange(min=0),
    default=None,
    metavar="SECONDS",
    help="Keep watching: ingest the inputs again every SECONDS (new files, changed "
    "feeds, new feed entries) until interrupted (Ctrl-C).",
)
@click.option(
    "--rounds",
    type=click.IntRange(min=1),
    default=None,
    help="With --watch: stop after this many rounds (exit 2 when none of them succeeded).",
)
@click.option(
    "--reports",
    is_flag=True,
    help="After the run (each round with --watch), bring the reports of the stories it "
    "changed (2+ articles) up to date, so 'newsweave story' and the web app serve them "
    "at once.",
)
def ingest(
    paths,
    db_path,
    embedder,
    threshold,
    window,
    workers,
    progress,
    as_json,
    max_bytes,
    every,
    rounds,
    reports,
):
    """Store articles in the story database and group them into stories.

    \b
    PATH is an article file, a folder (read recursively), a JSONL dump in the
    common form {"id", "documents": [{"id", "title"?, "text", "date"?}]} or
    of one article per line {"id"?, "text", "title"?, "date"?}, an
    RSS/Atom feed file or a feed's http(s) URL. Each article is stored once
    (content hash), wire copies are marked as near-duplicates, each article
    is embedded once and joins a story (or starts one). Re-running skips
    what is stored; an interrupted run can simply be run again. With
    --watch, the inputs are ingested again every SECONDS, so stories stay
    current as articles arrive (files changed in the last 2 s wait for the
    next round).

    \b
    Examples:
      newsweave ingest dump.jsonl --db news.db
      newsweave ingest feeds/*.xml articles/
      newsweave ingest https://example.com/news.rss inbox/ --watch 300
    """
    from . import service

    if not paths:
        raise click.UsageError("give at least one PATH (file, folder, dump, feed or feed URL)")
    if rounds is not None and every is None:
        raise click.UsageError("--rounds needs --watch SECONDS")
    check_paths(list(paths))  # a wrong path (or embedder) creates no database
    canonical(embedder)
    with for_writing(db_path) as db:  # removed again if a new one stays empty
        options = {
            "embedder": embedder,
            "params": _params(db, threshold, window, embedder),
            "workers": workers,
            "progress": progress and sys.stderr.isatty(),
            "on_warning": warn,
            "max_bytes": max_bytes,
        }
        if every is not None:
            watch_and_report(service, db, list(paths), every, rounds, as_json, options, reports)
            return
        stats = service.ingest(db, list(paths), **options)
        if reports:
            stats.reports = service.refresh_reports(db, stats.changed)
    report(db.path, stats, as_json)


@click.command()
@db_option
@cluster_options
def recluster(db_path, embedder, threshold, window):
    """Re-cluster every stored article at once (batch mode).

    Use it after changing --threshold/--window or --embedder (missing vectors
    are computed and stored), or after ingesting out of time order.
    """
    from . import service

    db = service.open_db(db_path, create=False)
    try:
        db.require_writable("recluster")
        res = service.recluster(
            db, embedder=embedder, params=_params(db, threshold, window, embedder)
        )
    finally:
        db.close()
    click.echo(
        f"{db.path}: {count(res['articles'], 'article')} in "
        f"{count(res['stories'], 'story', 'stories')} "
        f"({res['embedder']}; {res['seconds']} s)",
        err=True,
    )


@click.command()
@click.argument("paths", nargs=-1, metavar="PATH...")
@db_option
@click.option(
    "--embedder",
    default=None,
    help="Article representation (bucket-idf, tfidf, minilm, hybrid); default: the "
    "database's own, bucket-idf for a new database.",
)
@click.option(
    "--scheduler",
    default="threads",
    show_default=True,
    metavar="NAME",
    help="Where the Dask tasks run: threads, processes, synchronous, local:N (a local "
    "cluster of N worker processes) or a Dask scheduler address (tcp://HOST:8786).",
)
@click.option(
    "--summarize/--no-summarize",
    default=True,
    help="Compute each story's report during the job (default) or leave it to 'newsweave story'.",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text (one line of counts on stderr) or json (the job's counts on stdout).",
)
@max_bytes_option
def batch(paths, db_path, embedder, scheduler, summarize, fmt, max_bytes):
    """Store and cluster articles with the Dask batch path, in parallel tasks.

    \b
    The same steps as 'newsweave ingest' + 'newsweave recluster' (content
    hash, wire copies, stories, reports), run as Dask tasks on this machine
    or on a 'distributed' cluster, then written into the story database in
    one transaction. PATH is a file, folder, JSONL dump or feed, as for
    ingest. The job's clustering is authoritative for the articles it read;
    a job story of new articles continues the stored story it matches (a
    daily job extends the stories of earlier days). Story reports are
    computed in the job and cached for 'newsweave story'.

    \b
    Examples:
      newsweave batch dump.jsonl --db news.db
      newsweave batch day1.jsonl day2.jsonl --scheduler local:2
      newsweave batch dumps/ --scheduler tcp://10.0.0.5:8786 --no-summarize
    """
    from .dask_scheduler import check_scheduler, connect
    from .distributed import run_job
    from .distributed_store import write_job

    if not paths:
        raise click.UsageError("give at least one PATH (file, folder, dump or feed)")
    check_paths(list(paths))  # a wrong path, embedder or scheduler creates no database
    canonical(embedder)
    check_scheduler(scheduler)
    # a cluster is reached (or started) first: an unreachable one creates no database;
    # it stays up until the job is written; a new database the job fails to fill is removed
    with connect(scheduler) as sched, for_writing(db_path) as db:
        stored = stored_embedder(db)
        name = canonical(embedder) if embedder else (stored or canonical(None))
        if stored and name != stored:
            raise InputError(
                f"{db.path}: this database clusters with the {stored!r} embedder; "
                f"run without --embedder (or with --embedder {stored})"
            )
        saved = stored_params(db)
        with writer(db.path, "batch"):  # another writer now: refused before the job, not after
            pass
        job = run_job(
            list(paths),
            embedder=name,
            params=saved,
            summarize=summarize,
            analyze=summarize,  # as 'newsweave story' shows it, so its cache serves them
            scheduler=sched,
            max_bytes=max_bytes,
            db=db.path,
        )
        stats = write_job(db, job)
    for message in [*job.warnings, *stats.warnings]:
        warn(message)
    if fmt == "json":
        out = {
            "db": str(db.path),
            "scheduler": scheduler,
            "embedder": job.embedder,
            "read": job.read,
            "exact_duplicates": job.exact_duplicates,
            "renamed": job.renamed,  # ids reused within the job ("written" counts the database's)
            "stories": len(job.stories),
            "job_seconds": round(job.seconds, 2),
            "written": stats.to_dict(),
        }
        click.echo(json.dumps(out, indent=1))
        return
    click.echo(
        f"{db.path}: stored {count(stats.stored, 'new article')} of {job.read} read "
        f"({stats.already_stored} already stored, {job.exact_duplicates} exact duplicates, "
        f"{stats.near_duplicates} near-duplicates, {job.renamed + stats.renamed} renamed); "
        f"{count(len(job.stories), 'story', 'stories')}: "
        f"{stats.new_stories} new, {stats.continued_stories} continuing stored ones, "
        f"{stats.changed_stories} changed, {stats.unchanged_stories} unchanged; "
        f"{count(stats.reports, 'report')} cached; {job.seconds:.1f} s job ({scheduler}) "
        f"+ {stats.seconds:.1f} s write",
        err=True,
    )


__all__ = ["batch", "cluster_options", "db_option", "ingest", "recluster", "stories", "story"]
