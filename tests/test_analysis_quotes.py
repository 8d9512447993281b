"""Quotes and their speakers on real-world punctuation and sentence shapes."""

from __future__ import annotations

import pytest

from newsweave.analysis import analyze
from newsweave.analysis.marks import is_title
from newsweave.analysis.quotes import quote_segments
from newsweave.records import Article


@pytest.fixture(scope="module")
def prep(analysis_prepare):
    return analysis_prepare


def _texts(text: str) -> list[str]:
    segs, _open = quote_segments(text, False)
    return [text[a:b] for a, b in segs]


def _analyze(prep, texts: list[str]) -> dict:
    """The analysis of a story made of ``texts`` (articles a0, a1...)."""
    return analyze(prep([Article(id=f"a{n}", text=t) for n, t in enumerate(texts)]))


def _direct(prep, texts: list[str]) -> tuple[dict, dict[str, dict]]:
    """The analysis of ``texts`` and its direct quotes by text."""
    r = _analyze(prep, texts)
    return r, {q["text"]: q for q in r["quotes"] if q["kind"] == "direct"}


def test_wire_style_quotation_marks_are_quotes():
    # AP and NYT copy (DUC, Gigaword) writes ``...'' for quotation marks
    assert _texts("He said ``we will win the war.'' Then he left.") == ["we will win the war."]
    nested = "``I said to myself, `Maybe this will save my life,''' he recounted."
    assert _texts(nested) == ["I said to myself, `Maybe this will save my life,'"]
    assert quote_segments("He said ``we will", False) == ([(10, 17)], True)
    assert quote_segments("the end of it.'' he said", True) == ([(0, 14)], False)
    assert _texts("the rock'n'roll band's ''odd'' name") == []  # no opening backticks


def test_wire_style_quotes_get_their_speaker_not_a_pronoun_inside(prep):
    texts = [
        "JERUSALEM (AP) _ A car bomb exploded in a crowded market on Friday, police said. "
        "``I said to myself, `Maybe this will save my life,''' shopkeeper Yair Cohen "
        "said later at the hospital. "
        "``We will not stop the peace process because of this attack,'' Prime Minister "
        "Benjamin Netanyahu told reporters.",
        "A car bomb went off in a crowded Jerusalem market on Friday, police said. "
        "Two assailants died in the blast, officials said.",
    ]
    r = _analyze(prep, texts)
    direct = {q["text"]: q["speaker_name"] for q in r["quotes"] if q["kind"] == "direct"}
    assert direct["I said to myself, `Maybe this will save my life,'"] == "Yair Cohen"
    assert (
        direct["We will not stop the peace process because of this attack,"] == "Benjamin Netanyahu"
    )
    speakers = {sp["name"] for sp in r["speakers"]}
    assert not speakers & {"I", "we", "We"}


def test_a_relative_pronoun_speaker_is_the_noun_it_stands_for(prep):
    texts = [
        "A bulletin board for the families of the crash victims opened on Monday. "
        "``You have to have a 13-year-old,'' said Tom Gerety, who is a public defender "
        "in Connecticut and said he could not have set up the bulletin board on his own. "
        "The families were joined by an unnamed source close to the airline, who said "
        "that the investigation would take months. "
        "The call was taken up by leftist politicians in the Italian parliament, who "
        "asked the government to open an inquiry into the crash.",
        "A bulletin board for the families of the crash victims opened on Monday, "
        "its founder said.",
    ]
    r = _analyze(prep, texts)
    by_text = {q["text"]: q for q in r["quotes"]}
    q = by_text["he could not have set up the bulletin board on his own"]
    assert q["speaker_name"] == "Tom Gerety"
    assert q["evidence"][0]["speaker_mention"]["text"] == "Tom Gerety"
    q = by_text["the investigation would take months"]
    assert q["speaker_name"].startswith("unnamed source")
    q = by_text["the government to open an inquiry into the crash"]
    assert q["speaker_name"] == "leftist politicians"
    assert not any(sp["name"].lower() in ("who", "which") for sp in r["speakers"])


def test_two_quotes_of_two_speakers_in_one_sentence(prep):
    texts = [
        # Wikinews (TAC 2011 MultiLing, CC BY 2.5)
        "Ray Cooper, uncle to Royal Marine Adam Sperry one of the fifteen captured, said that "
        'this is "the best present imaginable. Whoever has been in the right or wrong, the '
        "whole thing has been a political mess, so let's just get them home\", whilst his "
        "grandmother, Margaret Sperry, said that \"I don't think I would have ever gone out "
        'of the door again if anything had happened to him."\n\n'
        '"We will rebuild every house in this town," the mayor said, but a resident, Anna '
        'Kovacs, replied: "Nobody here believes that promise anymore."\n\n'
        '"The water rose faster than anyone expected," Kovacs said, "and the sirens never '
        'sounded at all."',
        "The fifteen sailors were freed on Wednesday, and the town was flooded on Monday.",
    ]
    r, direct = _direct(prep, texts)
    first = next(q for t, q in direct.items() if t.startswith("the best present imaginable"))
    second = next(q for t, q in direct.items() if t.startswith("I don't think"))
    assert first["speaker_name"] == "Ray Cooper"
    assert second["speaker_name"] == "Margaret Sperry"
    assert second["evidence"][0]["speaker_mention"]["text"] == "his grandmother"
    assert direct["We will rebuild every house in this town,"]["speaker_name"] == "mayor"
    assert direct["Nobody here believes that promise anymore."]["speaker_name"] == "Anna Kovacs"
    # one speaker, one quotation in two parts: both are hers
    assert direct["The water rose faster than anyone expected,"]["speaker_name"] == "Anna Kovacs"
    assert direct["and the sirens never sounded at all."]["speaker_name"] == "Anna Kovacs"


