"""Summary selection on the bundled sample story (real model, loaded once)."""

import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from newsweave.budget import Budget
from newsweave.dateline import dateline_end
from newsweave.pipeline import summarize
from newsweave.records import Article, Sentence
from newsweave.summarize import (
    POINTS_BACK,
    Params,
    _after_antecedents,
    eligible,
    is_bare_quote,
    leans_back,
    select,
)


def test_every_sentence_is_verbatim_at_each_cited_offset(sample_report):
    arts = {a.id: a for a in sample_report.articles}
    assert sample_report.summary, "the sample story must give a summary"
    for s in sample_report.summary:
        assert s.citations, s.text
        assert s.citations[0].text == s.text
        for c in s.citations:
            assert arts[c.article].text[c.start : c.end] == c.text
        # one span per cited article
        assert len({c.article for c in s.citations}) == len(s.citations)


def test_citations_cover_every_sentence_of_the_fact(sample_docset, sample_report):
    assert sample_report.summary
    for s in sample_report.summary:
        fact = sample_docset.alignment.fact(s.fact)
        cited = {(c.article, c.start, c.end) for c in s.citations}
        members = {  # each sentence from the word after a wire dateline
            (x.article_id, x.start + dateline_end(x.text), x.end)
            for x in sample_docset.sentences_by_id(fact.sentences)
        }
        assert cited == members
        assert s.support == fact.accounts


def test_sample_summary_has_cross_source_support(sample_report):
    # both outlets report Putin's order and Rasmussen's "no withdrawal" remark
    assert any(s.support == 2 for s in sample_report.summary)
    assert len({c.article for s in sample_report.summary for c in s.citations}) == 2


@pytest.mark.parametrize("spec", ["150w", "60w", "3s", "1s", "665b", "200b"])
def test_budget_is_respected(sample_docset, spec):
    budget = Budget.parse(spec)
    summary = select(sample_docset, budget)
    assert summary
    assert budget.total([s.text for s in summary]) <= budget.amount


def test_overflow_fills_a_cap(sample_docset):
    budget = Budget.parse("100w")
    summary = select(sample_docset, budget, overflow=True)
    texts = [s.text for s in summary]
    assert budget.total(texts) >= budget.amount
    # only the last sentence may cross the cap: without the longest-running
    # tail it fits
    assert budget.total(texts) - max(budget.cost(t) for t in texts) < budget.amount


def test_no_redundant_pair(sample_docset):
    params = Params()
    summary = select(sample_docset, Budget.parse("250w"), params)
    idx = {s.id: k for k, s in enumerate(sample_docset.sentences)}
    vecs = sample_docset.embeddings[[idx[s.sentence] for s in summary]]
    sims = vecs @ vecs.T
    np.fill_diagonal(sims, 0)
    assert sims.max() < params.redundancy


def test_reading_order(sample_docset):
    summary = select(sample_docset, Budget.parse("200w"))
    count = {}
    for s in sample_docset.sentences:
        count[s.article_id] = count.get(s.article_id, 0) + 1
    rel = [
        sample_docset.sentence(s.sentence).index
        / count[sample_docset.sentence(s.sentence).article_id]
        for s in summary
        if not leans_back(s.text)  # those follow their antecedent (below)
    ]
    assert rel == sorted(rel)


def _sents(*rows):
    out = []
    for art, idx, text in rows:
        out.append(Sentence(f"{art}#{idx}", art, idx, 0, len(text), text))
    return SimpleNamespace(sentences=out)


def test_a_sentence_that_points_back_follows_its_antecedent():
    ds = _sents(
        ("a", 0, "Storms hit the coast on Monday."),
        ("b", 0, "Thousands of homes lost power."),
        ("b", 5, "Repairs will take a week, the utility said."),
        ("a", 9, "He said the damage was the worst in years."),
        ("a", 12, "But the mayor said schools would open."),
        ("b", 9, "It said crews came from three states."),
        ("c", 3, "They were rescued by boat."),
    )
    # reading order in, "He"/"But" move after a's first sentence, in source
    # order; "It" already follows b's sentence; c has no earlier sentence
    assert _after_antecedents(ds, [0, 1, 2, 3, 4, 5, 6]) == [0, 3, 4, 1, 2, 5, 6]
    assert _after_antecedents(ds, [1, 0, 2]) == [1, 0, 2]  # nothing points back
    assert POINTS_BACK.match("He said so.") and POINTS_BACK.match("However, it rained.")
    assert not POINTS_BACK.match("Hector said so.") and not POINTS_BACK.match("I.B.M. said so.")


