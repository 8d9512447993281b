"""Boilerplate line rules: which lines are page furniture, which are reporting."""

from __future__ import annotations

import pytest

from newsweave.boilerplate import classify_line

BOILERPLATE = [
    (
        "Russia's President Vladimir Putin (L) meets Governor Ivan Smith in Sochi, May 13, 2014.",
        "caption",
    ),
    ("Photo: Getty Images", "caption"),
    ("Image copyright Getty Images Image caption Rescuers search the rubble", "caption"),
    ("Firefighters at the scene on Monday. (Photo by Jane Doe/Getty Images)", "caption"),
    ("Protesters march in the capital. AP Photo/John Smith", "caption"),
    ("Protesters march in the capital on Friday. (AP Photo/John Smith)", "caption"),
    ("Jane Doe/Reuters", "caption"),
    (
        "This discussion is now closed. We welcome comments on our articles for a limited period.",
        "comments",
    ),
    ("Tweet with a location", "share block"),
    ("Follow us on Twitter and Facebook", "share block"),
    ("Share this story on Facebook", "share block"),
    ("Sign up for our newsletter", "newsletter"),
    ("Get breaking news alerts delivered to your inbox. Sign up now!", "newsletter"),
    ("By John Smith", "byline"),
    # Multi-News captions and update notes that stood as single-source claims
    (
        "Aurelie Chatelain, in this photograph provided by the Caudry City Hall April 22, "
        "2015, is seen during a sporting event in Caudry on April 11, 2015.",
        "caption",
    ),
    (
        "General view of the Emergency entrance to the Hotel Dieu Hospital in Paris April 22, 2015.",
        "caption",
    ),
    ("Update, November 11, 12:03 PT: adds Apple statement.", "update note"),
    ("Updated at 9:23 a.m. to correct the name of the driver.", "update note"),
    ("Update 2: We’ve added a later statement from PricewaterhouseCoopers.", "update note"),
    (
        "Update: Some wording in this piece has been changed to better reflect events.",
        "update note",
    ),
    ("By John Smith, Reuters", "byline"),
    ("John Smith, Reuters", "byline"),
    ("Published 3:45 PM ET", "byline"),
    ("Last updated at 6:04 PM on 20th October 2011", "byline"),
    (
        "We use cookies to improve your experience. By continuing to use this site you agree.",
        "cookie notice",
    ),
    ("Advertisement", "advertisement"),
    (
        "This story has been corrected to show Gomes lived in Raynham, not Rayham.",
        "correction note",
    ),
    ("Correction: An earlier version of this article misstated the date.", "correction note"),
    # a curly apostrophe, and notes that the story was edited, revised or amended
    # (Multi-News val-077, val-100, val-103)
    ("Editor’s note: This story has been revised.", "correction note"),
    ("This story was edited at 5:48 p.m. to correct a quote from the letter.", "correction note"),
    ("This article was amended on 9 June 2016.", "correction note"),
    ("ADVERTISEMENT", "advertisement"),
    ("Story Continued Below", "advertisement"),
    ("Read more: Why the bridge closed", "related link"),
    ("RELATED: Council approves budget", "related link"),
    ("[Council approves budget after long debate]", "related link"),
    ("Copyright 2019 The Associated Press. All rights reserved.", "copyright"),
    ("© 2020 Example Media Ltd", "copyright"),
    ("Home > News > World", "navigation"),
    ("Home | World | Politics | Sport", "navigation"),
    ("___", "separator"),
    ("The Associated Press contributed to this report.", "credit line"),
    # credits in brackets or after a dash (Multi-News val-127, val-209, val-120)
    ("(Editing by Tom Smith)", "credit line"),
    ("— With assistance by Jane Doe, John Roe, and Ann Poe", "credit line"),
    (
        "(Additional reporting by Jane Doe in Beijing, John Roe in Kuala Lumpur, Ann Poe in "
        "Tokyo and Max Mustermann in Bangkok; Writing by Erika Muster and Joe Bloggs; Editing "
        "by Fred Nurk)",
        "credit line",
    ),
    # an AP sign-off names the city the writer reported from ('reported': Multi-News val-034)
    ("Nicole Winfield reported from Vatican City.", "credit line"),
    (
        "Lucey reported from Washington. Associated Press writer Jill Colvin in Washington "
        "contributed to this report.",
        "credit line",
    ),
    (
        "Starting in 1996, Alexa Internet has been donating their crawl data to the Internet Archive.",
        "web archive notice",
    ),
    (
        "Web wide crawl with initial seedlist and crawler configuration from March 2011. "
        "This uses the new HQ software for distributed crawling by Kenji Nagahashi.",
        "web archive notice",
    ),
    ("Crawl start date: 09 March, 2011", "web archive notice"),
    (
        "The seed list for this crawl was a list of Alexa’s top 1 million web sites. We used "
        "Heritrix (3.1.1-SNAPSHOT) crawler software and respected robots.txt directives.",
        "web archive notice",
    ),
    (
        "The scope of the crawl was not limited except for a few manually excluded sites.",
        "web archive notice",
    ),
    (
        "However this was a somewhat experimental crawl for us, as we were using newly minted "
        "software to feed URLs to the crawlers.",
        "web archive notice",
    ),
    ("What’s in the data set:", "web archive notice"),
    ("Please enable Javascript to watch this video", "site notice"),
    ("You'll need an HTML5 capable browser to see this content.", "site notice"),  # val-040
    ("Write to Jane Doe at jane.doe@example.com", "contact"),
    ("http://example.com/story/123", "link"),
    ("Heartbroken. — Jane Doe (@janedoe) June 20, 2017", "embedded social post"),
    # a tweet signed with a hyphen (Multi-News val-169)
    (
        "We were in talks about a version for the headset. I just cancelled that deal. "
        "- Notch (@notch) March 25, 2014",
        "embedded social post",
    ),
    (
        "So proud of the team tonight -- Jane Doe (@janedoe) on June 20, 2017",
        "embedded social post",
    ),
    # a caption closed by its credit in a form of its own (Multi-News val-192, val-186, val-195)
    (
        "Hillary Clinton poses with Mukesh Ambani after her arrival in Udaipur, India, "
        "December 8, 2018. Reliance Industries/Handout via REUTERS",
        "caption",
    ),
    ("Black leopard near road in the Kenyir Wildlife Corridor. Photo by: William Yap.", "caption"),
    ("Vintage furs at Furs by Graf.— Louie Juarez + Read Caption Share Photo", "caption"),
    # a video's description closed by its date and source, alone or as an item of a
    # playlist (USA Today pages, Multi-News val-019, val-139)
    (
        "Two days of steep losses have erased the market's gains from the start of this "
        "year. (Feb. 5) AP",
        "caption",
    ),
    (
        "BABY, IT'S COLD OUTSIDE Thawing ice spells trouble after the deep freeze | 1:18 "
        "Warmer weather is causing new problems. Ice fell off tall buildings in Houston. "
        "(Jan. 19) AP 2 of 68",
        "caption",
    ),
    (
        "BABY, IT'S COLD OUTSIDE 5 ways to improve your winter mood | 1:00 Beat those cold "
        "weather blues. Buzz60 11 of 68",
        "related link",
    ),
    # a Getty credit before or after its caption (Multi-News val-223, val-064)
    (
        "Hulton Archive - Getty New evidence seems to confirm that the cotton merchant was "
        "indeed Jack the Ripper",
        "caption",
    ),
    ("Furlough babies? (Getty)", "caption"),
    # CNN's video widget (Multi-News val-009, val-138, val-218, val-249)
    (
        "JUST WATCHED Cummings: Trump has stepped over the line Replay More Videos ... "
        "MUST WATCH Cummings: Trump has stepped over the line 00:47",
        "video player",
    ),
    ("JUST WATCHED Search for MH370 goes underwater Replay More Videos ...", "video player"),
    ("MUST WATCH Cummings: Trump has stepped over the line 00:47", "video player"),
    # a photo gallery widget flattened into one line (Multi-News val-238)
    (
        "1 of 26 Full Screen Autoplay Close Skip Ad × A look back at the governor’s long "
        "political career View Photos The Republican is expected to launch his official "
        "campaign for president Monday. Caption The governor announced Monday that he will "
        "drop out of the race. Sept. 21, 2015 The governor speaks at a news conference in "
        "Madison, where he announced that he is suspending his campaign. Jane Doe/AP Buy "
        "Photo Wait 1 second to continue.",
        "caption",
    ),
    ("Председатель правительства заявил о новых мерах поддержки", "non-English line"),
    # calls to action and a caption that opens with its credit (Multi-News pages)
    ("Click below to sign the Petition.", "related link"),
    # directions to the rest of the page (Multi-News val-010, val-021)
    ("Read on for the backstage reactions of Jon Cryer, Claire Danes, and others.", "related link"),
    ("Check out the posts below.", "related link"),
    ("Scroll down to see the full list of winners.", "related link"),
    # a "More information" box (HealthDay pages, Multi-News val-074)
    (
        "More information: For tips on starting to exercise, see the American Heart Association.",
        "related link",
    ),
    ("For more about chronic pain, visit the U.S. National Institutes of Health.", "related link"),
    ("Visit Harvard Medical School's Healthy Sleep website for more about sleep.", "related link"),
    # a pointer to a web address or another outlet (Multi-News val-033, val-044, val-082, val-161)
    ("Visit amnh.org for more information.", "related link"),
    ("Check out Dead50.net for ticketing information.", "related link"),
    ("For more on Rihanna, head over to Billboard.", "related link"),
    ("For more news on the trial, follow @janedoe.", "related link"),
    ("You must confirm your signature in your email for your vote to count.", "petition prompt"),
    ("Sign our petition to save the park.", "petition prompt"),
    ("Please keep posting them in the comments.", "comments"),
    (
        "Eric Gay / AP Senator Wendy Davis listens as the Texas Senate debates a bill, "
        "on July 12, 2013, in Austin.",
        "caption",
    ),
    # a caption describing its picture in the present (Multi-News val-244, val-216)
    ("A photo from shipping company NYK shows damage from the collision.", "caption"),
    ("This image show the mummy of an ancient Egyptian man in his 50s.", "caption"),
    (
        "This image, released by Paul Allen's company, Vulcan, appears to show the ship's anchor.",
        "caption",
    ),
]

