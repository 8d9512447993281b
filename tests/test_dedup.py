"""Near-duplicate detection: wire copies in several outlets."""

from __future__ import annotations

import itertools

import pytest

from newsweave.canonical import content_key
from newsweave.clean import clean_article
from newsweave.dedup import mark_duplicates
from newsweave.records import Article

WIRE = (
    "Firefighters battled a large blaze at a warehouse in the port district on Sunday night, "
    "the city fire department said. No injuries were reported. The fire started shortly "
    "after 11 p.m. and took more than six hours to bring under control, a spokesman said. "
    "Investigators have not yet determined the cause of the fire, which destroyed most of "
    "the building and its contents, including furniture and electronics awaiting shipment."
)
OTHER = (
    "The city council approved a new budget on Tuesday that raises spending on schools and "
    "parks while cutting the number of administrative jobs at city hall by about a tenth. "
    "The mayor said the plan would keep taxes flat for the third year in a row."
)


def test_mark_duplicates_groups_wire_copy():
    arts = [
        Article("a", WIRE),
        Article("b", OTHER),
        Article("c", "PORT CITY (AP) — " + WIRE + " Copyright 2020 AP."),
        Article("d", WIRE.replace("Sunday night", "Sunday evening")),
    ]
    for a in arts:
        clean_article(a)
    groups = mark_duplicates(arts)
    assert groups == [["a", "c", "d"], ["b"]]
    # the representative is the fullest copy (c carries a dateline more), not the first given
    assert [a.duplicate_of for a in arts] == ["c", None, None, "c"]


def test_mark_duplicates_representative_does_not_depend_on_order():
    import itertools

    texts = {
        "a": WIRE,
        "b": OTHER,
        "c": WIRE.replace("Sunday night", "Sunday evening"),  # as full as a: a tie
        "d": WIRE + " More to come.",
    }
    heads = set()
    for ids in itertools.permutations(texts):
        arts = [clean_article(Article(i, texts[i])) for i in ids]
        groups = mark_duplicates(arts)
        # groups (and their members) are listed in the order given
        assert sorted(groups) == sorted([[i for i in ids if i != "b"], ["b"]])
        heads.add(tuple(sorted((a.id, a.duplicate_of) for a in arts)))
    assert heads == {(("a", "d"), ("b", None), ("c", "d"), ("d", None))}
    # equally full copies: the tie goes to the first in the canonical order
    first = min((Article(i, texts[i]) for i in "ac"), key=content_key).id
    other = "c" if first == "a" else "a"
    for ids in (["a", "c"], ["c", "a"]):
        arts = [clean_article(Article(i, texts[i])) for i in ids]
        mark_duplicates(arts)
        assert {a.id: a.duplicate_of for a in arts} == {first: None, other: first}


def test_mark_duplicates_ignores_removed_boilerplate():
    junk = "\n\n".join(["Advertisement", "Sign up for our newsletter", "RELATED: Other story"] * 20)
    a = Article("a", WIRE + "\n\n" + junk)
    b = Article("b", OTHER + "\n\n" + junk)
    for art in (a, b):
        clean_article(art)
    assert mark_duplicates([a, b]) == [["a"], ["b"]]


def test_mark_duplicates_resets_and_handles_empty():
    a = Article("a", WIRE, duplicate_of="zzz")
    b = Article("b", "")
    c = Article("c", "Short.")
    assert mark_duplicates([a, b, c]) == [["a"], ["b"], ["c"]]
    assert a.duplicate_of is None
    assert mark_duplicates([]) == []


def test_mark_duplicates_lsh_path_matches_exact():
    arts = [Article(f"x{i}", WIRE if i % 2 else OTHER + f" Item {i}.") for i in range(12)]
    exact = mark_duplicates(arts)
    lsh = mark_duplicates(arts, exact_limit=0)
    assert exact == lsh
    assert exact[1] == [f"x{i}" for i in range(1, 12, 2)]


def test_minhash_groups_are_the_same_in_every_process():
    """Above the exact limit the grouping must not depend on hash salting."""
    import subprocess
    import sys

    code = (
        "from newsweave.records import Article\n"
        "from newsweave.dedup import mark_duplicates\n"
        "base = ' '.join(f'word{i} follows the other' for i in range(60))\n"
        "arts = [Article(f'a{i}', base + f' tail {i % 3}' * (i % 2)) for i in range(12)]\n"
        "arts += [Article(f'u{i}', ' '.join(f'other{i}x{j}' for j in range(80))) for i in range(5)]\n"
        "print(mark_duplicates(arts, exact_limit=2))\n"
    )
    outs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            env={"PYTHONHASHSEED": str(seed), "PATH": "/usr/bin:/bin"},
            check=True,
        ).stdout
        for seed in (1, 2, 3)
    }
    assert len(outs) == 1
    groups = eval(outs.pop())  # noqa: S307 - our own subprocess output
    assert any(len(g) > 1 for g in groups)


