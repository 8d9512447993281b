"""Entities: the names of one person merge, different people sharing a name do not.

Sentences quoted from Wikinews (TAC 2011 MultiLing, CC BY 2.5) are marked
"Wikinews"; the others are written for these tests.
"""

from __future__ import annotations

import pytest

from newsweave.analysis import analyze
from newsweave.analysis.names import alike, same_person
from newsweave.records import Article


@pytest.fixture(scope="module")
def prep(analysis_prepare):
    return analysis_prepare


def _people(prep, *texts: str) -> dict[str, set[str]]:
    """Person entities of a story: name → aliases."""
    arts = [Article(id=f"a{n}", text=t) for n, t in enumerate(texts)]
    r = analyze(prep(arts))
    return {e["name"]: set(e["aliases"]) for e in r["entities"] if e["type"] == "person"}


def _holder(people: dict[str, set[str]], alias: str) -> str:
    (name,) = [n for n, aliases in people.items() if alias in aliases]
    return name


def test_middle_initial_and_bare_surname_merge_but_shared_surnames_stay_apart(prep):
    people = _people(
        prep,
        "Representative Henry Hyde opened the impeachment hearing on Thursday. "
        "Bill Clinton watched from the White House, aides said. "
        "The vote will take place next week, Hyde told reporters.",
        "Rep. Henry J. Hyde, the committee chairman, set the schedule for the vote. "
        "Hillary Rodham Clinton travelled to New York on Thursday. "
        "Clinton has denied any wrongdoing.",
    )
    hyde = _holder(people, "Henry Hyde")
    assert hyde == "Henry J. Hyde" and {"Henry J. Hyde", "Hyde"} <= people[hyde]
    assert _holder(people, "Bill Clinton") != _holder(people, "Hillary Rodham Clinton")
    # "Clinton" alone could be either of them: it stays a name of its own
    bare = _holder(people, "Clinton")
    assert bare not in (_holder(people, "Bill Clinton"), _holder(people, "Hillary Rodham Clinton"))


def test_spelling_variants_of_one_name_merge(prep):
    people = _people(
        prep,
        # Wikinews
        "The photographs show Hassib Hussain who is believed to be bomber of London bus #30. "
        "Spokeswoman Elisabeth Byrs, however, said she had no further details about that. "
        "Hans Verlome, director of the World Wildlife Fund's Climate Change Program, "
        "urged the U.S., Japan and others to take more decisive action.",
        # Wikinews
        "Three of the July 7 bombers were shown in the video, although the other bomber, "
        "Hasib Hussain, was not seen in the video. "
        "According to Elizabeth Byrs, the UN spokeswoman, 132 people have been rescued "
        "since the earthquake hit. "
        "Hans Verolme of the group WWF says Japan is being criticized.",
    )
    assert _holder(people, "Hassib Hussain") == _holder(people, "Hasib Hussain")
    assert _holder(people, "Elisabeth Byrs") == _holder(people, "Elizabeth Byrs")
    assert _holder(people, "Hans Verlome") == _holder(people, "Hans Verolme")


def test_misspelt_surname_and_lowercase_words_before_a_name(prep):
    people = _people(
        prep,
        # Wikinews
        "Tour de France: Yellow jersey Rasmussen withdrawn. "
        "Current yellow jersey, Michael Rasmussen has been withdrawn from the 2007 Tour de France. "
        "Rasmussen was sacked by his team.",
        # Wikinews
        "The Swiss leader Fabian Cancellara didn't wait to compete with the sprinters. "
        "The bonus seconds expand Canchellara's lead from 13 to 33 seconds.",
    )
    assert "Yellow jersey Rasmussen" not in people
    assert {"Michael Rasmussen", "Rasmussen"} <= people["Michael Rasmussen"]
    assert _holder(people, "Canchellara") == "Fabian Cancellara"


def test_a_doubled_surname_typo_joins_the_full_name(prep):
    people = _people(
        prep,
        "Palestinian leader Yasser Arafat condemned the bombing in Jerusalem on Friday. "
        '"We must fight these acts of terror together," said a tired Arafat Arafat, '
        "who promised to find those responsible.",
        "Arafat met his security chiefs late on Friday to discuss the attack, officials said.",
    )
    assert {"Arafat Arafat", "Arafat"} <= people["Yasser Arafat"]


def test_names_of_different_people_that_look_alike_stay_apart(prep):
    people = _people(
        prep,
        "Swimmer Chen Yan set a world record in the 400-meter medley on Monday. "
        "Striker Chen Yang scored three goals for China in the match against Cambodia. "
        "The pianist Lang Lang played at the opening ceremony.",
        "Chen Yan won gold again on Tuesday, and Chen Yang was rested for the next match.",
    )
    assert _holder(people, "Chen Yan") != _holder(people, "Chen Yang")
    assert "Lang Lang" in people