def test_quote_spans_are_trimmed_of_any_whitespace_and_text_is_the_evidence(prep):
    # a no-break space or thin space inside the quotation marks (French-style
    # typography, web copy) is whitespace: no evidence span starts or ends
    # with it, and the quote's text is the words of its first evidence span
    texts = [
        "Officials in Zurich said on Monday that the cafe rules would stand.\n\n"
        "\u201c\u00a0We will lose half our customers\u00a0\u201d, said Renee Muller, who runs "
        "a cafe near the lake.\n\n"
        '"\u2009It is a disaster for the whole street and the city\u2009," Muller told '
        "reporters on Tuesday.",
        "The Zurich council voted 7 to 2 for the cafe rules on Friday, a spokesman said.",
    ]
    r = _analyze(prep, texts)
    spans = [e[key] for q in r["quotes"] for e in q["evidence"] for key in ("quote", "sentence")]
    assert spans
    for sp in spans:
        assert sp["text"] == texts[int(sp["article"][1:])][sp["start"] : sp["end"]]
        assert sp["text"] == sp["text"].strip()
    by_text = {q["text"]: q for q in r["quotes"]}
    assert "We will lose half our customers" in by_text
    for q in r["quotes"]:
        assert q["text"] == q["evidence"][0]["quote"]["text"]


def test_a_subject_inside_the_quotation_does_not_hide_the_named_speaker(prep):
    # DUC 2003 (NYT): the parser also hangs the quotation's "someone" on "said"
    # as a subject; the speaker is the one named after the verb, and "He" in the
    # next sentence is him
    texts = [
        "Thousands of pilgrims crowded the hill for the beatification on Saturday.\n\n"
        "``It is good to have a saint of our own, someone to speak to God for us,'' said "
        "Kruno Cabraka, 20, a Zagreb student who arrived at 2 a.m. to see the pope. He "
        "shrugged off the complaints of minorities: ``We don't care about their saints. "
        "Why should they care about ours?''",
        "The pope beatified the cardinal before a crowd of pilgrims on Saturday.",
    ]
    r, direct = _direct(prep, texts)
    first = direct["It is good to have a saint of our own, someone to speak to God for us,"]
    assert first["speaker_name"] == "Kruno Cabraka"
    assert first["evidence"][0]["speaker_mention"]["text"].startswith("Kruno Cabraka")
    second = next(q for t, q in direct.items() if t.startswith("We don't care"))
    assert second["speaker_name"] == "Kruno Cabraka"


def test_a_quotation_closed_inside_its_sentence_is_not_given_the_next_speaker(prep):
    # Multi-News (The Daily Beast): a scare quote in narration is not the words
    # of the spokesperson quoted in the next paragraph
    texts = [
        "In an interview with The New York Times published Thursday night, McHugh accused "
        "\u201cthe very highest levels of NBC\u201d of later stopping the reporting.\n\n"
        "\u201cThere was not one single victim or witness to misconduct who was willing to "
        "go on the record. Not one,\u201d the spokesperson told The Daily Beast.",
        "NBC News said the story was not ready to run when the reporter left the network.",
    ]
    r, direct = _direct(prep, texts)
    scare = direct["the very highest levels of NBC"]
    assert scare["speaker_name"] != "spokesperson"
    assert scare["evidence"][0]["speaker_resolved_by"] != "next quote"
    spoken = next(q for t, q in direct.items() if t.startswith("There was not one"))
    assert spoken["speaker_name"] == "spokesperson"


def test_a_listed_subject_is_not_the_antecedent_of_he(prep):
    # DUC 2003 d30017 (AP): the tagger reads "Zadar" as a person, but a subject
    # listed with others is several things, not the "he" who speaks next
    texts = [
        "``It is an urgent task, for without values there can be no true freedom or "
        "democracy,'' John Paul said. Split was untouched by the fighting, but Zadar, "
        "Sibenik and Dubrovnik along the Dalmatian Coast were both heavily damaged. "
        "Dubrovnik suffered damage to some of its art and cultural treasures. The pope "
        "mentioned this in his homily. ``The eye of man can no longer rejoice in them,'' he "
        "said of losses to architectural masterpieces.",
        "Pope John Paul II visited Split on Sunday.",
    ]
    r, direct = _direct(prep, texts)
    q = direct["The eye of man can no longer rejoice in them,"]
    assert q["speaker_name"] == "John Paul II"
    assert "Zadar" not in {sp["name"] for sp in r["speakers"]}


