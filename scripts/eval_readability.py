"""Count summary sentences that open with a reference the summary never resolved.

Usage::

    python scripts/eval_readability.py ../shared/data/multinews_val250.jsonl --length auto
    python scripts/eval_readability.py ../shared/data/duc2003_task2.jsonl --cap 100w --show 30

Runs the summarizer the way ``newsweave eval`` does (``pipeline.summarize``,
default embedder, the set's budget; with ``--cap`` the last sentence may run
past the cap, and only the sentences that start before it are counted) and
prints how many summary sentences open with:

- a connective: But, However, And, So, Yet, Still, Also, Instead, Meanwhile,
  Then, Moreover, Furthermore, Nevertheless, Besides, Indeed, Thus,
  Therefore, Plus;
- a pronoun: He, She, His, Her, Him, They, Their, Them, It, Its, We, Our, I,
  My, or This, These, That, Those, Such (not "This week" and other times;
  not "It is unclear ..." and the like);
- "The" + company, man, woman, group, couple, boy, girl, pair, suspect,
  victim, latter, former, move, duo;
- a bare reply ("No.", "Yes.").

A quotation counts only when it is bare (``summarize.is_bare_quote``: its
speaker is not named in the sentence).

Such an opening is *resolved* when its antecedent is in an earlier summary
sentence. The antecedent is looked for in the source: the names
(capitalised words other than a sentence's first) of the nearest of the
three source sentences before it, in its article, that has any; it is
resolved when one of them appears in an earlier summary sentence. When none
of the three has a name, it is resolved only when the source sentence right
before it is itself earlier in the summary.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newsweave.errors import InputError  # noqa: E402
from newsweave.records import Sentence, SummarySentence  # noqa: E402
from newsweave.summarize import is_bare_quote  # noqa: E402

_CONNECTIVE = (
    "But|However|And|So|Yet|Still|Also|Instead|Meanwhile|Then|Moreover|Furthermore|"
    "Nevertheless|Besides|Indeed|Thus|Therefore|Plus"
)
_PRONOUN = "He|She|His|Her|Him|They|Their|Them|It|Its|We|Our|I|My|This|These|That|Those|Such"
_TIME = r"(?:week|year|month|morning|afternoon|evening|weekend|season|summer|winter|spring|fall)"
_NOUN = "company|man|woman|group|couple|boy|girl|pair|suspect|victim|latter|former|move|duo"
OPENER = re.compile(
    rf"[\"“‘]?(?:(?P<conn>{_CONNECTIVE})\b(?![.-])"
    rf"|(?!(?:This|That|These|Those) {_TIME}\b)"
    r"(?!It(?:'s|’s| is| was| remains| seems| appears) (?:not clear|unclear|unknown|not known"
    r"|possible|likely|too early)\b)"
    rf"(?P<pron>{_PRONOUN})\b(?![.-])"
    rf"|(?P<the>The (?:{_NOUN}))\b|(?P<reply>No|Yes)[.!,])"
)
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z’'-]{2,}\b")
_SKIP = frozenset(_CONNECTIVE.split("|") + _PRONOUN.split("|") + ["The", "Mr", "Mrs", "Ms"])


def opener(text: str) -> str | None:
    """The class of reference a sentence opens with, or None."""
    m = OPENER.match(text)
    if not m or (text[:1] in '"“‘' and not is_bare_quote(text)):
        return None
    return next(k for k in ("conn", "pron", "the", "reply") if m.group(k))


def names(text: str) -> set[str]:
    """Capitalised words of a sentence other than its first."""
    return {w for w in _NAME.findall(text) if w not in _SKIP}


def unresolved(summary: Sequence[SummarySentence], sentences: Sequence[Sentence]) -> list[int]:
    """Positions of the summary sentences opening with an unresolved reference."""
    by_id = {s.id: s for s in sentences}
    by_pos = {(s.article_id, s.index): s for s in sentences}
    out = []
    for i, ss in enumerate(summary):
        if opener(ss.text) is None:
            continue
        src = by_id[ss.sentence]
        earlier = [x.text for x in summary[:i]]
        before = [by_pos.get((src.article_id, src.index - d)) for d in (1, 2, 3)]
        found: set[str] = set()
        for b in before:
            if b is not None and names(b.text):
                found = names(b.text)
                break
        if found:
            ok = any(n in t for n in found for t in earlier)
        else:
            prev = before[0]
            ok = prev is not None and any(x.sentence == prev.id for x in summary[:i])
        if not ok:
            out.append(i)
    return out


def main(argv: list[str] | None = None) -> int:
    from newsweave.embed import get_embedder
    from newsweave.eval.harness import budget_for, load_set
    from newsweave.eval.rouge import RougeMode
    from newsweave.pipeline import summarize

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("path")
    p.add_argument("--cap", default=None, help="recall mode at this cap (e.g. 100w)")
    p.add_argument("--length", default="auto")
    p.add_argument("--embedder", default=None)
    p.add_argument("--show", type=int, default=0, help="print this many unresolved sentences")
    p.add_argument("--limit", type=_positive, default=None)
    args = p.parse_args(argv)
    try:
        mode = RougeMode.make(args.cap)
        embedder = get_embedder(args.embedder)
        clusters = load_set(args.path, args.limit)
    except InputError as exc:
        p.error(str(exc))
    total, kinds, shown = 0, Counter(), []
    for c in clusters:
        budget = budget_for(c, mode, args.length)
        report = summarize(
            copy.deepcopy(c.articles),
            length=budget,
            embedder=embedder,
            overflow=mode.kind == "recall",
        )
        summary = report.summary
        if mode.kind == "recall" and mode.cap is not None:
            summary = _within_cap(summary, mode.cap.amount)
        total += len(summary)
        for i in unresolved(summary, report.sentences):
            kinds[opener(summary[i].text)] += 1
            shown.append((c.id, i, summary[i].text))
    n = sum(kinds.values())
    print(f"{args.path}: {n} of {total} summary sentences open with an unresolved reference")
    if kinds:
        print("  " + ", ".join(f"{k} {v}" for k, v in kinds.most_common()))
    for cid, i, text in shown[: args.show]:
        print(f"  {cid} [{i}] {text[:160]}")
    return 0


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"{n} is below 1")
    return n


def _within_cap(summary: Sequence[SummarySentence], cap: int) -> list[SummarySentence]:
    """The sentences that start before a word cap."""
    out, used = [], 0
    for s in summary:
        if used >= cap:
            break
        out.append(s)
        used += len(s.text.split())
    return out


if __name__ == "__main__":
    sys.exit(main())