def test_same_person_rules():
    assert same_person("henry hyde", "henry j hyde")
    assert same_person("mohammed odeh", "mohammed saddiq odeh")
    assert same_person("john conyers", "john conyers jr")
    assert not same_person("john smith jr", "john smith sr")
    assert same_person("luiz inacio lula da silva", "luiz lula inacio da silva")
    assert same_person("edgaro henriquez", "edgardo henriquez")
    assert not same_person("bill clinton", "hillary rodham clinton")
    assert not same_person("ian blair", "tony blair")
    assert not same_person("saba mozakka", "behnaz mozakka")
    assert not same_person("chen yan", "chen yang")  # short words must be equal
    assert not same_person("hyde", "henry hyde")  # one-word names are matched elsewhere
    assert not alike("alexandra", "alexander")  # a different ending: another name
    # a first name and its short form
    assert same_person("bob livingston", "robert livingston")
    assert same_person("bill clinton", "william jefferson clinton")
    assert same_person("bobby kennedy", "robert f kennedy")
    assert not same_person("bill clinton", "hillary clinton")
    assert not same_person("bob livingston", "bill livingston")
    assert not same_person("christine evans", "christopher evans")


def test_a_short_first_name_joins_the_full_one(prep):
    # the shape of a DUC 2003 story (d31031t): "Bob Livingston" in two wire
    # copies, "Robert Livingston" in two others, "Livingston" alone in all
    people = _people(
        prep,
        "The spending bill was held up by Rep. Bob Livingston, R-La. "
        "Livingston, chairman of the House Appropriations Committee, criticised "
        "Interior Secretary Bruce Babbitt on Tuesday.",
        "Rep. Robert Livingston, R-La., said the talks had stalled. "
        '"There is movement," said Livingston, the chairman of the committee. '
        "President Bill Clinton met Hillary Clinton and Bob Dole on Friday.",
    )
    holder = _holder(people, "Bob Livingston")
    assert {"Bob Livingston", "Robert Livingston", "Livingston"} <= people[holder]
    # Bill and Hillary Clinton stay two people
    assert _holder(people, "Bill Clinton") != _holder(people, "Hillary Clinton")


def test_entity_index_lookups_per_sentence_match_a_full_scan():
    from newsweave.analysis.entities import Entity, EntityIndex, Mention

    a = Entity({"henry hyde"}, [Mention(0, 30, 34, "Hyde", "PERSON")], id="e0")
    a.mentions.append(Mention(2, 0, 15, "Rep. Henry Hyde", "PERSON"))
    b = Entity({"washington"}, [Mention(0, 0, 10, "Washington", "GPE")], id="e1")
    b.mentions.append(Mention(2, 20, 30, "Washington", "GPE"))
    index = EntityIndex([a, b])
    # in text order, whatever the order of the entities
    assert [(m.start, e.id) for m, e in index.in_sentence(0)] == [(0, "e1"), (30, "e0")]
    assert [(m.start, e.id) for m, e in index.in_sentence(2)] == [(0, "e0"), (20, "e1")]
    assert index.in_sentence(1) == []
    index.in_sentence(0).clear()  # callers get their own list
    assert len(index.in_sentence(0)) == 2
    assert index.name(a) == a.name == "Henry Hyde"


def test_time_zones_are_not_organisations(prep):
    arts = [
        # Wikinews
        Article(
            id="a0",
            text="A 7.0 magnitude earthquake has struck off the coast of Haiti earlier today "
            "at 21:53 UTC, according to the US Geological Survey (USGS). "
            "The flights were stopped, US Transportation Command spokesman "
            "Capt Kevin Aandahl said yesterday.",
        ),
        # Wikinews
        Article(
            id="a1",
            text="The Metropolitan Police released two photographs at 15:30 BST today. "
            "The earthquake, which started at 06.34.14 UTC, was felt as far as Argentina.",
        ),
    ]
    r = analyze(prep(arts))
    aliases = {a for e in r["entities"] for a in e["aliases"]}
    assert not aliases & {"UTC", "BST"}
    assert "US Transportation Command" in aliases


def test_an_acronym_joins_a_name_only_where_its_capitals_spell_it(prep):
    arts = [
        # Wikinews
        Article(
            id="a0",
            text="Near the epicenter of the earthquakes and tsunami, Indonesia's Aceh province "
            "alone may have as many as 80,000 deaths. "
            'AP reported that the "confirmed death toll passed 121,000".',
        ),
        # Wikinews
        Article(
            id="a1",
            text="The Intergovernmental Panel on Climate Change (IPCC) had presented its "
            "Synthesis report earlier this year. The IPCC shared the Nobel prize.",
        ),
    ]
    r = analyze(prep(arts))
    names = {e["name"]: set(e["aliases"]) for e in r["entities"]}
    assert not any("AP" in a and n != "AP" for n, a in names.items())
    assert {"IPCC", "Intergovernmental Panel on Climate Change"} <= names[
        "Intergovernmental Panel on Climate Change"
    ]