def test_a_summary_does_not_open_with_a_sentence_that_leans_back():
    from newsweave.summarize import _not_leaning_first

    ds = _sents(
        ("c", 3, "He was curious to learn and wanted to do his best."),
        ("a", 0, "The shop gave away free tickets on Monday."),
        ("a", 4, "It said the stock ran out by noon."),
        ("b", 0, "Fans queued from dawn."),
    )
    # the first sentence that does not lean back goes first, with the one of
    # its article placed after it (its "It"); the rest keeps its order
    assert _not_leaning_first(ds, [0, 1, 2, 3]) == [1, 2, 0, 3]
    assert _not_leaning_first(ds, [1, 2, 0, 3]) == [1, 2, 0, 3]  # already fine
    assert _not_leaning_first(ds, [0, 2]) == [0, 2]  # all lean back: as it was
    assert _not_leaning_first(ds, []) == []


def test_the_opening_sentence_is_not_moved_ahead_of_its_own_article():
    from newsweave.summarize import _not_leaning_first

    ds = _sents(
        ("a", 1, "That may seem like a lot, but consider their peers."),
        ("a", 2, "So yes, they earn less, but there are advantages."),
        ("a", 3, "Working mothers get to stay at home."),
        ("b", 2, "Fey's first book sold well."),
    )
    # a#3 follows a#1 and a#2 in its source: b's first sentence opens instead
    assert _not_leaning_first(ds, [0, 1, 2, 3]) == [3, 0, 1, 2]
    # with no other article, the order stays as the source has it
    assert _not_leaning_first(ds, [0, 1, 2]) == [0, 1, 2]


def test_a_sentence_that_leans_back_gives_way_to_one_that_stands_alone():
    from newsweave.pipeline import prepare

    ds = prepare(
        [
            {
                "id": "a",
                "text": "Schools in the county stayed shut for a second day on Tuesday. "
                "He said the storm flooded the river valley and closed the old bridge near the mill.",
            },
            {
                "id": "b",
                "text": "Rain fell all night across the region. Crews worked through the night "
                "in the dark. Officials said the storm flooded the river valley and closed the "
                "old bridge near the mill.",
            },
        ],
        embedder="tfidf",
    )
    one = Budget.parse("1s")
    # without the penalty the shorter, earlier "He said ..." wins; with it the
    # same fact is told by the sentence that names its speaker
    assert [s.text for s in select(ds, one, Params(lean_penalty=0.0))][0].startswith("He said")
    chosen = select(ds, one)
    assert [s.text[:18] for s in chosen] == ["Officials said the"]
    assert {c.article for c in chosen[0].citations} == {"a", "b"}  # still cites both


def test_a_bare_quote_follows_a_sentence_of_its_article():
    ds = _sents(
        ("a", 0, "The shop gave away free tickets on Monday."),
        ("b", 0, "Fans queued from dawn."),
        ("a", 4, "Its owner said the stock ran out by noon."),
        ("a", 5, '"They were gone fast."'),
        ("b", 7, "“I didn’t notice with the name being so long.”"),
        ("c", 2, '"We will be back next year."'),
    )
    # a's quote moves after its own article's last earlier chosen sentence
    # (the one naming the speaker); b's follows b's first sentence; c's has
    # no earlier sentence of its article and stays
    order = [0, 1, 2, 4, 3, 5]
    assert _after_antecedents(ds, order) == [0, 2, 3, 1, 4, 5]


def test_bare_quotes():
    bare = [
        '"They were gone fast."',
        "“I didn’t notice with the name being so long.”",
        "``We lost it all.''",  # DUC's quotation marks
        '"There were only so many handed out. They were gone fast."',
        '"It was the first of many.',  # the opening sentence of a longer quote
        "‘It’s over.’",
    ]
    attributed = [
        '"It was bad," he said.',
        "``We lost it all,'' Smith said.",
        "“It was,” she said, “the worst day.”",
        "‘No,’ she said.",
        'He said: "No."',
        "The mayor called it “a disgrace.”",
    ]
    assert all(is_bare_quote(t) and leans_back(t) for t in bare)
    assert not any(is_bare_quote(t) for t in attributed)
    assert not is_bare_quote("Storms hit the coast on Monday.")


