"""The ``newsweave`` command: a thin wrapper over the library.

Subcommands outside the core are loaded lazily (``_LAZY``), so that
``newsweave summarize`` does not pay for importing the web stack or the
evaluation peers.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from . import __version__
from .budget import DEFAULT_LENGTH
from .decode import MAX_BYTES, MAX_STORY_CHARS
from .errors import NewsweaveError, OutputError, writing
from .render import FORMATS, render

SAMPLE_DIR = Path(__file__).parent / "data" / "sample"

# name -> "module:attribute" of a click command, imported only when used
_LAZY = {
    "analyze": "newsweave.analysis.cli:analyze",
    "eval": "newsweave.eval.cli:eval_command",
    "ingest": "newsweave.stories.cli:ingest",
    "batch": "newsweave.stories.cli:batch",
    "stories": "newsweave.stories.cli:stories",
    "story": "newsweave.stories.cli:story",
    "recluster": "newsweave.stories.cli:recluster",
    "serve": "newsweave.web.cli:serve",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self._available()])

    def _available(self) -> list[str]:
        out = []
        for name, target in _LAZY.items():
            module = target.split(":")[0]
            if importlib.util.find_spec(module.rsplit(".", 1)[0]) is not None:
                out.append(name)
        return out

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in _LAZY:
            module, attr = _LAZY[name].split(":")
            try:
                return getattr(importlib.import_module(module), attr)
            except ModuleNotFoundError as exc:
                if exc.name and exc.name.startswith("newsweave"):
                    return None
                raise
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsweave")
def cli() -> None:
    """Turn many news articles about one event into one faithful, cited account.

    \b
    Quick tour:
      newsweave demo                         summary of the bundled sample story
      newsweave summarize a.txt b.html       one story from several articles
      newsweave summarize dir/ -f json -o report.json
      newsweave summarize set.jsonl -f jsonl batch: one story per JSONL line
      cat article.txt | newsweave summarize - other.txt

    Every summary sentence is copied from a source article and cites each
    article that reports it, down to the character span.
    """


def length_option(f):
    return click.option(
        "-l",
        "--length",
        envvar="NEWSWEAVE_LENGTH",
        default=DEFAULT_LENGTH,
        show_default=True,
        help=(
            "Length budget: words (150w), sentences (5s), bytes (665b) or auto"
            " (150 words + 30 per article, at most 400). Env: NEWSWEAVE_LENGTH."
        ),
    )(f)


def embedder_from_env(ctx: click.Context, param: click.Parameter, value: str | None):
    """An unknown backend named by ``$NEWSWEAVE_EMBEDDER`` (not on the command
    line) is refused saying where it came from."""
    from click.core import ParameterSource

    from .embed import ENV_EMBEDDER, check_embedder
    from .errors import InputError

    if value and ctx.get_parameter_source(param.name or "") is ParameterSource.ENVIRONMENT:
        try:
            check_embedder(value)
        except InputError as exc:
            raise InputError(f"{exc} (set by ${ENV_EMBEDDER})") from None
    return value


def embedder_option(f):
    return click.option(
        "--embedder",
        envvar="NEWSWEAVE_EMBEDDER",
        default=None,
        callback=embedder_from_env,
        help="Sentence embedding backend by name (default: minilm). Env: NEWSWEAVE_EMBEDDER.",
    )(f)


def _limit_option(name: str, default: int, help: str):
    return click.option(
        name, type=click.IntRange(min=1), default=default, show_default=True, help=help
    )


max_bytes_option = _limit_option(
    "--max-bytes", MAX_BYTES, "Refuse (skip) input files larger than this."
)
max_chars_option = _limit_option(
    "--max-chars",
    MAX_STORY_CHARS,
    "Refuse a story whose articles hold more characters of text than this.",
)


def check_output(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Refuse an ``-o`` file that cannot be written before any work is done,
    with the output error's exit code (73): a folder, a missing folder, no
    permission."""
    if not value:
        return value
    path = Path(value)
    folder = path.parent
    if path.is_dir():
        reason = "it is a folder"
    elif not folder.is_dir():
        reason = f"no folder {folder}" if not folder.exists() else f"{folder} is not a folder"
    elif not os.access(path if path.exists() else folder, os.W_OK):
        reason = "permission denied"
    else:
        return value
    raise OutputError(f"{value}: cannot write the output ({reason})")