def test_he_is_not_a_speaker_referred_to_as_she_nor_a_group(prep):
    # DUC 2003 d30024 (AP): "he" went to "a young woman" ("she" two sentences
    # before) because "voter" was not a word for a person; the voter is named
    # after the place he voted at
    texts = [
        "A young woman who gave only her first name, Arezou, said she was also alienated "
        "from the polls. ``The behavior of the Council of Guardians was very insulting to "
        "us,'' she said. An election observer in western Tehran said many voters had cast "
        "empty ballot papers. However, a voter in Tehran's Enqelab Square, Saeid Kazami, "
        "41, said he had cast his ballot mainly for hard-line candidates. ``We know that "
        "the revolution will have no problem if they are in charge,'' he said.",
        "Ali Rezaei, a shopkeeper, said the vote was fair. A young woman said she was "
        "alienated from the polls, and some voters said the outcome was decided. ``We know "
        "that nothing will change for people like us,'' he said.",
        "Iranians voted on Friday for the Assembly of Experts.",
    ]
    r, direct = _direct(prep, texts)
    q = direct["We know that the revolution will have no problem if they are in charge,"]
    assert q["speaker_name"] == "Saeid Kazami"
    assert q["evidence"][0]["speaker_resolved_by"] == "pronoun"
    assert direct["The behavior of the Council of Guardians was very insulting to us,"][
        "speaker_name"
    ] == ("young woman")
    q = direct["We know that nothing will change for people like us,"]
    assert q["speaker_name"] == "Ali Rezaei"
    woman = next(sp for sp in r["speakers"] if sp["name"] == "young woman")
    assert "he" not in woman["aliases"]


def test_the_job_title_of_a_speaker_named_after_the_verb_is_not_reported_speech(prep):
    # Multi-News (NYT): the parser reads "lead" as a verb hung on "said"
    texts = [
        "\u201cWe were actually able to say being a victim of bullying is having an effect a "
        "decade later, above and beyond other psychiatric problems in childhood and other "
        "adversities,\u201d said William E. Copeland, lead author of the study and an "
        "associate professor of psychiatry and behavioral sciences at Duke University "
        "Medical Center.",
        "Bullied children suffer lasting harm, a study by Duke University found.",
    ]
    r = _analyze(prep, texts)
    assert [q["kind"] for q in r["quotes"]] == ["direct"]
    assert r["quotes"][0]["speaker_name"] == "William E. Copeland"
    assert not any(q["text"].startswith("lead author") for q in r["quotes"])


def test_a_shouted_quotation_is_the_shouters_not_the_last_speakers(prep):
    # DUC 2003 d30003 (AP): shouting is speaking; the slogan went to the
    # woman quoted two sentences before
    texts = [
        "``They should all be thrown out of the country,'' an older woman shouted. "
        "Police pushed the crowd back. "
        "``Death to Arabs! Death to Arafat!'' a dozen or more demonstrators shouted from "
        "behind the police barricades.",
        "A car bomb exploded in a Jerusalem market on Friday, police said.",
    ]
    r, direct = _direct(prep, texts)
    q = direct["Death to Arabs! Death to Arafat!"]
    assert q["speaker_name"] == "a dozen or more demonstrators"
    assert q["evidence"][0]["speaker_resolved_by"] is None
    assert direct["They should all be thrown out of the country,"]["speaker_name"] == (
        "older woman"
    )


def test_a_speaker_quoted_too_briefly_to_list_keeps_the_next_quotations(prep):
    # Multi-News (The Daily Beast): the two-word quotation is not listed, but
    # the next three quoted sentences are still the spokesperson's
    texts = [
        "A spokesperson for NBC News, speaking on the condition of anonymity, vigorously "
        "denied those allegations. \u201cAbsolutely false,\u201d the spokesperson told The "
        "Daily Beast. \u201cThere\u2019s no truth to that at all. There is no chance that "
        "Susan Weiner would tell Ronan Farrow what he could or could not report on.",
        "NBC News said the story was not ready to run when the reporter left the network.",
    ]
    r, direct = _direct(prep, texts)
    assert "Absolutely false," not in direct
    q = direct["There\u2019s no truth to that at all."]
    assert q["speaker_name"] == "spokesperson for NBC News"
    assert q["evidence"][0]["speaker_resolved_by"] == "recent speaker"
    q = next(q for t, q in direct.items() if t.startswith("There is no chance"))
    assert q["speaker_name"] == "spokesperson for NBC News"


def test_according_to_a_quotation_is_a_direct_quote_only(prep):
    # Multi-News (Politico): the clause "according to" supports is in quotation
    # marks; it was listed again as a reported fragment of the same source
    texts = [
        "Boehner\u2019s position is \u201che can\u2019t cut a deal with Reid. If he did, our "
        "guys would go nuts,\u201d according to a Republican source. Troops will leave the "
        "city by Friday, according to a senior Pentagon official.",
        "The three top leaders in Congress met privately on Wednesday evening.",
    ]
    r = _analyze(prep, texts)
    kinds = {q["text"]: (q["kind"], q["speaker_name"]) for q in r["quotes"]}
    quoted = "he can\u2019t cut a deal with Reid. If he did, our guys would go nuts,"
    assert kinds[quoted] == ("direct", "Republican source")
    assert kinds["Troops will leave the city by Friday"] == ("reported", "senior Pentagon official")
    assert len(r["quotes"]) == 2