def test_eligibility():
    p = Params()
    assert eligible("The Kremlin said Putin had ordered the troops back to their bases.", p)
    assert not eligible("Ukraine crisis: what happens next?", p)
    assert not eligible("Share this story", p)
    assert not eligible('"We have seen no indication," he said:', p)
    # promos and notes that sit inside a longer paragraph line are not summary material
    assert not eligible("Click here for interactive results, trends over time and methods.", p)
    assert not eligible("View all New York Times newsletters.", p)
    assert not eligible("This story has been corrected to show Gomes lived in Raynham.", p)
    assert eligible("The report was updated in 2010 with new figures from the census bureau.", p)
    # a line set in capitals is a heading or a shout, not a summary sentence
    assert not eligible("I TOLD YOU THE WHOLE TOWN WOULD COME OUT FOR THIS ONE.", p)
    assert eligible("NATO and the UN said the EU and the US would send 4,000 more troops.", p)
    # the tail of a sentence broken across paragraphs, a link label, a footnote
    # or a web address does not stand alone
    assert not eligible("who was involved in the three-year effort to write them.", p)
    assert not eligible("commentary Once Sprint gets the iPhone, you can bid farewell to it.", p)
    assert not eligible("[Video Link] The Wilco track re-imagined as a classic cartoon.", p)
    assert not eligible("[5] Gustaf Wickman was the church's architect and builder.", p)
    # a teaser cut off mid-sentence (Multi-News val-026, val-029) does not end
    # like a sentence; an ellipsis after a full clause may
    assert not eligible("The researchers also are investigating whether...", p)
    assert not eligible(
        "He outlined a larger role for it, alongside the work of governments,...", p
    )
    assert not eligible("If they find him, they will take him to the shelter in the ...", p)
    assert eligible("What Bank of America has done to its customers is an outrage ...", p)
    assert not eligible("Follow her at Twitter.com/lisa_p_white for the latest news.", p)
    assert not eligible("The group can be reached at http://www.example.org/ by anyone.", p)
    # names that start in lowercase do
    assert eligible("iPhone sales rose sharply in the third quarter of the year.", p)
    assert eligible("da Silva, who leads the Workers Party, campaigned for a closed economy.", p)
    # ... as do names with more than one particle
    assert eligible("von der Leyen said the commission would propose new sanctions.", p)
    assert eligible("de la Renta dressed first ladies for more than four decades.", p)
    assert eligible("van den Broek said the ship had been held in the port for days.", p)
    assert not eligible("van drivers said the new rules would cost them a week's pay.", p)


def test_summarize_accepts_strings(embedder):
    texts = [
        "Storms hit the coast on Monday. Thousands of homes lost power across the region. "
        "Officials said repairs would take a week.",
        "A powerful storm struck the coast on Monday. Thousands of homes were left without power. "
        "The mayor asked residents to stay indoors.",
    ]
    report = summarize(texts, length="2s", embedder=embedder)
    assert 1 <= len(report.summary) <= 2
    assert all(s.citations for s in report.summary)