def output_option(f):
    return click.option(
        "-o",
        "--output",
        type=click.Path(),
        metavar="FILE",
        callback=check_output,
        help="Write to FILE instead of standard output.",
    )(f)


def output_options(f):
    return click.option(
        "-f",
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default=None,
        help="Output format: md (default), json, text, html; jsonl for batch (default there).",
    )(output_option(f))


def check_analysis_format(analyze: bool | None, fmt: str | None, formats: str) -> None:
    """Refuse ``--analyze`` with ``-f text``, which has no room for it."""
    if analyze and fmt == "text":
        raise click.UsageError(
            f"--format text has no room for the cross-source analysis; "
            f"use -f {formats} with --analyze"
        )


def emit(text: str, output: str | None) -> None:
    """Write ``text`` to ``output`` (saying so on stderr) or to stdout."""
    if output:
        with writing(output):
            Path(output).write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


def _progress(items: list, label: str, enabled: bool) -> Iterator:
    if not enabled or len(items) < 2:
        yield from items
        return
    from tqdm import tqdm

    yield from tqdm(items, desc=label, unit="story", file=sys.stderr)


def warn(message: str) -> None:
    click.echo(f"warning: {message}", err=True)


def _distinct_ids(clusters: list) -> None:
    """Give each story of a batch its own id (``-2``, ``-3``... on a repeat, as
    article ids are made unique), saying so: reports are told apart by id."""
    from .formats import unique_id

    used: set[str] = set()
    for cluster in clusters:
        if cluster.id not in used:
            used.add(cluster.id)
            continue
        new = unique_id(cluster.id, used)
        warn(
            f"story {cluster.id} ({cluster.origin or 'input'}): the id is taken by an "
            f"earlier story; reported as {new}"
        )
        cluster.id = new


def run_summaries(
    inputs: tuple[str, ...],
    *,
    length: str,
    fmt: str | None,
    output: str | None,
    embedder: str | None,
    analyze: bool,
    progress: bool = True,
    max_bytes: int = MAX_BYTES,
    max_chars: int | None = None,
) -> None:
    """Shared body of ``summarize`` and ``analyze``."""
    from .budget import Budget, is_auto
    from .ingest import load_inputs, read_stdin
    from .pipeline import summarize

    budget = length if is_auto(length) else Budget.parse(length)
    if not inputs:
        raise click.UsageError("give at least one INPUT (file, directory or - for stdin)")
    check_analysis_format(analyze, fmt, "md, json, jsonl or html")
    stdin = read_stdin(max_bytes) if "-" in inputs else None
    clusters = load_inputs(list(inputs), stdin=stdin, max_bytes=max_bytes)
    batch = len(clusters) > 1 or any(str(p).endswith(".jsonl") for p in inputs)
    fmt = fmt or ("jsonl" if batch else "md")
    if fmt == "html" and len(clusters) > 1:
        raise click.UsageError(
            f"--format html makes one page for one story, but the input holds "
            f"{len(clusters)} stories; use -f json, jsonl, md or text for a batch"
        )
    for cluster in clusters:
        for w in getattr(cluster, "warnings", []):
            warn(w)
    if batch:
        _distinct_ids(clusters)

    chunks: list[str] = []
    failures = 0
    for cluster in _progress(clusters, "summarizing", progress and batch):
        try:
            report = summarize(
                cluster.articles,
                length=budget,
                embedder=embedder,
                analyze=analyze,
                story_id=cluster.id,
                **({} if max_chars is None else {"max_chars": max_chars}),
            )
            if not report.summary:
                # nothing useful was produced: the last warning says why
                raise NewsweaveError(f"{cluster.origin or cluster.id}: {report.warnings[-1]}")
        except NewsweaveError as exc:
            if not batch:
                raise
            failures += 1
            warn(f"story {cluster.id}: {exc}")
            if fmt == "jsonl":
                import json

                chunks.append(
                    json.dumps({"id": cluster.id, "summary": "", "error": str(exc)}) + "\n"
                )
            continue
        if not batch:
            for w in report.warnings:
                warn(w)
        chunks.append(render(report, fmt))
    if batch and failures == len(clusters):
        raise NewsweaveError(f"no story could be summarised ({failures} failed)")
    if fmt == "json" and batch:  # one valid JSON document: an array of reports
        text = "[\n" + ",\n".join(c.rstrip() for c in chunks) + "\n]\n"
    else:
        text = ("" if fmt == "jsonl" else "\n---\n\n").join(chunks)
    emit(text, output)