def _entities(prep, *texts: str) -> dict[str, tuple[str, set[str]]]:
    """Entities of a story: name → (type, aliases)."""
    arts = [Article(id=f"a{n}", text=t) for n, t in enumerate(texts)]
    r = analyze(prep(arts))
    return {e["name"]: (e["type"], set(e["aliases"])) for e in r["entities"]}


def test_a_name_span_loses_a_leading_determiner_and_a_title_before_it(prep):
    ents = _entities(
        prep,
        # Wikinews
        "The IPCC is a scientific body that is charged with assessing the current state of "
        "knowledge on climate change. This Intergovernmental Panel on Climate Change (IPCC) "
        "had presented its Synthesis report earlier this year.",
        # Wikinews
        "United Nations Emergency Relief Coordinator and Under-Secretary-General for "
        "Humanitarian Affairs Jan Egeland said the final death toll could climb beyond "
        "150,000. Senior Pastor Clint Henry said the group had no intention of breaking the law.",
    )
    assert "Intergovernmental Panel on Climate Change" in ents
    assert not any(n.startswith("This ") for n in ents)
    assert ents["Jan Egeland"][0] == "person"
    assert ents["Clint Henry"][0] == "person"
    assert not any("Affairs Jan" in n or "Pastor" in n for n in ents)


def test_squares_and_regions_are_places_and_a_parenthesis_splits_a_span(prep):
    ents = _entities(
        prep,
        # Wikinews
        "The Prologue will be on Saturday, the 7th of July, starting in Trafalgar Square at "
        "15:00 BST and finishing at 18:20 BST.",
        # Wikinews
        "The earthquake was felt in Colina, Santiago (Santiago Metropolitan), Curicó (Maule), "
        "Machalí, Rengo, Rancagua (O'Higgins), and Valparaíso (Valparaíso). "
        "Some damage was reported in the Araucanía Region and Maule (VII Region).",
    )
    assert ents["Trafalgar Square"][0] == "place"
    assert ents["Araucanía Region"][0] == "place"
    assert not any("(" in n for n in ents) and "VII" not in ents
    assert "Curicó" in ents and "Maule" in ents


def test_names_the_story_describes_as_places_are_places(prep):
    ents = _entities(
        prep,
        # Wikinews
        "A group of volunteers from Santiago travelled to Lolol, a town located in O'Higgins "
        "Region. Lolol, named National Monument of Chile in October 2003, was severely damaged.",
        # Wikinews
        "The epicenter was located 70km at the northwest of Curicó, 85km southwest of Rancagua. "
        "An earthquake hit the area, with the epicenter offshore of Maule, 65 kilometers "
        "northwest of Cauquenes. Damage was reported in the Maule Region.",
    )
    for name in ("Lolol", "Curicó", "Maule", "Cauquenes"):
        assert ents[name][0] == "place", name


def test_a_name_with_a_title_or_role_is_a_person(prep):
    ents = _entities(
        prep,
        # Wikinews
        "Yvo de Boer, the United Nations' climate change chief, told reporters Friday that "
        "the talks would go on. UN climate change chief Yvo de Boer has also sought to "
        "downplay any differences.",
        # Wikinews
        "De Boer repeatedly points out that the Bali conference is not meant to produce a "
        "deal. Astana Team announced today that Alexander Vinokourov of Kazakhstan failed a "
        "blood test. Alexandre Vinokourov denied it. Vinokourov also won yesterday's stage.",
        "In Halifax, Nova Scotia, a spokesman for the safety board, Jim Harris, said the "
        "search would go on. The plane crashed off Nova Scotia on Wednesday.",
    )
    assert ents["Yvo de Boer"][0] == "person" and "De Boer" in ents["Yvo de Boer"][1]
    assert ents["Vinokourov"][0] == "person"  # a surname of two spellings: not merged
    assert ents["Nova Scotia"][0] == "place"  # an apposition misparsed once: no person


def test_a_family_name_written_first_joins_the_one_full_name_it_starts(prep):
    people = _people(
        prep,
        # Wikinews (CC BY 2.5), shortened
        "Lin Miaoke, the girl who sang at the opening ceremony, did not really sing. "
        "Lin mimed the song, officials said on Tuesday.",
        "UN Secretary-General Ban Ki-moon visited Chile on Sunday. "
        "Ban said the United Nations would help the survivors.",
        "Bill Clinton and Hillary Clinton met Clinton Portis. Clinton said little.",
    )
    assert {"Lin", "Lin Miaoke"} <= people["Lin Miaoke"]
    assert {"Ban", "Ban Ki-moon"} <= people["Ban Ki-moon"]
    # a surname of two people does not join a name it merely starts
    assert "Clinton" not in people.get("Clinton Portis", set())