REAL = [
    "Dangerous, icy roads are reported from Texas and Louisiana east to Georgia.",
    "Smith reported from Washington that the deal was off.",
    "MOSCOW (Reuters) - The Kremlin announced on Monday President Vladimir Putin had ordered troops back.",
    "The report was updated in 2010 with new figures from the census bureau.",
    "The article was corrected by hand, the court heard on Tuesday.",
    "By Monday, the troops had left the border area.",
    "By then, officials said, the fire had spread to three buildings.",
    "Copyright law experts say the ruling could change how films are made.",
    "Sprint had more than 52 million subscribers at the end of the quarter.",
    "More than 8 million people signed up for health insurance this year.",
    "The company failed to register the trademark in 2010.",
    "Follow the money, the senator told reporters.",
    "Photos of the ship showed damage to its bow.",
    "“I have my subpoena pen ready,” Chaffetz tweeted on Tuesday.",
    "Kremlin spokesman Dmitry Peskov (R) said the order was given on Monday.",
    "The ceasefire was signed on September 5, 2014.",
    "Updated figures released in 2014 showed a drop in crime.",
    "Advertisements for the product ran in 30 newspapers, the company said.",
    "Share prices fell 3% in early trading.",
    "Readers can find more of the report on the agency's website, the statement said.",
    "The Wayback Machine keeps copies of more than 500 billion web pages.",
    "He said he would not comment on the investigation.",
    "Schools have collapsed.",
    "Tina Fey",
    "'Total chaos'",
    "Reuters/Ipsos polling shows the senator ahead in three states.",
    "Jaroslaw Kaczynski urged Duda to sign the legislation.",
    "Readers weighed in with hundreds of comments.",
    "He said he would confirm your email.",
    "Update 11:32 a.m. The Onion has updated its story with this funny little tag:",
    "UPDATE: Authorities positively identified the two bodies found on Friday.",
    "The update to the software adds new features, the company said.",
    "General view of the public is that the law is unfair, he said.",
    "A photo released by school officials showed the boy in a hospital bed.",
    "This is a photo op, and the poll shows it.",
    "More information about the crash will be released on Monday.",
    "For more on the vote, the senator told reporters, see the committee's report.",
    "Microsoft wanted the browser to run on top of Windows, Netscape's memo said.",
    "Microsoft bundled its browser with Windows, a move the government called illegal.",
    "Read on, the judge told the clerk, and the hearing went on.",
    "See the river rise above its banks as the rain falls, officials said.",
    "Persson - known to gamers as Notch (@notch) - cancelled the deal on March 25, 2014.",
    "The team won 3-1 (@home) on March 25, 2014",
    "1 of 26 victims was a child, police said on Monday.",
    "This story was edited by three people before it ran, and none caught the error.",
    "This article was amended law, not new law, the court held in its ruling.",
    "Visitors to amnh.org for more than a decade have seen the same exhibit.",
    "Visit Harvard for a week and you will see why the students love it.",
    "For more on the vote, the paper followed the money trail to Ohio.",
    "He said he just watched the replay and more videos would follow.",
    "MUST WATCH: the debate starts at 9:00",
    "Jane Doe - Getty Center director since 2001 - said the sale went ahead.",
    "The agency (Getty) declined to comment on the sale of the archive",
    "The verdict came in on Friday (Jan. 18) AP reported",
    "The score was 2-1 | 0:46 left, and the team had won 3 of 4",
    "With assistance from the United Nations, the town rebuilt its school.",
    "Editing by hand took the team three weeks, the author said.",
    "(Additional reporting by local papers over three decades, she said, shaped how the "
    "town saw itself and its long fight with the owners of the mill in the valley below.)",
    "The minister resigned. His letter was sent to the palace via Reuters",
    "The exhibition, called Photo by: Anyone, opens at the gallery on Friday.",
    "He asked readers to read the caption and share the photo before voting.",
]


