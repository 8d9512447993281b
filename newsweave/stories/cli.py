"""``newsweave ingest | batch | stories | story | recluster``: the story database commands."""

from __future__ import annotations

import json
import sys

import click

from ..cli import check_analysis_format, emit, max_bytes_option, output_option
from ..errors import InputError
from ..render import count
from .cluster import ClusterParams
from .db import ENV_DB, for_writing
from .lock import writer
from .messages import report, warn, watch_and_report
from .represent import DEFAULT_THRESHOLDS, canonical
from .sources import check_paths
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


def _md_cell(text: str) -> str:
    """``text`` for one cell of a Markdown table: on one line, ``|`` escaped."""
    return " ".join(text.split()).replace("|", "\\|")


def _span(row: dict) -> str:
    a, b = row["first_date"], row["last_date"]
    if not a:
        return "undated"
    return a if a == b else f"{a}..{b}"


@click.command()
@db_option
@click.option(
    "-n",
    "--limit",
    type=click.IntRange(min=0),
    default=50,
    show_default=True,
    help="Stories to list (0: all).",
)
@click.option(
    "--min-size",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Smallest story listed.",
)
@click.option(
    "--sort",
    "order",
    type=click.Choice(["size", "recent"]),
    default="size",
    show_default=True,
    help="size: largest first; recent: latest article first.",
)
@click.option(
    "-s",
    "--search",
    "query",
    default=None,
    metavar="TEXT",
    help="Only stories whose title or an article's title contains TEXT (any case, accents ignored).",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["text", "md", "json"]),
    default="text",
    show_default=True,
    help="text (a table for people), md (a Markdown table) or json (the rows).",
)
def stories(db_path, limit, min_size, order, query, fmt):
    """List the stories: id, size, outlets, time span and title."""
    from . import service

    db = service.open_db(db_path, create=False)
    try:
        rows = service.list_stories(
            db, limit=limit or None, min_size=min_size, order=order, query=query
        )
        total = service.count_stories(db, min_size=min_size, query=query)
        stored = service.count_stories(db) if not rows else total
    finally:
        db.close()
    if fmt == "json":
        click.echo(json.dumps(rows, indent=1, ensure_ascii=False))
        return
    if not rows:
        click.echo(_no_rows(db.path, stored, min_size, query), err=True)
        return
    if fmt == "md":
        lines = ["| id | articles | outlets | span | title |", "| ---: | ---: | --- | --- | --- |"]
        for r in rows:
            outs = ", ".join(r["outlets"][:3]) + (" …" if len(r["outlets"]) > 3 else "")
            cells = (_md_cell(outs), _span(r), _md_cell(r["title"] or ""))
            lines.append(f"| {r['id']} | {r['size']} | " + " | ".join(cells) + " |")
        click.echo("\n".join(lines))
    else:
        click.echo(f"{'ID':>6} {'SIZE':>5} {'OUTLETS':>7}  {'SPAN':<22} TITLE")
        for r in rows:
            title = " ".join((r["title"] or "").split())
            title = title if len(title) <= 70 else title[:69] + "…"
            click.echo(
                f"{r['id']:>6} {r['size']:>5} {len(r['outlets']):>7}  {_span(r):<22} {title}"
            )
    if len(rows) < total:
        click.echo(f"({len(rows)} of {total} stories; --limit 0 lists all)", err=True)


def _no_rows(db_path, stored: int, min_size: int, query: str | None) -> str:
    """What ``stories`` says instead of an empty table."""
    if not stored:
        return (
            f"{db_path}: no stories yet; add articles with 'newsweave ingest PATH --db {db_path}'"
        )
    bigger = f"{min_size} or more articles"
    if query and query.strip() and min_size > 1:  # both filters: which one left nothing is unknown
        return (
            f"no story matching {query!r} has {bigger} ({count(stored, 'story', 'stories')} in all)"
        )
    if query and query.strip():
        return f"no story matches {query!r}"
    return f"no story has {bigger} ({count(stored, 'story', 'stories')} in all)"


@click.command()
@click.argument("story_id", metavar="ID")
@db_option
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["md", "json", "text", "html"]),
    default="md",
    show_default=True,
    help="md, json (the report and a 'story' block), text (summary only) or html (one page).",
)
@output_option
@click.option(
    "-l",
    "--length",
    default=None,
    help="Summary length budget (150w, 5s, 665b or auto; default 150w).",
)
@click.option(
    "--embedder",
    default=None,
    help="Sentence embedder for the summary (default minilm). Env: NEWSWEAVE_EMBEDDER.",
)
@click.option(
    "--analyze/--no-analyze",
    default=None,
    help="Include the cross-source analysis (default: yes, except with -f text).",
)
@click.option("--refresh", is_flag=True, help="Recompute the report even if it is stored.")
def story(story_id, db_path, fmt, output, length, embedder, analyze, refresh):
    """Show one story's full report: summary with citations and analysis."""
    from ..render import render
    from . import service

    check_analysis_format(analyze, fmt, "md, json or html")
    analyze = fmt != "text" if analyze is None else analyze

    db = service.open_db(db_path, create=False)
    try:
        try:
            st = service.get_story(
                db, story_id, length=length, analyze=analyze, embedder=embedder, refresh=refresh
            )
        except KeyError:
            raise InputError(
                f"{db.path}: no story {story_id!r} (list them with 'newsweave stories')"
            ) from None
    finally:
        db.close()
    if st.report is None:
        raise InputError(f"{db.path}: story {story_id} has no articles")
    if fmt == "json":
        data = json.loads(render(st.report, "json"))
        data["story"] = {k: v for k, v in st.to_dict().items() if k != "report"}
        text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
    else:
        title = " ".join((st.title or "").split()) or None  # the title 'stories' lists
        text = render(st.report, fmt, title=title)
        if fmt == "md":
            span = _span({"first_date": st.first_date, "last_date": st.last_date})
            outs = _outlet_list(st.outlets)
            text = (
                f"<!-- story {st.id}: {count(st.size, 'article')}, {outs}, {span} -->\n"
                f"*Story {st.id} · {count(st.size, 'article')} · {outs} · {span}*\n\n" + text
            )
    emit(text, output)


def _outlet_list(outlets: list[str], shown: int = 8) -> str:
    """A story header's outlets: the first ``shown`` (most frequent first), then how many more."""
    more = f" and {len(outlets) - shown} more" if len(outlets) > shown else ""
    return ", ".join(outlets[:shown]) + more if outlets else "unknown outlets"


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