def test_a_common_word_at_the_start_of_a_sentence_is_not_an_entity(prep):
    ents = _entities(
        prep,
        # Wikinews (CC BY 2.5), shortened
        "Tsunami warnings were issued for the coast. The tsunami reached the islands within "
        "hours, and a second tsunami followed.",
        "Rice was distributed in sixteen locations. The WFP gave 25kg of rice to each woman, "
        "enough rice to feed a family. President George Bush said the bush fires were out.",
    )
    assert "Tsunami" not in ents and "Rice" not in ents
    assert "George Bush" in ents  # a name the story also writes in lowercase once stays


def test_names_listed_with_a_place_or_before_region_are_places(prep):
    ents = _entities(
        prep,
        # the bundled sample (Reuters), shortened
        "The Kremlin said Putin had ordered troops in the three provinces of Rostov, Bryansk "
        "and Belgorod to return to their bases. Russia annexed Ukraine's Crimea region in March.",
    )
    assert all(ents[n][0] == "place" for n in ("Rostov", "Bryansk", "Belgorod", "Crimea"))


def test_a_doubled_place_name_and_a_plural_region_join_their_region(prep):
    ents = _entities(
        prep,
        # Wikinews (CC BY 2.5), shortened
        "At least 29 millimeters were reported by ONEMI in the Bío Bío Region. ONEMI "
        "reported the earthquake was felt between the Metropolitan Region and Bío Bío.",
        # Wikinews (CC BY 2.5), shortened
        "This movement was felt across the Valparaíso, O'Higgins, Maule, and Bío Bío "
        "Regions, in cities such as Talca and Concepción.",
    )
    # a name written twice is no person "Bío" with the surname "Bío"
    assert ents["Bío Bío"][0] == "place"
    assert ents["Bío Bío Region"] == ("place", {"Bío Bío Region", "Bío Bío Regions"})


def test_a_place_description_counts_where_spacy_tagged_no_entity(prep):
    ents = _entities(
        prep,
        # Wikinews (CC BY 2.5): spaCy reads this "Constitución" as a date
        "Universidad de Chile measurements placed the center of the earthquake under the "
        "Pacific Ocean, 153 km (96 miles) northwest of the coastal town of Constitución.",
        # Wikinews (CC BY 2.5), shortened
        "The Mercalli scale intensities were: Pichilemu, Constitución and Paredones: V. "
        "President Sebastián Piñera has visited some locations affected by the rains, "
        "including Chocholgue, San Pedro de La Paz, Constitución, and Maule.",
    )
    assert ents["Constitución"][0] == "place"


def test_a_wire_dateline_in_capitals_is_a_place(prep):
    ents = _entities(
        prep,
        "ZURICH, Switzerland (AP) _ The airline said Tuesday it would pay the families of "
        "the victims. Its board met in Zurich on Monday.",
        "ZURICH (AP) _ Investigators found no trace of a fire in the cockpit, the airline "
        "said on Wednesday.",
        "TORONTO _ Relatives of the passengers gathered at a hotel near the airport.",
        "NATO, the alliance said, will meet on Friday in Brussels.",
    )
    assert ents["ZURICH"][0] == "place" and "Zurich" in ents["ZURICH"][1]
    assert ents["TORONTO"][0] == "place"
    assert ents["NATO"][0] == "organisation"  # capitals opening a sentence, no dateline


def test_a_station_or_area_name_is_a_place_written_with_or_without_its_apostrophe(prep):
    ents = _entities(
        prep,
        # Wikinews (CC BY 2.5), shortened
        "The suspects were caught on surveillance camera arriving at Kings Cross station at "
        "08:30 BST. Police asked the public to call if they saw Hussain around the Kings "
        "Cross area.",
        # Wikinews (CC BY 2.5), shortened
        "The three buy tickets and catch a train to King's Cross. Did you see this man at "
        "King's Cross?",
        "The CIA station there has been closed since 1995, CIA officials said.",
    )
    (cross,) = [v for v in ents.values() if "King's Cross" in v[1]]
    assert cross == ("place", {"King's Cross", "Kings Cross"})
    assert ents["CIA"][0] == "organisation"  # a station that is no place one goes to


def test_names_listed_as_companies_are_organisations(prep):
    ents = _entities(
        prep,
        # Wikinews (CC BY 2.5)
        "Many major companies including Apple Computer, Microsoft, Cisco, eBay, Google, and "
        "AOL are helping enable donations through the web.",
        "Aid came from countries such as Norway and Japan. Cisco pledged more on Friday.",
    )
    assert ents["Cisco"][0] == "organisation"
    assert ents["Norway"][0] == "place" and ents["Japan"][0] == "place"


def test_an_acronym_after_the_body_name_it_spells_is_an_organisation(prep):
    ents = _entities(
        prep,
        # Wikinews (CC BY 2.5)
        "Epochtimes Taiwan and the Coalition to Investigate the Persecution of Falun Gong in "
        "China (CIPFG) held a rally on Sunday. CIPFG said the torch relay should be stopped.",
        "Thousands marched in Taipei on Sunday, the organisers said.",
    )
    assert ents["CIPFG"][0] == "organisation"