@pytest.mark.parametrize(("line", "reason"), BOILERPLATE)
def test_boilerplate_lines(line, reason):
    assert classify_line(line) == reason


@pytest.mark.parametrize("line", REAL)
def test_real_lines_are_kept(line):
    assert classify_line(line) is None


def test_first_line_caption_without_credit():
    line = "Mayor Jane Doe greets visitors at the town hall in Millbrook, June 3, 2019."
    assert classify_line(line, first=True) == "caption"
    assert classify_line(line, first=False) is None


def test_mailing_list_prompt_is_promo_but_reporting_is_not():
    from newsweave.boilerplate import classify_line

    prompt = (
        "Just fill in your contact details in the form below to join our mailing list "
        "and keep up to date with the Good Country as it develops."
    )
    assert classify_line(prompt) == "newsletter"
    news = "The senator said she would add the donor to the campaign mailing list after the rally."
    assert classify_line(news) is None


def _fastest_classify(line: str, repeat: int = 3) -> float:
    """The fastest of ``repeat`` timings of ``classify_line(line)`` (seconds)."""
    import time

    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        assert classify_line(line) is None
        best = min(best, time.perf_counter() - start)
    return best


def test_a_line_of_one_long_run_of_characters_is_classified_at_once():
    """A pasted blob (base64, a hash, a mangled URL) of 300,000 characters:
    the e-mail rule searched it from every position, minutes per article.
    Cleaning it must take time linear in its length: ten times the length
    costs about ten times as long (a search from every position, a hundred
    times); the 300,000-character figure is printed by scripts/bench_speed.py."""
    import random
    import string

    blob = "".join(random.Random(3).choices(string.ascii_letters + string.digits, k=300_000))
    small, large = _fastest_classify(blob[:30_000]), _fastest_classify(blob)
    assert large < 35 * small, (small, large)
    assert classify_line("Contact: desk." + blob[:20] + "@example.com") == "contact"
    assert classify_line("Send tips to news.desk+tips@example.co.uk") == "contact"