def test_package_summarize_stays_callable_after_a_summary():
    """README: ``newsweave.summarize(texts)``. The first call imports the
    ``newsweave/summarize.py`` submodule, which used to replace the function
    on the package, so the second call raised "'module' object is not
    callable". Run in a fresh interpreter, where nothing is imported yet."""
    import subprocess
    import sys

    code = (
        "import newsweave\n"
        "texts = ['Storms hit the coast on Monday. Thousands of homes lost power.',\n"
        "         'A powerful storm struck the coast on Monday. Homes lost power.']\n"
        "for _ in range(2):\n"
        "    report = newsweave.summarize(texts, length='2s', embedder='tfidf')\n"
        "    assert report.summary, report.warnings\n"
        "import newsweave.summarize\n"
        "from newsweave.summarize import select\n"
        "assert callable(newsweave.summarize) and callable(select)\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_empty_summary_says_why(embedder):
    report = summarize(["Breaking news", "Live updates"], length="50w", embedder=embedder)
    assert report.summary == []
    assert "can stand alone" in report.warnings[-1]


def test_messages_about_one_article_or_sentence_are_singular(embedder):
    from newsweave.errors import InputError

    report = summarize(["Breaking news"], length="50w", embedder=embedder)
    assert report.warnings[-1].endswith(
        "(only headlines, fragments or boilerplate; 1 sentence read)"
    )
    with pytest.raises(InputError, match=r"^the story's 1 article holds 53 characters"):
        summarize(["Storms hit the coast on Monday, officials said today."], max_chars=10)


def test_only_boilerplate_names_the_inputs_and_why(embedder):
    from newsweave.errors import InputError
    from newsweave.records import Article

    arts = [
        Article("a", "Share on Facebook\nShare on Twitter\n", origin="one.txt"),
        Article("b", "Advertisement\n\nAll rights reserved.\n", origin="two.txt"),
    ]
    with pytest.raises(InputError) as exc:
        summarize(arts, length="50w", embedder=embedder)
    assert str(exc.value) == (
        "one.txt, two.txt: no sentences found: all of the text was recognised as "
        "boilerplate (share block, advertisement, copyright)"
    )


def test_only_boilerplate_in_memory_names_the_articles_not_api(embedder):
    """Texts given in memory (Python API, web form and API) have origin "api";
    the message used to begin "api: no sentences found"."""
    from newsweave.errors import InputError

    with pytest.raises(InputError) as exc:
        # (a text of only "-------" is refused on its own: no letters or digits)
        summarize(["Share this article on Facebook", "Advertisement"], embedder=embedder)
    assert str(exc.value) == (
        "article a1, article a2: no sentences found: all of the text was recognised "
        "as boilerplate (share block, advertisement)"
    )


def test_an_article_the_summary_cannot_cite_is_named_in_a_warning(embedder):
    story = (
        "Storms hit the coast on Monday. Thousands of homes lost power across the region. "
        "Officials said repairs would take a week."
    )
    report = summarize([story, "Live updates", "Read more."], length="2s", embedder=embedder)
    assert report.summary and [a.id for a in report.articles] == ["a1", "a2", "a3"]
    assert "article a2: its only sentence cannot stand alone" in report.warnings[0]
    assert report.warnings[1] == "article a3: no sentences found after cleaning"  # boilerplate
    assert len(report.warnings) == 2
    # one article alone: the "only one article" warning says enough
    single = summarize([story], length="2s", embedder=embedder)
    assert not any("cannot cite" in w for w in single.warnings)


def test_headline_and_dateline_do_not_push_the_lead_down():
    from newsweave.pipeline import prepare
    from newsweave.summarize import body_ranks

    opener = (
        "Storm closes port of Dover\n\nMonday, March 3, 2014\n\n"
        "The port of Dover closed on Monday as a storm brought winds of 90 miles an hour. "
        "Ferries were held in harbour until the evening.\n"
    )
    plain = (
        "The port of Dover shut on Monday because of a violent storm with strong winds. "
        "Ferry crossings to Calais resumed late in the evening.\n"
    )
    ds = prepare([opener, plain], embedder="tfidf")
    ranks = dict(zip((s.text for s in ds.sentences), body_ranks(ds), strict=True))
    index = {s.text: s.index for s in ds.sentences}
    lead = next(t for t in ranks if t.startswith("The port of Dover closed"))
    assert index[lead] == 2  # after the headline and the dateline lines
    assert ranks[lead] == 0  # but the first body sentence
    assert ranks[next(t for t in ranks if t.startswith("Ferries"))] == 1
    assert ranks[next(t for t in ranks if t.startswith("Ferry crossings"))] == 1
    # the headline line ranks with the body sentence that follows it
    assert ranks["Storm closes port of Dover"] == 0


def test_a_wire_dateline_is_not_part_of_the_summary():
    """The summary shows, counts and cites a sentence from the word after its
    wire dateline; the span still points into the source exactly."""
    wire = (
        "DAMASCUS, Syria (AP) _ Egyptian President Hosni Mubarak flew here on Sunday to try "
        "to defuse growing tension between Syria and Turkey. "
        "Syria has denied supporting Kurdish rebels in Turkey.\n"
    )
    other = (
        "CAIRO, Egypt _ Egyptian President Hosni Mubarak flew to Damascus on Sunday to ease "
        "the growing tension between Syria and Turkey. "
        "Turkey accuses Syria of sheltering Kurdish rebel leaders.\n"
    )
    report = summarize([wire, other], length="36w", embedder="tfidf")
    arts = {a.id: a for a in report.articles}
    assert report.summary
    first = report.summary[0]
    assert first.text.startswith("Egyptian President Hosni Mubarak flew")
    for s in report.summary:
        assert not dateline_end(s.text) and s.citations[0].text == s.text
        for c in s.citations:
            assert arts[c.article].text[c.start : c.end] == c.text
            assert not c.text.startswith(("DAMASCUS", "CAIRO"))
    # the budget counts the words shown: 18 + 8 + 8 fit 36 words (not with the 4 of "DAMASCUS...")
    assert [len(s.text.split()) for s in report.summary] == [18, 8, 8]


_STORM = [
    "Storms hit the coast on Monday. Thousands of homes lost power across the region. "
    "Officials said repairs would take a week.",
    "A powerful storm struck the coast on Monday. Thousands of homes were left without power. "
    "The mayor asked residents to stay indoors.",
]


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (_STORM[0], "not a single string: pass [article]"),  # was read one character a time
        ({"text": _STORM[0]}, "not a single dict: pass [article]"),  # was the word "text"
        (None, "not None"),
        (5, "not int"),
        (_STORM[0].encode(), "not bytes"),
    ],
)
def test_summarize_refuses_what_is_not_a_list_of_articles(given, message):
    from newsweave.errors import InputError

    with pytest.raises(
        InputError, match=r"^articles must be a list of texts, .*" + re.escape(message)
    ):
        summarize(given, embedder="tfidf")


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (None, r"^article 2: expected a text, a dict with 'text' or an Article, not None$"),
        (b"Storms hit the coast.", r"^article 2: bytes, not text: decode it first"),
        (Path("story.txt"), r"^article 2: a path \(story.txt\), not a text: read files with "),
        (Article(1, _STORM[1]), r"^article 2: Article.id must be a non-empty string, not 1$"),
        (Article("b", None), r"^article 2 \(b\): Article.text must be a string, not None$"),
        (Article("b", _STORM[1], title=3), r"^article 2 \(b\): Article.title must be a string"),
        (Article("b", "Storms \ud83d hit."), r"^article 2 \(b\): the text holds a lone surrogate"),
        (Article("b", "Storms hit.\x00 More."), r"^article 2 \(b\): the text holds NUL characters"),
        (Article("b", _STORM[1], outlet="W\x00"), r"^article 2 \(b\): the 'outlet' holds NUL"),
        (Article("b\x00", _STORM[1]), r"^article 2: the 'id' holds NUL characters"),
    ],
)
def test_summarize_names_the_item_that_is_not_an_article(item, message):
    from newsweave.errors import InputError

    with pytest.raises(InputError, match=message):
        summarize([_STORM[0], item], embedder="tfidf")