def test_plural_description_is_not_the_one_person_whose_role_has_its_word(prep):
    # Multi-News (AP): "The U.S. researchers" went to the study's lead
    # researcher, and "They" after it had no speaker
    texts = [
        "\u201cWe were surprised at how profoundly bullying affects a person\u2019s long-term "
        "functioning,\u201d said the lead researcher, William E. Copeland. The U.S. "
        "researchers said their new study is the most definitive to date. They said they "
        "used a much richer data set than the Finnish researchers.",
        "Bullied children suffer lasting harm, a study by Duke University found.",
    ]
    r = _analyze(prep, texts)
    by_text = {q["text"]: q for q in r["quotes"]}
    first = by_text["We were surprised at how profoundly bullying affects a person\u2019s long-term "
                    "functioning,"]  # fmt: skip
    assert first["speaker_name"] == "William E. Copeland"
    q = next(q for t, q in by_text.items() if t.startswith("their new study"))
    assert q["speaker_name"] == "U.S. researchers"
    q = next(q for t, q in by_text.items() if t.startswith("they used"))
    assert q["speaker_name"] == "U.S. researchers"
    assert q["evidence"][0]["speaker_resolved_by"] == "pronoun"


def test_of_two_subjects_of_a_speech_verb_the_one_after_it_speaks(prep):
    # Multi-News (Radar Online): the parser hangs both "wife" and "the Chicago
    # Sun-Times" on "reports" as subjects; the report was given to Tiger Woods
    texts = [
        "Tiger Woods asked for her phone number, porn star Devon James said on Monday. "
        "That new tales of his infidelities are still emerging has Woods' wife, Elin, "
        "furious, reports the Chicago Sun-Times.",
        "Tiger Woods will play the Masters next month, his agent said.",
    ]
    r = _analyze(prep, texts)
    q = next(q for q in r["quotes"] if "infidelities" in q["text"])
    assert q["speaker_name"] == "Chicago Sun-Times"
    assert q["evidence"][0]["speaker_mention"]["text"] == "the Chicago Sun-Times"
    woods = [sp for sp in r["speakers"] if sp["name"] == "Tiger Woods"]
    assert not woods or woods[0]["quotes"] == 0


def test_the_person_named_in_apposition_speaks_not_the_one_owning_the_subject(prep):
    texts = [
        "Tiger Woods crashed his car outside his home on Friday, police said. Tiger Woods' "
        "wife, Elin Nordegren, said she was furious about the reports. A Pentagon "
        "spokesman, John Kirby, said the base was not involved.",
        "Tiger Woods will play the Masters next month, his agent said.",
    ]
    r = _analyze(prep, texts)
    by_text = {q["text"]: q for q in r["quotes"]}
    q = by_text["she was furious about the reports"]
    assert q["speaker_name"] == "Elin Nordegren"
    assert q["evidence"][0]["speaker_mention"]["text"] == "Tiger Woods' wife"
    assert by_text["the base was not involved"]["speaker_name"] == "John Kirby"


def test_the_pope_and_the_pontiff_are_the_named_pope(prep):
    # DUC 2003 d30017: "The pope" opens an article that names John Paul II only
    # later (and another article names him first); "the pontiff" is his title too
    texts = [
        "The pope said the cardinal's life was a continual succession of trials for "
        "his people. Pope John Paul II said he would pray for the victims of the war.",
        "Pope John Paul II beatified the cardinal on Saturday. ``After long years of "
        "dictatorship, it is now necessary to make every effort to construct a "
        "democracy,'' said the pontiff.",
    ]
    r = _analyze(prep, texts)
    by_text = {q["text"]: q for q in r["quotes"]}
    q = next(q for t, q in by_text.items() if t.startswith("the cardinal's life"))
    assert q["speaker_name"] == "John Paul II"
    assert q["evidence"][0]["speaker_resolved_by"] == "definite description"
    q = next(q for t, q in by_text.items() if t.startswith("After long years"))
    assert q["speaker_name"] == "John Paul II"
    names = {sp["name"] for sp in r["speakers"]}
    assert not names & {"pope", "pontiff"}


