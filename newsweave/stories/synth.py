"""Synthetic dated articles with known stories, for tests and benchmarks.

:func:`synthetic_articles` writes articles about made-up events: each story
has its own names and vocabulary and a date; articles of one story share
them, articles of different stories do not. :func:`recombined_articles`
builds articles by recombining the sentences of real clusters (e.g. the
shared evaluation data) with a unique noise sentence each, so that no two
generated articles are exact or near duplicates.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

_SYLL = "ka lo mi ran te vus dor pel sa qui nor bet zan fi gol hur"
_COMMON = (
    "officials said on the day that the situation was being monitored closely while residents "
    "waited for more information from the authorities and local reporters described the scene"
).split()


@dataclass
class SynthArticle:
    """A generated article and the story it belongs to."""

    id: str
    story: str
    title: str
    text: str
    date: str | None
    outlet: str

    def to_doc(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "text": self.text,
            "date": self.date,
            "outlet": self.outlet,
        }


def _word(rng: random.Random) -> str:
    syl = _SYLL.split()
    return "".join(rng.choice(syl) for _ in range(rng.randint(2, 3)))


def story_vocabulary(rng: random.Random, n: int = 30) -> list[str]:
    """Made-up names and terms of one story."""
    return [_word(rng).capitalize() if i % 3 == 0 else _word(rng) for i in range(n)]


def _sentence(rng: random.Random, vocab: Sequence[str]) -> str:
    words = rng.sample(list(vocab), 6) + rng.sample(_COMMON, 6)
    rng.shuffle(words)
    return " ".join(words).capitalize() + "."


def synthetic_articles(
    stories: int,
    per_story: int,
    *,
    seed: int = 0,
    start: datetime | None = None,
    spread_days: int = 3,
    vocab: Sequence[Sequence[str]] | None = None,
    dated: bool = True,
) -> list[SynthArticle]:
    """``stories`` × ``per_story`` articles, shuffled; story ``i`` is dated
    ``start + 60·i days`` (+ up to ``spread_days``) unless ``vocab`` reuses a
    subject at another date. ``vocab[i]`` forces story i's vocabulary."""
    rng = random.Random(seed)
    start = start or datetime(2014, 5, 1, tzinfo=UTC)
    outlets = ["Reuters", "AP", "BBC", "AFP", "Guardian"]
    out: list[SynthArticle] = []
    for s in range(stories):
        words = list(vocab[s]) if vocab else story_vocabulary(rng)
        day = start + timedelta(days=60 * s)
        for k in range(per_story):
            sents = [_sentence(rng, words) for _ in range(rng.randint(5, 8))]
            date = (day + timedelta(days=rng.randint(0, spread_days))).date().isoformat()
            out.append(
                SynthArticle(
                    id=f"s{s}-a{k}",
                    story=f"s{s}",
                    title=" ".join(rng.sample(words, 4)).title(),
                    text="\n\n".join(sents),
                    date=date if dated else None,
                    outlet=outlets[k % len(outlets)],
                )
            )
    rng.shuffle(out)
    return out


def recombined_articles(
    clusters: Sequence[Sequence[str]],
    n: int,
    *,
    seed: int = 0,
    sentences: tuple[int, int] = (6, 12),
    stories_per_cluster: int = 4,
    start: datetime | None = None,
) -> list[SynthArticle]:
    """``n`` articles made from the sentences of ``clusters`` (lists of sentences).

    Each cluster yields ``stories_per_cluster`` stories on the same subject,
    the k-th dated ``900·k`` days plus a random 0-730 days after ``start``
    (at least 170 days apart: the time window must keep them apart); each article
    takes a random subset of its cluster's sentences plus one unique noise
    sentence. Articles come out in date order, like a news archive.
    """
    rng = random.Random(seed)
    start = start or datetime(2000, 1, 1, tzinfo=UTC)
    slots = [(c, k) for c in range(len(clusters)) for k in range(stories_per_cluster)]
    dates = {
        slot: start + timedelta(days=rng.randint(0, 365 * 2) + 900 * slot[1]) for slot in slots
    }
    out: list[SynthArticle] = []
    for i in range(n):
        c, k = slots[rng.randrange(len(slots))]
        pool = clusters[c]
        take = min(len(pool), rng.randint(*sentences))
        picked = rng.sample(list(pool), take)
        noise = " ".join(_word(rng) for _ in range(8)).capitalize() + f" {i}."
        day = dates[(c, k)] + timedelta(days=rng.randint(0, 5))
        out.append(
            SynthArticle(
                id=f"r{i}",
                story=f"c{c}-{k}",
                title=picked[0][:80],
                text="\n\n".join([*picked, noise]),
                date=day.date().isoformat(),
                outlet=f"outlet{rng.randint(1, 40)}",
            )
        )
    out.sort(key=lambda a: (a.date or "", a.id))
    return out