def test_a_cluster_from_load_inputs_is_refused_with_what_to_pass():
    from newsweave.errors import InputError
    from newsweave.ingest import load_inputs

    clusters = load_inputs([str(Path(__file__).parents[1] / "newsweave" / "data" / "sample")])
    with pytest.raises(InputError, match=r"not a Cluster: pass cluster\.articles$"):
        summarize(clusters[0], embedder="tfidf")  # was "... not Cluster"
    with pytest.raises(InputError, match=r"^article 1: a Cluster, not an article: summarise each"):
        summarize(clusters, embedder="tfidf")
    assert summarize(clusters[0].articles, embedder="tfidf").summary


def test_summarize_reads_a_generator_once_and_mixes_records_and_texts():
    arts = [Article("a2", _STORM[0])]
    # a generator of records used to be consumed by a type check: "no articles given"
    report = summarize((a for a in arts + [Article("b", _STORM[1])]), embedder="tfidf")
    assert [a.id for a in report.articles] == ["a2", "b"]
    # records and texts together: the text keeps its positional id, made unique
    report = summarize([_STORM[0], Article("a1", _STORM[1])], embedder="tfidf")
    assert [a.id for a in report.articles] == ["a1-2", "a1"]
    assert report.article("a1-2").origin == "api"


def test_a_numeric_story_id_is_written_as_the_schema_string():
    import json

    import jsonschema

    from newsweave.render import load_schema, render

    report = summarize(_STORM, story_id=42, embedder="tfidf")  # a stored story's number
    data = json.loads(render(report, "json"))
    assert data["id"] == "42"  # was the number 42, off the schema (string or null)
    jsonschema.validate(data, load_schema())