def test_a_quotation_of_many_sentences_is_whole_and_the_narration_after_it_is_not(prep):
    # TAC 2011 M0026: six quoted sentences, then '," said Major David Gell'; the
    # fifth was dropped (the quote was closed after four sentences) and the words
    # after the closing mark ("said Major David Gell, ...") were taken for a quote
    assert quote_segments('fired in the air," said Major David Gell.', False) == (
        [(0, 17)],
        False,
    )
    text = (
        "Britain stated that the incident did take place.\n\n"
        '"A vehicle approached the rear of one of our convoys. A number of rounds were '
        "fired. The vehicles returned fire. Nobody dismounted and the vehicle disappeared. "
        "There is absolutely no linkage with the location other than geographical "
        'coincidence. There was no encirclement and no rounds were fired in the air," '
        "said Major David Gell, a spokesman for the British forces in Basra."
    )
    r, direct = _direct(prep, [text])
    assert not any(t.startswith("said Major") for t in direct)
    assert (
        "There is absolutely no linkage with the location other than geographical coincidence."
        in direct
    )
    last = direct["There was no encirclement and no rounds were fired in the air,"]
    assert last["speaker_name"] == "David Gell"
    # all of it is his, not Britain's (quoted the sentence before): he is named
    # where the quotation closes
    first = direct["A vehicle approached the rear of one of our convoys."]
    assert first["speaker_name"] == "David Gell"
    assert first["evidence"][0]["speaker_resolved_by"] == "next quote"
    for q in r["quotes"]:
        for ev in q["evidence"]:
            span = ev["quote"]
            assert text[span["start"] : span["end"]] == span["text"]


def test_reported_speech_opening_with_a_possessive_date_keeps_it(prep):
    # DUC 2003 d30005 (NYT): the leading "Friday" was dropped as if it dated the
    # speech verb, leaving the quote "'s development should put to rest ..."
    text = (
        "Friday's development should put to rest earlier reports that a water tanker "
        "had carried the bomb, an investigator said. Police said on Monday the driver "
        "had died in the attack."
    )
    r = _analyze(prep, [text])
    reported = {q["text"] for q in r["quotes"] if q["kind"] == "reported"}
    assert any(t.startswith("Friday's development should put to rest") for t in reported)
    assert not any(t.startswith("'s") for t in reported)
    assert any(t.startswith("the driver had died") for t in reported)  # "on Monday" still dropped


def test_unattributed_quotes_of_different_facts_are_not_compared(monkeypatch):
    from types import SimpleNamespace

    from rapidfuzz import fuzz

    from newsweave.analysis import quotes
    from newsweave.analysis.nlp import Parsed
    from newsweave.records import Sentence

    said = '"The bridge will reopen next spring," a notice read.'
    sents = [
        Sentence(id=f"a{n}#0", article_id=f"a{n}", index=0, start=0, end=len(said), text=said)
        for n in range(3)
    ]
    fact_of = {"a0#0": 0, "a1#0": 0, "a2#0": 1}  # a2 carries it in another fact
    ds = SimpleNamespace(sentences=sents, alignment=SimpleNamespace(fact_of=fact_of))
    parsed = Parsed(ds, [])
    q = [quotes.Quote(k, "direct", 1, 35, None, None) for k in range(3)]
    compared: list[str] = []
    ratio = fuzz.token_set_ratio
    monkeypatch.setattr(fuzz, "token_set_ratio", lambda a, b: compared.append(a) or ratio(a, b))
    assert quotes._same_quote(parsed, q[0], q[1]) and len(compared) == 1
    assert not quotes._same_quote(parsed, q[0], q[2]) and len(compared) == 1  # no ratio taken
    rows, _ = quotes.build(parsed, q, [])
    assert [r["sources"] for r in rows] == [["a0", "a1"], ["a2"]]


def test_a_speakers_role_keeps_the_dots_of_its_abbreviations(prep):
    # Wikinews (TAC 2011 M0071): the role read "Lt . Col . military spokesman"
    texts = [
        "Lt. Col. Barry Johnson, military spokesman, says \"Clearly there's a lot of emotion "
        'attached to Abu Ghraib."',
        "The prison will be closed within months, officials said.",
    ]
    r = _analyze(prep, texts)
    (sp,) = [s for s in r["speakers"] if s["name"] == "Barry Johnson"]
    assert sp["role"] == "Lt. Col. military spokesman"


def test_titles_of_works_in_quotation_marks_are_not_quotes(prep):
    # Multi-News val-020, val-082, val-086: song and show titles were listed as
    # quotes (one given to the last speaker quoted)
    assert is_title("Keys to the Highway") and is_title("Only Girl (In the World),")
    assert is_title("State of the Union.")
    assert not is_title("Death to Arabs! Death to Arafat!")  # chanted
    assert not is_title("WE WANT OUR JOBS BACK")  # shouted
    assert not is_title("It was a particularly prolific time,")
    r, direct = _direct(
        prep,
        [
            "Gov. Mary Fallin spoke on Sunday. "
            '"What I need is the ability to get through red tape," she said on CNN\'s '
            '"State of the Union." There\'s the blues standard “Keys to the Highway” from 1970.',
            "Oklahoma Gov. Mary Fallin said Sunday she is encouraged by the federal response.",
        ],
    )
    assert list(direct) == ["What I need is the ability to get through red tape,"]
    assert direct["What I need is the ability to get through red tape,"]["speaker_name"] == (
        "Mary Fallin"
    )