@cli.command()
@click.argument("inputs", nargs=-1, metavar="INPUT...")
@length_option
@output_options
@embedder_option
@click.option(
    "--analyze/--no-analyze",
    default=False,
    help="Add the cross-source analysis (formats md, json, jsonl, html).",
)
@click.option("--progress/--no-progress", default=True, help="Progress bar on batch runs.")
@max_bytes_option
@max_chars_option
def summarize(inputs, length, fmt, output, embedder, analyze, progress, max_bytes, max_chars):
    """Summarise the articles in INPUT... as one story, with citations.

    \b
    INPUT is a file, a directory (read recursively) or - for stdin.
    Formats read: plain text, HTML (main text, title, date, site are
    extracted), JSON, JSONL in the common form
      {"id": ..., "documents": [{"id", "title"?, "text"}, ...]}
    (one story per line: batch mode), JSONL of one article per line
      {"id"?, "text", "title"?, "date"?, "outlet"?, "url"?}
    (together one story), and Multi-News raw text (documents joined
    by |||||, newlines written NEWLINE_CHAR).

    \b
    Examples:
      newsweave summarize reuters.txt bbc.html --length 5s
      newsweave summarize stories.jsonl -f jsonl -o summaries.jsonl
    """
    run_summaries(
        inputs,
        length=length,
        fmt=fmt,
        output=output,
        embedder=embedder,
        analyze=analyze,
        progress=progress,
        max_bytes=max_bytes,
        max_chars=max_chars,
    )


@cli.command()
@length_option
@output_options
@embedder_option
def demo(length, fmt, output, embedder):
    """Summarise and analyse the bundled sample story (two outlets, May 2014)."""
    # the text format has no analysis: not worth computing
    analyze = fmt != "text" and importlib.util.find_spec("newsweave.analysis") is not None
    run_summaries(
        (str(SAMPLE_DIR),),
        length=length,
        fmt=fmt,
        output=output,
        embedder=embedder,
        analyze=analyze,
    )


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled as Ctrl-C is: the command stops where it is (an
    ingest keeps its committed units, a watch prints its totals, a new
    empty database is removed) instead of dying without a word."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated()


def main(argv: list[str] | None = None) -> int:
    """Console entry point: user errors become one line on stderr and an exit code."""
    import signal
    import threading

    on_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _on_sigterm) if on_main else None
    try:
        return _main(argv)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _main(argv: list[str] | None) -> int:
    try:
        cli.main(args=argv, prog_name="newsweave", standalone_mode=False)
    except NewsweaveError as exc:
        click.echo(f"error: {exc}", err=True)
        return exc.exit_code
    except click.exceptions.Abort as exc:
        if isinstance(exc.__cause__, Terminated):
            click.echo("terminated", err=True)
            return 143
        click.echo("aborted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except Terminated:
        click.echo("terminated", err=True)
        return 143
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # never show a traceback to a user
        if os.environ.get("NEWSWEAVE_DEBUG"):
            raise
        click.echo(
            f"internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in newsweave; set NEWSWEAVE_DEBUG=1 to see the traceback.",
            err=True,
        )
        return 70
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