def test_a_commissioner_candidate_or_detective_title_is_not_part_of_the_name(prep):
    people = _people(
        prep,
        # Multi-News (val-118)
        "Commissioner Paul Tagliabue, team physicians, and many others raised questions. "
        "In 1994, Commissioner Tagliabue approved the creation of the committee.",
        "Candidate Majid Ansari said he would run again. Detective Sarah Lund found the car.",
    )
    assert {"Paul Tagliabue", "Tagliabue"} == people["Paul Tagliabue"]
    assert "Majid Ansari" in people and "Sarah Lund" in people
    assert not any(n.split()[0] in ("Commissioner", "Candidate", "Detective") for n in people)


def test_an_and_inside_an_organisation_name_does_not_split_it(prep):
    ents = _entities(
        prep,
        # Multi-News (val-228), shortened
        "Arrests by the Immigration and Customs Enforcement were up 40 percent. They said "
        "the U.S. Immigration and Customs Enforcement (ICE) would be present in court.",
        "Fires broke out in the provinces of Rostov, Bryansk and Belgorod.",
    )
    assert ents["Immigration and Customs Enforcement"][0] == "organisation"
    assert "U.S. Immigration and Customs Enforcement" in ents
    assert not {"Customs Enforcement", "Immigration", "U.S. Immigration"} & set(ents)
    assert {"Rostov", "Bryansk", "Belgorod"} <= set(ents)  # a list still splits


def test_a_headline_word_before_a_name_is_not_part_of_it(prep):
    people = _people(
        prep,
        "Remembering John F. Kennedy",  # Multi-News (val-096): a headline
        "John F. Kennedy was killed in Dallas in 1963, the report said.",
        "The alliance chief, Anders Fogh Rasmussen, said on Tuesday that troops would stay.",
    )
    assert people["John F. Kennedy"] == {"John F. Kennedy"}
    assert "Anders Fogh Rasmussen" in people  # in running text a cut name still extends


def test_a_page_label_in_capitals_before_a_colon_is_not_a_name(prep):
    ents = _entities(
        prep,
        # Multi-News (val-030, val-118), shortened
        "STORY: Tony Scott's Death: Witness Says Director Was Determined. "
        "The story was told by a witness on Monday.",
        "DISCUSSION:",
        "NATO: Russia must withdraw its troops, the alliance said.",
    )
    assert "STORY" not in ents and "DISCUSSION" not in ents
    assert ents["Tony Scott"][0] == "person"
    assert ents["NATO"][0] == "organisation"  # an acronym the story never writes in lowercase


def test_a_name_holds_no_parenthesis_or_dash_around_it_and_its_offsets_follow(prep):
    texts = [
        # Multi-News (val-074, val-010), shortened
        "Just an hour or two a week confers benefits, researcher contends. "
        "(HealthDay)—A little jogging is good for your health, researchers say.",
        "The actors were on set on Monday. — Jon Cryer told reporters the show would go on.",
    ]
    r = analyze(prep([Article(id=f"a{n}", text=t) for n, t in enumerate(texts)]))
    by_name = {e["name"]: e for e in r["entities"]}
    assert "HealthDay" in by_name and "Jon Cryer" in by_name
    assert not any(c in e["name"] for e in r["entities"] for c in "()—")
    for e in r["entities"]:
        for span in e["mentions"]:
            text = texts[int(span["article"][1:])]
            assert text[span["start"] : span["end"]] == span["text"] in e["aliases"]


def test_a_photo_credit_of_names_joined_by_a_slash_is_no_entity(prep):
    ents = _entities(
        prep,
        # Multi-News (val-052, val-074, val-238), shortened
        "The children were found dead hours later. (Dwight Adams/IndyStar) Wochit",
        "Jim Wilson—The New York Times/Redux Getty Images. Morry Gash/ AP",
        "The 9/11 Commission Report was released in Washington, the panel said.",
    )
    assert not any("/" in name and "9/11" not in name for name in ents)
    assert "Dwight Adams" not in ents and "Dwight Adams/IndyStar" not in ents


def test_a_name_ending_in_a_newspaper_or_party_word_is_an_organisation(prep):
    ents = _entities(
        prep,
        # Multi-News (val-052, val-096), shortened
        "The sheriff said it is likely they will be revisiting this case, Kokomo Tribune reports.",
        "He took on civil rights cases and was active in the New York City Democratic Party.",
        "Crowds gathered in Trafalgar Square on Sunday, the police said.",
    )
    assert ents["Kokomo Tribune"][0] == "organisation"
    assert ents["New York City Democratic Party"][0] == "organisation"
    assert ents["Trafalgar Square"][0] == "place"