def test_what_a_speaker_was_asked_is_not_what_he_said(prep):
    # Multi-News val-086: 'when asked if the Senate was broken' was Dole's reported speech
    r = _analyze(
        prep,
        [
            "Former Senate Majority Leader Bob Dole spoke on Sunday. "
            '"It\'s bent pretty badly," he said when asked if the Senate was broken.',
            "Bob Dole said Congress is in trouble.",
        ],
    )
    assert sorted((q["kind"], q["text"], q["speaker_name"]) for q in r["quotes"]) == [
        ("direct", "It's bent pretty badly,", "Bob Dole"),
        ("reported", "Congress is in trouble", "Bob Dole"),
    ]


def test_according_to_on_a_speech_verb_is_not_a_quote_of_the_outlet(prep):
    # Multi-News val-001: 'fan Jordan Deuschleman asked' was a quote of the AP
    r, direct = _direct(
        prep,
        [
            "The Rockies misspelled a name on their jerseys. "
            '"Is there something wrong with it?" fan Jordan Deuschleman asked, '
            "according to the Associated Press.",
            "The Rockies said fans can exchange the jerseys later.",
        ],
    )
    assert direct["Is there something wrong with it?"]["speaker_name"] == "Jordan Deuschleman"
    assert [q["text"] for q in r["quotes"] if q["speaker_name"] == "Associated Press"] == []


def test_narration_before_a_quotation_said_after_it_is_not_reported_speech(prep):
    # DUC d30016 (AP), Multi-News val-020: the narration and the other speech verb
    # before '``...,'' he said' were his reported speech, and hid his quotation
    r, direct = _direct(
        prep,
        [
            "Though the final report is probably more than a year away, Bouchard said the "
            "safety board would issue provisional recommendations at any point when "
            "investigators felt they had detected a safety hazard, ``We will do everything "
            "we can to reduce risks associated with flying,'' he said.",
            "Jimmy Page talked about the reissues. That said, it's not as if laying the songs "
            "bare has exposed an essential weakness in their sound: “It's undeniable that "
            "we're good,” he said.",
        ],
    )
    reported = [q["text"] for q in r["quotes"] if q["kind"] == "reported"]
    assert reported == [
        "the safety board would issue provisional recommendations at any point when "
        "investigators felt they had detected a safety hazard"
    ]
    assert (
        direct["We will do everything we can to reduce risks associated with flying,"][
            "speaker_name"
        ]
        == "Bouchard"
    )
    assert direct["It's undeniable that we're good,"]["speaker_name"] == "Jimmy Page"


def test_a_press_release_is_not_the_place_named_in_it(prep):
    # DUC d30020 (AP): 'said a press release from the organizing committee of the
    # games in Bangkok' made Bangkok, a place, the speaker
    r = _analyze(
        prep,
        [
            "Thailand expects 39 teams at the Asian Games in Bangkok. Only Afghanistan is "
            "certain not to participate, said a press release from the organizing committee "
            "of the Dec. 6-20 games in Bangkok.",
            "Thailand expects 39 teams at the Asian Games, organizers said.",
        ],
    )
    (q,) = [q for q in r["quotes"] if q["text"] == "Only Afghanistan is certain not to participate"]
    assert q["speaker_name"] != "Bangkok"
    assert [s["kind"] for s in r["speakers"] if s["id"] == q["speaker"]] == ["unnamed"]


def test_a_quotation_closed_at_the_end_of_its_sentence_is_not_the_next_speakers(prep):
    # Multi-News val-126: Chris Wallace's question, closed at the end of its
    # sentence, went to Kellyanne Conway, who answered in the next sentence
    r, direct = _direct(
        prep,
        [
            "Host Chris Wallace broached the subject of the confrontation first: “I want to "
            "ask you about two responses by the White House.” “Well, Chris, first of all,” "
            "Conway responded, “what do you mean by edited?”",
            "Kellyanne Conway defended the White House on Sunday, the network said.",
        ],
    )
    assert direct["I want to ask you about two responses by the White House."]["speaker"] is None
    assert direct["Well, Chris, first of all,"]["speaker_name"] == "Kellyanne Conway"
    # a quotation left open at the end of its sentence still goes on to its speaker
    _r, direct = _direct(
        prep,
        [
            '"A plane saw a fire near the runway. This was a plane that landed today," '
            "said Jose Alencar.",
            "Jose Alencar said a plane had landed.",
        ],
    )
    assert {q["speaker_name"] for q in direct.values()} == {"Jose Alencar"}


def test_reported_speech_stops_before_another_speech_hung_in_it(prep):
    # Multi-News val-126, val-117: 'telling reporters' and 'while the record label
    # said ...' were part of the first speaker's reported speech
    r = _analyze(
        prep,
        [
            "Donald Trump on Friday repeatedly claimed that he did not personally know "
            "Whitaker, telling reporters, “I don’t know Whitaker.” MTV said Universal Music "
            "Latin Entertainment didn't submit the video, while the record label said they "
            "weren't asked to send in the clip.",
            "Pink said her daughter recently told her that she looked like a boy.",
        ],
    )
    reported = {q["text"]: q["speaker_name"] for q in r["quotes"] if q["kind"] == "reported"}
    assert reported["he did not personally know Whitaker"] == "Donald Trump"
    assert reported["Universal Music Latin Entertainment didn't submit the video"] == "MTV"
    assert reported["they weren't asked to send in the clip"] == "record label"
    # a speech reported inside the reported clause stays in it
    assert reported["her daughter recently told her that she looked like a boy"] == "Pink"


