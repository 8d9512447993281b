"""``newsweave analyze``: the summary plus the cross-source analysis."""

from __future__ import annotations

import click

from ..cli import (
    embedder_option,
    length_option,
    max_bytes_option,
    max_chars_option,
    output_option,
    run_summaries,
)


@click.command()
@click.argument("inputs", nargs=-1, metavar="INPUT...")
@length_option
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["md", "json"]),
    default="md",
    show_default=True,
    help="Output format: md (summary and analysis for people) or json (the full report).",
)
@output_option
@embedder_option
@click.option("--progress/--no-progress", default=True, help="Progress bar on batch runs.")
@max_bytes_option
@max_chars_option
def analyze(inputs, length, fmt, output, embedder, progress, max_bytes, max_chars):
    """Compare how the articles in INPUT... report one story.

    \b
    Adds to the cited summary what each outlet's account shares with the
    others: facts reported by several sources (agreements) and by one only
    (exclusives), conflicting statements (figures, dates, names, places,
    negation, speakers), who said what, people/organisations/places per
    source, and a timeline of dated events.

    \b
    INPUT is a file, a directory (read recursively) or - for stdin, as for
    `newsweave summarize`. Examples:
      newsweave analyze reuters.txt bbc.html
      newsweave analyze story/ -f json -o analysis.json
    """
    run_summaries(
        inputs,
        length=length,
        fmt=fmt,
        output=output,
        embedder=embedder,
        analyze=True,
        progress=progress,
        max_bytes=max_bytes,
        max_chars=max_chars,
    )