def test_a_press_release_dateline_is_a_place_and_its_wire_no_part_of_it(prep):
    ents = _entities(
        prep,
        # Multi-News (val-142), shortened
        "SAN FRANCISCO--(BUSINESS WIRE)--The following statement is being issued by the bank.",
        "The bank is based in San Francisco, the statement said.",
    )
    (name,) = [n for n in ents if n.casefold() == "san francisco"]
    assert ents[name][0] == "place" and ents[name][1] == {"SAN FRANCISCO", "San Francisco"}


def test_a_name_after_an_article_is_no_person_unless_it_modifies_a_noun(prep):
    ents = _entities(
        prep,
        # Multi-News (val-052), shortened
        "She was driving when she received word that an Amber Alert had been issued.",
        "When asked why the Amber Alert was the impetus, she did not answer.",
        "The Bush administration denied it, and the Rev. Jesse Jackson said so on Monday.",
    )
    assert not [n for n, (kind, _) in ents.items() if "Alert" in n and kind == "person"]
    assert ents["Bush"][0] == "person"
    assert ents["Jesse Jackson"][0] == "person"


def test_a_name_mostly_written_as_a_common_noun_is_none_where_typed_otherwise(prep):
    ents = _entities(
        prep,
        # Multi-News (val-052), shortened: spaCy's persons after an article, and a place
        "She heard the Amber Alert issued to find her on the radio.",
        "When asked why the Amber Alert was the impetus, Pasztor replied.",
        "Pasztor said she received word that an Amber Alert had been issued.",
        "She was in Michigan when she first heard the Amber Alert had been issued.",
        "The Hague is a city, and the court in The Hague met on Monday.",
    )
    assert not [n for n in ents if "Alert" in n]
    assert ents["Michigan"][0] == "place" and "Hague" in ents


def test_a_name_the_story_has_speak_as_he_or_she_is_a_person(prep):
    texts = (
        # Multi-News (val-052), shortened
        "In an interview from the Elkhart County Jail on Monday, Amber Pasztor admitted to "
        "smothering her two children. With a phone to her ear and speaking matter-of-factly, "
        "Pasztor told NewsChannel 15 how she pushed in the door of the home of her father. "
        "In a wooded area off Wallen Road, then, Pasztor said she shot Macomber with his own "
        "gun once, killing him, then took his car.",
        "Many are questioning whether Amber Pasztor is a serial killer. "
        "The sheriff said Amber was never connected to the death.",
    )
    r = analyze(prep([Article(id=f"a{n}", text=t) for n, t in enumerate(texts)]))
    kinds = {e["name"]: (e["type"], set(e["aliases"])) for e in r["entities"]}
    assert kinds["Amber Pasztor"][0] == "person" and "Amber" in kinds["Amber Pasztor"][1]
    assert all(kind == "person" for name, (kind, _) in kinds.items() if "Pasztor" in name)


def test_an_organisation_speaking_with_a_he_or_she_stays_an_organisation(prep):
    ents = _entities(
        prep,
        "The State Department said she was released. The State Department said he was not.",
        "Amnesty International said she had been held for a month, and Amnesty International "
        "said her lawyer told it so.",
    )
    assert ents["State Department"][0] == "organisation"
    assert ents["Amnesty International"][0] == "organisation"


def test_a_name_only_written_after_on_is_a_site_not_a_person(prep):
    ents = _entities(
        prep,
        # Multi-News (val-052, val-021), shortened
        "Call reporter Holly Hays at (317) 444-6156. Follow her on Twitter: @hollyvhays.",
        "She posted the picture on Instagram and wrote that she was fine, Holly Hays said.",
    )
    assert ents["Twitter"][0] == "organisation"
    assert ents["Instagram"][0] == "organisation"
    assert ents["Holly Hays"][0] == "person"


def test_an_imperative_opening_a_name_is_no_word_of_it(prep):
    ents = _entities(
        prep,
        # Multi-News (val-052, val-104), shortened
        "Call IndyStar reporter Holly Hays at (317) 444-6156.",
        "Soldier Killed In Crash 3:08 autoplay autoplay Copy this code to your website or blog",
        # Multi-News (val-019): spaCy tags this "Trump" VB
        "The market may go on to move higher over the course of the year, allowing to "
        "Trump to start bragging again.",
    )
    assert "Call IndyStar" not in ents and "Copy" not in ents
    assert not any(name.startswith(("Call ", "Copy")) for name in ents)
    assert ents["Holly Hays"][0] == "person"
    assert "IndyStar" in ents
    assert "Trump" in ents


def test_a_first_name_used_alone_that_spacy_called_a_place_joins_its_person(prep):
    ents = _entities(
        prep,
        # Multi-News (val-050), shortened
        "Wayne State University Officer Collin Rose died from the gunshot wound. "
        "Collin is 29 years old and engaged to be married.",
        "Officer Collin Rose, 29, died Wednesday. The police chief said Officer Collin Rose "
        "was shot during a traffic stop.",
        "The Leonid meteor shower peaks tonight. Leonid Meteor watchers gathered.",
    )
    assert ents["Collin Rose"][0] == "person"
    assert "Collin" in ents["Collin Rose"][1] and "Collin" not in ents
    assert "Leonid Meteor" not in ents or "Leonid" not in ents["Leonid Meteor"][1]