def test_what_no_one_says_is_nobodys_quote(prep):
    # Multi-News val-126: 'no one is saying they "put somebody else's arm" in the
    # video' was a quote of a speaker called "one"
    r = _analyze(
        prep,
        [
            "Kellyanne Conway spoke on Sunday. Third, no one is saying they put somebody "
            "else's arm in the video. Nobody said the vote would be easy.",
            "Kellyanne Conway said the video was not doctored.",
        ],
    )
    assert [q["text"] for q in r["quotes"]] == ["the video was not doctored"]
    assert [s["name"] for s in r["speakers"]] == ["Kellyanne Conway"]


def test_an_honorific_with_a_dot_is_not_a_role(prep):
    # Multi-News val-185 (NYT style): 'Mr. Parr said' gave Mike Parr the role "Mr."
    r = _analyze(
        prep,
        [
            "Mike Parr is an artist. Mr. Parr said last week that he could not be an "
            "independent artist if he always had to ask permission.",
            "Ms. Tracey Gray said the road would reopen on Monday.",
        ],
    )
    roles = {s["name"]: s["role"] for s in r["speakers"]}
    assert roles == {"Mike Parr": None, "Tracey Gray": None}


def test_a_quotation_opened_again_starts_after_its_mark():
    # DUC d30016, d30044 (AP): a quotation left open and opened again by the next
    # sentence kept the opening mark in its text and offsets
    text = "``Maybe writing to you all is a good way to deal with it.''"
    assert quote_segments(text, True) == ([(2, len(text) - 2)], False)
    assert _texts("He said: ``We will win.''") == ["We will win."]
    text = "“I call on our people to watch developments closely.”"
    segs, still_open = quote_segments(text, True)
    assert [text[a:b] for a, b in segs] == ["I call on our people to watch developments closely."]
    assert not still_open
    assert quote_segments("we will not give up.'' Then he left.", True) == ([(0, 20)], False)


def test_the_body_a_spokesperson_speaks_for_is_not_the_spokesperson(prep):
    # DUC d30016 (AP): "the airline announced" went to the airline's spokeswoman,
    # her role "spokeswoman for airline" holding the word "airline"
    r = _analyze(
        prep,
        [
            "Swissair is a Swiss airline. Jackie Pash, a spokeswoman for the airline, said "
            "the flight was routine. Last week, the airline announced it was switching off "
            "the entertainment system on its planes.",
            "Nicolas Sarkozy, the French president, said the talks would resume. "
            "The president said Europe would act.",
        ],
    )
    speakers = {q["text"]: q["speaker_name"] for q in r["quotes"]}
    assert speakers["it was switching off the entertainment system on its planes"] != (
        "Jackie Pash"
    )
    assert speakers["Europe would act"] == "Nicolas Sarkozy"  # a title still refers back


def test_the_one_quoted_as_saying_is_the_speaker(prep):
    # DUC d30020, d30016 (AP): '"...," the newspaper quoted Zhang Xiong as saying' and
    # '"...," Chen was quoted as saying' went to the last speaker, the newspaper
    r, direct = _direct(
        prep,
        [
            "China hopes to win gold in the pool, the China Daily said. ``We excel in "
            "freestyle and relay events, but we are weaker in backstroke,'' the newspaper "
            "quoted Zhang Xiong, the national team's head coach, as saying. ``Strong "
            "competitors at the Asian Games will be as numerous as trees in a forest,'' "
            "Chen Yan was quoted as saying.",
            "Zhang Xiong said China would do well in the pool.",
        ],
    )
    assert (
        direct["We excel in freestyle and relay events, but we are weaker in backstroke,"][
            "speaker_name"
        ]
        == "Zhang Xiong"
    )
    assert (
        direct["Strong competitors at the Asian Games will be as numerous as trees in a forest,"][
            "speaker_name"
        ]
        == "Chen Yan"
    )


def test_he_or_she_is_not_a_speaker_quoted_before_another_person_was_named(prep):
    # after Robin Hale is named, "she" may be Hale: a wrong speaker is worse than none
    texts = [
        "Tomas Berg, the mayor of the town, said the new bridge would reopen in May. "
        "``We have waited long enough for this bridge,'' Berg said. "
        "Only one candidate backed the plan, and that was Robin Hale of the Green Party. "
        "``I could not be more happy about the bridge,'' she told local television.",
        "The mayor said the bridge would reopen in May after two years of repairs.",
    ]
    _r, direct = _direct(prep, texts)
    assert direct["We have waited long enough for this bridge,"]["speaker_name"] == "Tomas Berg"
    assert direct["I could not be more happy about the bridge,"]["speaker_name"] is None
    # a name in what the pronoun's verb says is no antecedent of the pronoun
    texts = [
        "Laura Bennett said the council would vote on the bridge in June. "
        "``The vote will be close and it may go either way,'' Bennett said. "
        "Martin Cole's office has asked the council for a delay, she said.",
        "The council will vote on the bridge in June.",
    ]
    quotes = {q["text"]: q for q in _analyze(prep, texts)["quotes"]}
    assert quotes["Martin Cole's office has asked the council for a delay"]["speaker_name"] == (
        "Laura Bennett"
    )


