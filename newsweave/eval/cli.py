"""``newsweave eval SET.jsonl``: ROUGE of newsweave and its peers, side by side."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..cli import embedder_from_env, max_bytes_option
from ..errors import InputError, writing


@click.command("eval")
@click.argument("sets", nargs=-1, required=True, metavar="SET.jsonl...")
@click.option(
    "--cap",
    default=None,
    help="Score recall of the output cut at this cap (DUC style: 100w or 665b). "
    "Without it: F1 of the whole output (Multi-News style).",
)
@click.option(
    "--multi-ref",
    type=click.Choice(["pool", "mean"]),
    default="pool",
    show_default=True,
    help="Several references: pool their counts as ROUGE-1.5.5 -f A does, or average "
    "the score against each.",
)
@click.option(
    "-l",
    "--length",
    default="auto",
    show_default=True,
    help="Budget in F1 mode: auto (rule computed from each cluster's input) or e.g. 250w.",
)
@click.option(
    "--peers",
    default="all",
    show_default=True,
    help="Comma-separated peers (lexrank,textrank,lsa,luhn,kl,sumbasic,lexrank-pkg,lead,"
    "random), 'all' or 'none'.",
)
@click.option(
    "--oracle/--no-oracle",
    default=True,
    show_default=True,
    help="Add the greedy extractive oracle.",
)
@click.option("--limit", type=int, default=None, help="Only the first N clusters of each set.")
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default="eval-results",
    show_default=True,
    help="Directory for <set>.scores.jsonl, <set>.md and the plot.",
)
@click.option(
    "--embedder",
    envvar="NEWSWEAVE_EMBEDDER",
    default=None,
    callback=embedder_from_env,
    help="Embedding backend (default: minilm). Env: NEWSWEAVE_EMBEDDER.",
)
@click.option(
    "--also-embedder",
    "also_embedders",
    multiple=True,
    help="Add a newsweave row with this embedding backend too (repeatable), e.g. tfidf.",
)
@click.option(
    "--samples",
    type=click.IntRange(min=1),
    default=1000,
    show_default=True,
    help="Bootstrap samples.",
)
@click.option("--progress/--no-progress", default=True, help="Progress bar.")
@max_bytes_option
def eval_command(
    sets,
    cap,
    multi_ref,
    length,
    peers,
    oracle,
    limit,
    out_dir,
    embedder,
    also_embedders,
    samples,
    progress,
    max_bytes,
):
    """Score newsweave and peer summarisers with ROUGE on SET.jsonl.

    \b
    SET.jsonl holds one cluster a line: {"id", "documents": [{"id","text"}],
    "references": [...]}. Every system gets the same input and budget.
    Writes per-cluster scores (JSONL), a Markdown table and a PNG plot to
    --out, and prints the table.

    \b
    Examples:
      newsweave eval multinews_val250.jsonl                 # F1, --length auto
      newsweave eval duc2003_task2.jsonl --cap 100w         # recall at 100 words
      newsweave eval set.jsonl --peers lead,lexrank --limit 20
    """
    from ..budget import Budget
    from .harness import evaluate, load_set, make_systems
    from .report import markdown_table, plot, write_rows
    from .rouge import RougeMode

    mode = RougeMode.make(cap, multi_ref)
    if length.strip().lower() != "auto":
        Budget.parse(length)
    if limit is not None and limit <= 0:
        raise InputError("--limit must be a positive number of clusters")
    peer_names = _peer_names(peers)
    out = Path(out_dir)
    with writing(out):
        out.mkdir(parents=True, exist_ok=True)
    results = []
    tables = []
    for set_path in sets:
        clusters = load_set(set_path, limit, max_bytes=max_bytes)
        for warning in (w for c in clusters for w in c.warnings):
            click.echo(f"warning: {warning}", err=True)
        name = Path(set_path).name.removesuffix(".jsonl")
        systems = make_systems(peer_names, oracle, mode, embedder, also_embedders)
        bar = None
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=len(clusters), desc=name, unit="cluster", file=sys.stderr)
        try:
            result = evaluate(
                clusters,
                systems,
                mode,
                length=length,
                set_name=name,
                progress=bar.update if bar else None,
            )
        finally:
            if bar:
                bar.close()
        table = markdown_table(result, samples=samples)
        with writing(out):
            write_rows(result, out / f"{name}.scores.jsonl")
            (out / f"{name}.md").write_text(table, encoding="utf-8")
            plot([result], out / f"{name}.png", samples=samples)
        results.append(result)
        tables.append(table)
        click.echo(table)
    if len(results) > 1:
        with writing(out):
            plot(results, out / "all.png", samples=samples)
            (out / "all.md").write_text("\n".join(tables), encoding="utf-8")
    click.echo(f"wrote {out}/", err=True)


def _peer_names(spec: str) -> list[str] | None:
    spec = spec.strip().lower()
    if spec == "all":
        return None
    if spec in ("none", ""):
        return []
    return [p.strip() for p in spec.split(",") if p.strip()]