def test_a_full_name_beside_its_surname_or_fuller_name_is_a_person(prep):
    ents = _entities(
        prep,
        # Multi-News (val-005, val-153), DUC 2003 (d30003t), shortened
        "Two women tie for first place on our list: Tina Fey and Eva Longoria.",
        "Longoria leads the pack with $13 million thanks to endorsements.",
        "Police confirmed the teens were 13-year-olds Liberty \u201cLibby\u201d German and "
        "Abigail Williams. The photo was taken by Liberty German.",
        "Peace talks were held at Camp David. David said he would attend.",
    )
    assert ents["Eva Longoria"][0] == "person" and "Longoria" in ents["Eva Longoria"][1]
    libby = next(v for n, v in ents.items() if "German" in n and "Liberty" in n)
    assert libby[0] == "person" and "Liberty German" in libby[1]
    assert ents["Camp David"][0] == "place"


def test_a_people_of_a_country_is_no_place_or_person(prep):
    ents = _entities(
        prep,
        # Multi-News (val-249, val-089), shortened
        "The Ukrainian rear admiral in command, Serhiy Haiduk, said so in Kiev.",
        "The Canaanites were genetically related to Chalcolithic Iranians, the study says.",
        "President Ashraf Ghani said on Monday that he met Mark Cuban in Iran.",
        # TAC 2011 (M007), shortened
        "A judge ordered the release of photos relating to the Abu Ghraib Iraqi prison case.",
    )
    assert not [n for n in ents if "Ukrainian" in n or "Iranians" in n]
    assert ents["Serhiy Haiduk"][0] == "person" and ents["Iran"][0] == "place"
    assert ents["Ashraf Ghani"][0] == "person" and ents["Mark Cuban"][0] == "person"
    assert "Abu Ghraib" in ents and not [n for n in ents if "Iraqi" in n]


def test_a_people_the_lists_do_not_know_is_no_place_or_person(prep):
    ents = _entities(
        prep,
        # Multi-News (val-089), shortened
        "The Canaanites were at the centre of the study, like the Israelites.",
        "God told them to destroy the Hittites and the Hivites, and the Canaanites too.",
        "The DNA of five Canaanite skeletons found in Sidon was read by the Phoenicians.",
        "Brian Stites said the Canaanite people lived in Sidon.",
        # DUC 2003 (d30012t), shortened: a mountain range, not a people
        "The warm air will meet chilly air in the northern Appalachians.",
    )
    peoples = ("Canaanite", "Israelites", "Hittites", "Hivites", "Phoenicians")
    assert not [n for n in ents if any(p in n for p in peoples)]
    assert ents["Sidon"][0] == "place" and ents["Brian Stites"][0] == "person"
    assert "Appalachians" in ents


def test_a_people_by_its_ending_alone():
    from newsweave.analysis.places import people_plural

    assert people_plural("Canaanites") is True and people_plural("Phoenicians") is True
    assert people_plural("Canaanite") is False and people_plural("Iranians") is True
    assert people_plural("Stites") is None and people_plural("Brian") is None
    assert people_plural("Sidon") is None and people_plural("Jordan") is None


def test_people_of_a_place_by_its_ending():
    from newsweave.analysis.places import people_of

    assert people_of("Ukrainian") == ("ukraine", False)
    assert people_of("Iranians") == ("iran", True)
    assert people_of("Chinese") == ("china", False)
    assert people_of("Americans") == ("america", True)
    assert people_of("Iran") is None and people_of("Jordan") is None
    assert people_of("Brian") is None and people_of("Julian") is None


def test_a_state_abbreviated_with_a_dot_joins_the_state(prep):
    r = analyze(
        prep(
            [
                # Multi-News (val-129, val-086), shortened
                Article(id="a0", text="IRVINE, Calif. — Reclined in a plush red chair, he smiled."),
                Article(id="a1", text="IRVINE, Calif. — He lives in a home in California."),
                Article(id="a2", text="The tornado hit Moore, Okla., and Joplin, Mo., last year."),
                Article(id="a3", text="U.S. officials said U.S. aid would reach America's towns."),
            ]
        )
    )
    ents = {e["name"]: e for e in r["entities"]}
    assert ents["California"]["type"] == "place"
    assert set(ents["California"]["aliases"]) == {"Calif.", "California"}
    assert ents["California"]["count"] == 3 and "Calif." not in ents  # not "Calif." twice
    assert "Mo." in ents and "Mo." not in ents["Moore"]["aliases"]  # no Missouri to join
    assert ents["U.S."]["type"] == "place"  # an acronym is no abbreviated word
    for e in r["entities"]:  # offsets still point at the words
        for m in e["mentions"]:
            assert m["text"] in e["aliases"]