def test_teaser_of_another_story_printed_twice_is_a_related_link():
    """A local station's list of other stories (Multi-News val-016): headline
    twice, then the teaser text twice; its sentences reached the summary."""
    head = "Pocono Schools Reopen With Heavy Police Presence, Manhunt Continues"
    text = (
        "Heavy police presence is expected in Pocono Mountain School District, as they "
        "decided to go back to school today.Those schools are all back open after being "
        "closed yesterday, with a 5:00 a.m. last minute..."
    )
    assert classify_line(f"{head} {head} {text} {text}") == "related link"
    assert classify_line(f"INVESTIGATORS: Minn. man studies to be a semi driver {text} {text}") == (
        "related link"
    )
    cut = "Now, animal control has set up humane traps.If they find him, they will ..."
    assert classify_line(f"Rocky The Bobcat Is Back {cut} {cut}") == "related link"
    # the last teaser of the list: its text was cut before the second copy
    coach = "Coach of football team charged in hazing suspended"
    teaser = "The central New Jersey town rocked by abuse allegations could soon learn more."
    assert classify_line(f"{coach} {coach} {teaser}") == "related link"
    # a paragraph scraped twice with nothing before it, and a doubled phrase, stay
    assert classify_line(f"{text} {text}") is None
    assert classify_line(f"{head} {head} {text}") == "related link"
    assert classify_line("- - - - - - - - " * 4 + text) is None
    line = "The Two Eagles website, The Two Eagles website, includes live tracking of the balloon."
    assert classify_line(line) is None


def test_teaser_rule_takes_bounded_time_on_a_repetitive_line():
    import time

    line = " ".join(["word"] * 5000 + ["odd"] + ["word"] * 5000) + " end."
    start = time.perf_counter()
    classify_line(line)
    assert time.perf_counter() - start < 1.0


def test_weather_box_is_boilerplate():
    line = (
        "STORMY MORNING Wednesday (59/53) Clouds/Showers Thursday (57/48) Clouds/Showers "
        "Friday (63/50) Sun Saturday (66/48) Sun/Clouds Many of us woke to the sound of thunder."
    )
    assert classify_line(line) == "weather box"
    assert (
        classify_line("The storm hit on Wednesday (local time) and Thursday, officials said.")
        is None
    )