def test_disjoint_set():
    from newsweave.disjoint import DisjointSet

    ds = DisjointSet(6)
    ds.union(4, 2)
    ds.union(2, 0)
    ds.union(5, 3)
    assert ds.find(4) == 0 and ds.find(5) == 3
    assert ds.groups() == [[0, 2, 4], [1], [3, 5]]


# an AP-style story and its later, longer write-through that keeps every paragraph
SHORT = WIRE + (
    " The warehouse belonged to a shipping company that has operated in the port for decades."
)
LONGER = (
    SHORT + " Neighbours said they saw flames rising above the roof and heard several explosions. "
    "The company said it would rebuild and that its workers would be paid during the "
    "closure. City officials said the port would reopen to traffic on Tuesday morning."
)


def test_a_short_version_inside_a_longer_copy_is_the_same_account():
    from newsweave.dedup import copies

    arts = [Article("short", SHORT), Article("long", LONGER), Article("other", OTHER)]
    for a in arts:
        clean_article(a)
    # Jaccard of the two is well under 0.8, but the short one is wholly in the long one
    assert mark_duplicates(arts) == [["short", "long"], ["other"]]
    assert [a.duplicate_of for a in arts] == ["long", None, None]
    # the summary still weighs them as two texts repeating the story
    assert len(set(copies(arts).values())) == 3


def test_a_short_text_is_not_a_cut_of_a_longer_one():
    arts = [Article("tiny", "No injuries were reported, the city fire department said."),
            Article("long", LONGER)]  # fmt: skip
    for a in arts:
        clean_article(a)
    assert mark_duplicates(arts) == [["tiny"], ["long"]]


def test_a_digest_holding_two_short_stories_does_not_join_them():
    # two outlets' short stories (independent accounts) and a news digest that
    # prints both whole: each is a cut of the digest, but they share nothing
    second = OTHER + (
        " Council members argued for two hours over the library budget before the final vote, "
        "which passed by seven votes to four late on Tuesday evening."
    )
    digest = "News digest.\n\n" + SHORT + "\n\n" + second + "\n\nWeather: sunny, 24 degrees."
    arts = [Article("fire", SHORT), Article("council", second), Article("digest", digest)]
    for a in arts:
        clean_article(a)
    found = set()
    for perm in itertools.permutations(arts):
        groups = mark_duplicates(list(perm))
        for a in perm:
            a.duplicate_of = None
        pairs = {frozenset(g) for g in groups}
        assert frozenset({"fire", "council"}) not in pairs
        assert not any({"fire", "council"} <= g for g in pairs)
        found.add(frozenset(pairs))
    # the digest joins one of them (the same one in every order): two accounts
    assert len(found) == 1
    assert len(found.pop()) == 2


def test_between_identical_copies_the_one_that_names_its_source_represents_them():
    import itertools

    for order in itertools.permutations(["bare", "named"]):
        arts = [
            Article(i, WIRE, **({"title": "Warehouse fire", "outlet": "Reuters"} if i == "named" else {}))
            for i in order
        ]  # fmt: skip
        for a in arts:
            clean_article(a)
        mark_duplicates(arts)
        assert {a.id: a.duplicate_of for a in arts} == {"bare": "named", "named": None}


def test_shingle_sets_made_once_give_the_same_groups():
    from newsweave.dedup import copies, shingle_sets

    arts = [
        Article("a", WIRE),
        Article("b", OTHER),
        Article("c", "PORT CITY (AP) — " + WIRE + " Copyright 2020 AP."),
    ]
    for a in arts:
        clean_article(a)
    sets = shingle_sets(arts)
    assert [bool(s) for s in sets] == [True, True, True]
    assert copies(arts, sets=sets) == copies(arts)
    assert mark_duplicates(arts, sets=sets) == mark_duplicates(arts) == [["a", "c"], ["b"]]
    assert [a.duplicate_of for a in arts] == ["c", None, None]
    assert copies(arts, sets=sets) == {"a": "c", "b": "b", "c": "c"}


def test_shingle_sets_must_match_the_articles():
    from newsweave.dedup import copies

    arts = [Article("a", WIRE), Article("b", OTHER)]
    with pytest.raises(ValueError, match="1 shingle sets given for 2 articles"):
        copies(arts, sets=[set()])