def test_a_dateline_is_not_the_subject_of_a_speech_verb(prep):
    # Multi-News val 239: "ROELAND PARK, Kan. — Sarah Robinson says that ..." went
    # to the place; the parser reads both the dateline and the name as subjects
    texts = [
        "MILL CREEK, Kan. — Dana Whitfield says that she would do anything for her four "
        "children. Police stopped her at a store on Monday.",
        "A mother of four was stopped by police at a store in Mill Creek on Monday.",
    ]
    r = _analyze(prep, texts)
    by_text = {q["text"]: q for q in r["quotes"] if q["kind"] == "reported"}
    assert by_text["she would do anything for her four children"]["speaker_name"] == (
        "Dana Whitfield"
    )
    # Multi-News val 7: the parser hangs the speaker on the dateline as its apposition
    texts = [
        "BERNE, Switzerland (AP) — A Swiss hiker who found an old camp on the glacier "
        "said it took days for him to understand what he had found.",
        "A hiker found an old camp on the glacier last month.",
    ]
    r = _analyze(prep, texts)
    speakers = {q["text"]: q["speaker_name"] for q in r["quotes"]}
    assert speakers["it took days for him to understand what he had found"] == "Swiss hiker"


def test_quoted_as_saying_is_not_a_word_of_the_quotation(prep):
    # DUC 2003 d30010 (AP): in '``..., you have to ... comply with ... the agreement,''
    # Mubarak was quoted as saying' the parser hangs "agreement" on "quoted" too
    texts = [
        "Hosni Mubarak urged Israel to keep the peace deal. "
        "``Should you want to win their trust, you have to take real steps to honour ... "
        "the agreement,'' Mubarak was quoted as saying.",
        "Mubarak urged Israel to keep the peace deal.",
    ]
    _r, direct = _direct(prep, texts)
    q = direct[
        "Should you want to win their trust, you have to take real steps to honour ... "
        "the agreement,"
    ]
    assert q["speaker_name"] == "Hosni Mubarak"
    assert q["evidence"][0]["speaker_mention"]["text"] == "Mubarak"


def test_a_surname_tagged_as_a_common_noun_is_the_person_named_before(prep):
    # Multi-News val 20: "Page says ..." at a sentence start is tagged a noun, and the
    # quote went to a speaker "Page" of its own instead of Jimmy Page
    texts = [
        "Guitarist Jimmy Page has spent two years combing through the old tapes. "
        "Page says the new material deserves to be heard by every fan of the band.",
        "Jimmy Page has remastered the band's old albums.",
    ]
    r = _analyze(prep, texts)
    quotes = {q["text"]: q["speaker_name"] for q in r["quotes"]}
    assert quotes["the new material deserves to be heard by every fan of the band"].endswith(
        "Jimmy Page"
    )
    assert "Page" not in {sp["name"] for sp in r["speakers"]}


def test_joked_and_quipped_introduce_what_someone_said(prep):
    # DUC 2003 d30003: "Castro joked that he would have thought police could have
    # waited another 24 hours" was no quote; Multi-News: 'Avenatti quipped, "..."'
    texts = [
        "Dave Miller, a comedian, joked that the airport had seen more delays than his career. "
        "Asked about the long lines, Miller quipped, ``Yeah, and I was on time for once.''",
        "The airport has seen long delays this week.",
    ]
    r = _analyze(prep, texts)
    quotes = {q["text"]: q["speaker_name"] for q in r["quotes"]}
    assert quotes["the airport had seen more delays than his career"] == "Dave Miller"
    assert quotes["Yeah, and I was on time for once."] == "Dave Miller"


def test_an_inverted_speaker_is_the_name_ending_the_phrase_not_the_outlet(prep):
    # Multi-News val 9: in '"...," said CNN senior political analyst David Gergen' the
    # parser makes both "CNN" and "Gergen" subjects of "said"; the quote went to CNN
    texts = [
        '"It looks like he was trying to impede the investigation," said CNN senior '
        "political analyst David Gergen. The White House denied it.",
        "The White House denied that the president tried to impede the investigation.",
    ]
    _r, direct = _direct(prep, texts)
    q = direct["It looks like he was trying to impede the investigation,"]
    assert q["speaker_name"] == "David Gergen"
    texts = [
        "``We must make clear that he travels with a diplomatic passport,'' said Mario "
        "Artaza, Chile's ambassador to London, in a radio interview Saturday.",
        "Chile's ambassador to London said the general travels with a diplomatic passport.",
    ]
    _r, direct = _direct(prep, texts)
    q = direct["We must make clear that he travels with a diplomatic passport,"]
    assert q["speaker_name"] == "Mario Artaza"