@pytest.mark.parametrize("limit", ["10", 0, -5, 1.5, None])
def test_a_story_limit_that_is_not_a_positive_number_is_an_input_error(limit):
    from newsweave.errors import InputError

    # "10" raised TypeError ('>' not supported), 0 refused every story as too long
    with pytest.raises(InputError, match=r"^max_chars must be a positive number of characters"):
        summarize(_STORM, max_chars=limit, embedder="tfidf")


def test_an_article_cleaning_leaves_empty_is_not_an_independent_account():
    """A page of site notices ('Tweet with a location...') beside two real
    articles made the header say '3 independent accounts'."""
    notice = (
        "Tweet with a location\n\nYou can add location information to your Tweets, such as "
        "your city or precise location, from the web and via third-party applications.\n"
    )
    report = summarize([_STORM[0], _STORM[1], notice], length="2s", embedder="tfidf")
    assert len(report.articles) == 3 and report.meta["accounts"] == 2


def test_eligible_tests_a_text_once_and_still_checks_its_length(monkeypatch):
    import importlib

    sm = importlib.import_module("newsweave.summarize")  # (the package exports a function)
    seen: list[str] = []
    real = sm.classify_line
    monkeypatch.setattr(sm, "classify_line", lambda t: seen.append(t) or real(t))
    sm._stands_alone.cache_clear()
    text = "The council approved the new budget on Tuesday after a long debate."
    params = sm.Params()
    assert sm.eligible(text, params) and sm.eligible(text, params)
    assert seen == [text]  # the second time from the cache
    assert not sm.eligible(text, sm.Params(max_words=5))  # length is not cached
    assert not sm.eligible("Click here to subscribe to our newsletter today.", params)
    sm._stands_alone.cache_clear()


def test_summarize_shingles_each_article_once(monkeypatch):
    """Wire copies (mark_duplicates) and near-identical copies (copies) share
    one set of shingles per article: making them twice cost ~13 ms a story."""
    from newsweave import dedup

    calls: list[str] = []
    real = dedup._shingles

    def counted(article, k=5):
        calls.append(article.id)
        return real(article, k)

    monkeypatch.setattr(dedup, "_shingles", counted)
    text = "The council met on Monday. It approved the new budget for schools and parks."
    rep = summarize(
        [Article("a", text), Article("b", text + " The mayor agreed.")], embedder="tfidf"
    )
    assert sorted(calls) == ["a", "b"]
    assert rep.summary


def test_a_sentence_that_leans_back_follows_the_one_naming_its_antecedent():
    from newsweave.reading import _after_named_antecedents as named

    ds = _sents(
        ("a", 0, "The latest No. 1 for Rihanna is a special one."),
        ("a", 1, "It marks her 20th No. 1 on the chart."),
        ("a", 2, "She steps ahead of Janet Jackson."),
        ("b", 0, "Sales of dance singles rose this year."),
        ("b", 1, "Rihanna topped the chart again this week."),
        ("b", 2, "It was her third week on top."),
        ("c", 1, "He was cleared of seven other charges."),
        ("c", 0, "Charges against Cardona were read out."),
        ("a", 5, "Stores sold out of her albums."),
    )
    # a#0 is not chosen: "It marks her..." and its "She" go after b's
    # sentence naming Rihanna and the one leaning on it, not before them
    assert named(ds, [1, 2, 3, 4, 5]) == [3, 4, 5, 1, 2]
    # nothing chosen names Cardona: "He was cleared" stays where it was
    assert named(ds, [6, 3, 4]) == [6, 3, 4]
    # already named earlier: stays
    assert named(ds, [4, 1, 3]) == [4, 1, 3]
    # never past a later sentence of its own article
    assert named(ds, [1, 3, 8, 4]) == [1, 3, 8, 4]