def test_an_acronym_is_typed_against_only_the_names_that_spell_it(monkeypatch):
    from newsweave.analysis import entities as ent

    def one(text: str, label: str, k: int) -> ent.Entity:
        return ent.Entity({ent.normalise(text)}, [ent.Mention(k, 0, len(text), text, label)])

    nato = one("NATO", "ORG", 0)
    body = one("North Atlantic Treaty Organization", "ORG", 1)
    person = one("Nigel Adam Thomas Oakes", "PERSON", 2)
    others = [one(t, "GPE", 3 + n) for n, t in enumerate(["France", "Poland", "New York"])]
    ents = [nato, person, *others, body]
    typed: list[str] = []
    label = ent.Entity.label.fget
    monkeypatch.setattr(
        ent.Entity, "label", property(lambda e: typed.append(e.mentions[0].text) or label(e))
    )
    ent.join_acronyms(ents)
    assert nato.mentions == [] and {m.text for m in body.mentions} == {
        "NATO",
        "North Atlantic Treaty Organization",
    }
    # each entity's own type, and of the others only the two names spelling "NATO"
    # (for the acronym, then for the merged body's key "nato"): not France, Poland...
    assert sorted(typed) == sorted(
        ["NATO", "France", "Poland", "New York"]
        + ["North Atlantic Treaty Organization"] * 2
        + ["Nigel Adam Thomas Oakes"] * 3
    )


def test_an_abbreviated_rank_before_a_name_is_in_neither_name(prep):
    texts = [
        # Wikinews (TAC 2011 M007), shortened
        "A United States Army court martial found Army Spc. Charles Graner guilty of "
        "abusing prisoners at Abu Ghraib prison in Iraq.",
        # DUC 2003 (d30040t), shortened
        "The letter was sent Monday to chairman of the Palestinian Civil Aviation Authority "
        "Brig. Gen. Fayez Zeidan.",
        "Navy Cmdr. Jane Doe said the ship was safe after the storm in Norfolk.",
        "The U.S. Army said the soldiers would face trial at Fort Hood in Texas.",
        "Ald. Ed Burke and Det. Tom Ross spoke. Hon Lik invented the e-cigarette, he said.",
        "The jury heard Army Pfc. Lynndie England.",  # an organisation to spaCy
        # Wikinews (TAC 2011 M007): "Sgts" was an organisation
        "He will make a recommendation on how Sgts. Cardona and Smith should be dealt with.",
    ]
    r = analyze(prep([Article(id=f"a{n}", text=t) for n, t in enumerate(texts)]))
    ents = {e["name"]: e for e in r["entities"]}
    ranks = {"spc", "brig", "gen", "cmdr", "ald", "det", "sgts"}
    for e in r["entities"]:
        assert not any(w.strip(".").lower() in ranks for a in e["aliases"] for w in a.split())
        for span in e["mentions"]:
            text = texts[int(span["article"][1:])]
            assert text[span["start"] : span["end"]] == span["text"] in e["aliases"]
    assert ents["Charles Graner"]["type"] == ents["Fayez Zeidan"]["type"] == "person"
    assert ents["Jane Doe"]["type"] == "person"
    assert ents["Army"]["type"] == "organisation"  # "Army Spc.": the service of the person
    assert ents["Navy"]["type"] == "organisation"  # spaCy's person "Navy Cmdr"
    assert ents["Palestinian Civil Aviation Authority"]["type"] == "organisation"
    assert ents["U.S. Army"]["type"] == "organisation"
    assert {"Ed Burke", "Tom Ross", "Hon Lik"} <= set(ents)  # "Hon" is a surname too
    assert ents["Lynndie England"]["type"] == "person"  # named right after a rank


def test_datelines_read_the_sentence_text_not_a_rebuilt_parse_text():
    """A spaCy Doc rebuilds .text from its tokens at every access: the dateline
    test ran it for every mention of every entity (~10 ms a story); it reads the
    sentence (the parse's text), and only for a mention in capitals."""
    from types import SimpleNamespace

    from newsweave.analysis import kinds
    from newsweave.analysis.entities import Entity, Mention

    class NoText:
        @property
        def text(self):
            raise AssertionError("Doc.text rebuilt")

    texts = ["ZURICH, Switzerland (AP) _ The airline said Tuesday.", "Zurich said on Tuesday."]
    parsed = SimpleNamespace(
        sentences=[SimpleNamespace(text=t) for t in texts], docs=[NoText(), NoText()]
    )
    line = Mention(0, 0, 6, "ZURICH", "ORG")
    plain = Mention(1, 0, 6, "Zurich", "ORG")
    airline = Mention(0, 31, 38, "airline", "ORG")
    kinds.datelines(parsed, [Entity({"zurich"}, [line, plain]), Entity({"airline"}, [airline])])
    assert [line.label, plain.label, airline.label] == ["GPE", "ORG", "ORG"]
