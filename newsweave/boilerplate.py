"""Boilerplate line rules: which lines of a news page are not reporting.

:func:`classify_line` gives the reason a stripped line is boilerplate (photo
captions and credits, share and newsletter blocks, bylines, cookie and player
notices, advertisement markers, related-link lines, copyright lines,
navigation crumbs and teasers of other stories (:mod:`newsweave.pagelists`),
web-archive notices, notes that the article was updated, weather boxes,
contact lines, markup...) or None.
The rules are written for web news in general and err on the side of
keeping text: a line that reads like reporting is kept.

The rules are tables of regular expressions, tried in order: whole-line
patterns for short lines, then captions (:mod:`newsweave.captions`), lines in
another script, and the rules of ``_RULES`` (some only on short lines that are
not reporting).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .captions import _DATE, _MONTH, caption, credit_only
from .pagelists import nav_crumbs, teaser

_I = re.I
# words that mark a line as reporting rather than page furniture
_REPORTING = re.compile(r"\b(?:said|says|told|according to|reported|announced)\b", _I)

# ---------------------------------------------------------------------------
# whole-line rules: (reason, pattern) matched against the stripped line
_LINE_RULES: list[tuple[str, re.Pattern[str]]] = [
    (
        "advertisement",
        re.compile(
            r"(?:(?:photo|video) )?(?:advertisement|advertisment|ad|sponsored(?: content)?|story continue[sd] below|"
            r"continue reading(?: the main story)?|advertisement continue reading the main story|"
            r"report this ad|skip ad|ad feedback|paid content)\W*",
            _I,
        ),
    ),
    ("byline", re.compile(r"(?:updated|posted|published|by)\W*", _I)),
    (
        "separator",
        re.compile(r"[\W_]{1,40}"),  # ___, ###, ----, • • •, +, ...
    ),
    (
        "navigation",
        re.compile(
            r"(?:home|menu|search|share|share this(?: story| article)?|email|e-mail|print|"
            r"comments?|close|next|previous|back to top|skip to (?:main )?content|sections|"
            r"text size\W*|reset|today|features|twitter|facebook|youtube|instagram|pinterest|"
            r"linkedin|whatsapp|reddit|play facebook|play twitter|embed|video|videos|photos?|"
            r"gallery|loading\W*|more(?: >+| »)?|local news more>>|listen|image|top stories|"
            r"most (?:read|popular|viewed)|trending|you may also like|related(?: links| stories| "
            r"coverage| articles| content)?|recommended(?: for you)?|see more|read more|more from .{1,30})\W*",
            _I,
        ),
    ),
]


# rules on any line: (reason, test)
@dataclass(frozen=True)
class _Line:
    """A stripped line with what the rules ask about it, computed once."""

    text: str
    words: int
    reporting: bool
    low: str


_Rule = tuple[str, Callable[[_Line], bool]]


def _alternatives(pattern: str) -> list[str]:
    """Split a regex at its top-level ``|``."""
    parts, depth, cls, esc, cur = [], 0, False, False, []
    for ch in pattern:
        if esc:
            esc = False
        elif ch == "\\":
            esc = True
        elif cls:
            cls = ch != "]"
        elif ch == "[":
            cls = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    parts.append("".join(cur))
    return parts


class _Pattern:
    """A regex whose ``^``-anchored alternatives are tried with ``match`` only
    (much faster on long lines) and the others with ``search``."""

    def __init__(self, pattern: str, flags: int = _I):
        alts = _alternatives(pattern)
        start = [a[1:] for a in alts if a.startswith("^")]
        other = [a for a in alts if not a.startswith("^")]
        self.start = re.compile("|".join(f"(?:{a})" for a in start), flags) if start else None
        self.other = re.compile("|".join(f"(?:{a})" for a in other), flags) if other else None

    def search(self, text: str) -> bool:
        return bool(
            (self.start is not None and self.start.match(text))
            or (self.other is not None and self.other.search(text))
        )


def _test(pattern: str, flags: int, triggers: str) -> Callable[[_Line], bool]:
    rx = _Pattern(pattern, flags)
    if triggers:
        words = triggers.split("|")
        return lambda line: any(t in line.low for t in words) and rx.search(line.text)
    return lambda line: rx.search(line.text)


def _rx(reason: str, pattern: str, flags: int = _I, triggers: str = "") -> _Rule:
    """Rule: pattern found in a line; ``triggers`` ("|"-separated lowercase
    substrings, one of which every match contains) skip the regex on most lines."""
    return reason, _test(pattern, flags, triggers)


def _short(reason: str, n: int, pattern: str, flags: int = _I, triggers: str = "") -> _Rule:
    """Rule: pattern found in a line of at most ``n`` words that is not reporting."""
    test = _test(pattern, flags, triggers)
    return reason, lambda line: line.words <= n and not line.reporting and test(line)


_PROMO_WORDS = re.compile(
    r"\b(?:sign(?:ed|ing)? ?up|subscrib(?:e|ing)|subscription|newsletters?|inbox|"
    r"unsubscribe|e-?mail alerts?|breaking news (?:alerts|emails)|free trial|mailing list)\b",
    _I,
)
_PROMO_STRONG = re.compile(r"\b(?:newsletters?|inbox|unsubscribe|e-?mail alerts?|Sign Up)\b")
_PROMO_START = re.compile(
    r"(?:\[?Sign up|Subscribe|Get (?:the|our|breaking|news)|Want (?:more|stories)|"
    r"Support our journalism|Already a subscriber|Thank you for (?:subscribing|registering|"
    r"signing up)|Premium content|New to [\w.]+\? Subscribe|Newsletter|Breaking News Emails|"
    r"Interested in .{0,40}\? Add|in your inbox|Never miss|Don'?t miss (?:a|out)|"
    r"Join (?:our|the) (?:mailing list|newsletter)|Just fill in your contact details)\b",
    _I,
)


def _promo(ln: _Line) -> bool:
    """Newsletter, subscription and registration prompts."""
    line, words = ln.text, ln.words
    if ln.reporting or words > 80 or line.startswith(("“", '"')):
        return False
    hits = _PROMO_WORDS.findall(line)
    if _PROMO_START.match(line) and (hits or words <= 25):
        return True
    if len(hits) >= 2 and _PROMO_STRONG.search(line):
        return True
    return len(hits) == 1 and words <= 8 and bool(_PROMO_STRONG.search(line))


_RULES: list[_Rule] = [
    _rx(
        "web archive notice",
        r"Alexa Internet has been donating|These crawls are part of an effort|"
        r"^The seed for .{1,40} was\b|^-+ ?(?:Slash pages|a ranking of all URLs|up to a maximum of|"
        r"Top ranked pages)|^This crawl was run at|WARC files associated with this crawl|"
        r"^This (?:data|collection) (?:is|contains)\b.*\b(?:crawl|publicly accessible)|"
        r"web collections? curated by|Archive-It service|"
        r"^this data is currently not publicly accessible|"
        r"^Number of (?:unique URLs|hosts|captures):|^Web wide crawl with\b|"
        r"software for distributed crawling|^Crawl (?:start|end) date:|"
        r"^The seed list for this crawl\b|\bcrawler software and respected robots\.txt|"
        r"^The scope of (?:the|this) crawl\b|^However this was a somewhat experimental crawl\b|"
        r"^We have made many changes to how we do these wide crawls\b|"
        r"^If you would like access to this set of crawl data\b|^What['’]s in the data set:",
        triggers="alexa|crawl|seed for|pages|urls|warc|curated|archive-it|"
        "publicly accessible|number of|data set",
    ),
    _short(
        "update note",
        30,
        r"^(?:UPDATE|Update[ds]?)\b.{0,60}?(?:\badds? |\bwe(?:'ve|’ve| have) (?:added|updated|"
        r"changed|corrected)\b|\bto (?:include|correct|add|reflect|clarify)\b|"
        r"\b(?:this|the) (?:story|post|piece|article|report) (?:has been|was) )",
        triggers="update",
    ),
    _short(
        "error page",
        40,
        r"^(?:Sorry, )?(?:the )?page (?:you (?:requested|are looking for) )?(?:could not be found|"
        r"not found|no longer exists)|^If you are trying to reach a page from a bookmark|"
        r"^If you are looking for an older news story|^If you still have trouble finding|"
        r"^(?:404|Error 404)\b|^Access denied|^Your custom domain mapping|^You're Almost There",
    ),
    _short(
        "site notice",
        40,
        r"\b(?:enable|turn on) JavaScript|JavaScript is (?:disabled|required)|"
        r"requires JavaScript|browser (?:does not|doesn't) support|upgrade your browser|"
        r"\b(?:capable|compatible|enabled) browser\b|\bbrowser to (?:see|view|watch|play) this\b|"
        r"Rating is available when the video has been rented|"
        r"This feature is not available right now|interactive transcript could not be loaded|"
        r"^This video is (?:copyright protected|represented by)|For any licensing requests|"
        r"^(?:Published|Uploaded) on " + _MONTH + r"\s+\d|Media playback is unsupported|"
        r"^Your (?:browser|device) |^From Wikipedia, the free encyclopedia",
        triggers="javascript|browser|video|feature|transcript|licensing|published on|"
        "uploaded on|media playback|your device|wikipedia",
    ),
    _short(
        "cookie notice",
        60,
        r"\b(?:we|this (?:site|website)) uses? cookies|\bcookie (?:policy|settings|preferences)|"
        r"\baccept (?:all )?cookies|by continuing to (?:use|browse) (?:this|our) (?:site|website)|"
        r"\bprivacy policy\b.*\b(?:terms|agree)|\bterms of (?:service|use)\b.*\bprivacy",
        triggers="cookie|continuing to|privacy",
    ),
    _short(
        "comments",
        40,
        r"^This discussion is (?:now )?closed|comments? (?:are|is) (?:now )?closed|"
        r"^(?:Post|Leave|Add|Show|View|Load|Hide) (?:a |your |all )?comments?\b|"
        r"Let us know in (?:the )?comments|share your (?:own )?(?:thoughts|comments) .*\bcomments|"
        r"^Join the (?:conversation|discussion)\b|commenting (?:policy|guidelines)|"
        r"^We welcome (?:your )?comments|^\d+ comments?$|^Comments? \(\d+\)$|"
        r"^(?:Please )?(?:keep )?(?:post|share|leave|tell|let)\w* .{0,40}\bin the comments\b",
        triggers="discussion|comment|conversation",
    ),
    _short(
        "share block",
        40,
        r"^Tweet with a location|location information to your Tweets|^Add a location to your Tweets|"
        r"When you tweet with a location|^\W{0,3}Follow (?:us|@|.{1,40}\bon (?:Twitter|Facebook|Instagram))|"
        r"\b[Ff]ollow us on\b|"
        r"^Like us (?:on|at) |^Join us on Facebook|^Share (?:this|on|via)\b|^share tweet|"
        r"^Click to (?:email|share|print)|\(Opens in new window\)|^Read or Share this story|"
        r"^Stay (?:Up To Date|with|connected)\b.*\b(?:Twitter|Facebook|for the latest)|"
        r"^Join The Conversation On|^Have a tip\b|^Got a (?:news )?tip\b|"
        r"^Want (?:to add to|more stories like|stories like)|FREE APPS\b|^Download (?:the|our) ",
    ),
    ("newsletter", _promo),
    _short(
        "byline",
        14,
        r"^[/|–—-]?\s*(?:Updated\s+)?By\s+(?:[A-Z][\w.'’-]+\s+){1,3}[A-Z][\w.'’-]+"
        r"(?:\s+(?:and|&)\s+(?:[A-Z][\w.'’-]+\s*){2,4})?(?:\s*[,|–—-]\s*[^!?]{0,80})?$|"
        r"^\W{0,3}(?:Published|Posted|Updated|Last (?:updated|modified)|First published)"
        r"(?: on| at)?:?\s+(?:\d|" + _MONTH + r"|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\b)|"
        r"^[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){1,3}, (?:Reuters|AP|Associated Press|AFP|CNN|"
        r"Bloomberg|The Associated Press|Staff Writer|Staff Reporter|Correspondent)\.?$|"
        r"^[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){1,3} (?:writes|reports) for\b",
        re.M,
    ),
    _short(
        "credit line",
        30,
        r"\bcontributed (?:to )?(?:this|the) (?:report|story|article)|"
        r"^\W{0,3}(?:[Ww]ith )?(?:[Aa]dditional )?[Rr]eporting by\b|^\W{0,3}(?:Editing|Writing) by\b|"
        r"^\W{0,3}With assistance by\b|"
        r"^Original(?:ly published| article) (?:on|at|in)\b|^— ?[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3}$|"
        r"^With (?:[A-Z][\w.'’-]+ [A-Z][\w.'’-]+,? ?(?:and )?){2,}$",
        0,
    ),
    # a Reuters credit in brackets, however long: "(Additional reporting by Jane Doe in
    # Beijing, ...; Writing by ...; Editing by ...)"
    _rx(
        "credit line",
        r"^\((?:[Ww]ith )?(?:[Aa]dditional )?[Rr]eporting by [A-Z][^()]{1,600}\)$",
        0,
        triggers="reporting by",
    ),
    # an AP story's sign-off: "Lucey reported from Washington. Associated Press
    # writer Jill Colvin in Washington contributed to this report." ('reported')
    _rx(
        "credit line",
        r"^(?:[A-Z][\w.'’-]+ ){0,2}[A-Z][\w.'’-]+ reported from (?:[A-Z][\w.'’-]*,? ?){1,4}\.$|"
        r"^(?:[A-Z][\w.'’-]+ ){0,2}[A-Z][\w.'’-]+ reported from (?:[A-Z][\w.'’-]*,? ?){1,4}\. "
        r"[^.!?]{0,250}\bcontributed (?:to )?(?:this|the) (?:report|story|article)\.?$",
        0,
        triggers="reported from",
    ),
    _short(
        "copyright",
        60,
        r"^Copyright\s*(?:©|\(c\)|\d{4})|^©|\bAll rights reserved\b|Copyright (?:©|\(c\))|"
        r"© ?\d{4}|This material may not be published, broadcast",
        triggers="copyright|©|rights reserved|(c)|may not be published",
    ),
    _short(
        "related link",
        40,
        r"^(?:READ MORE|Read more|Read More|RELATED|Related|ALSO|Also|See more|SEE MORE|See also|"
        r"MORE|More|WATCH|Watch|READ|Read|Trending News|Recommended|Don't miss|DON'T MISS|"
        r"Previously|PREVIOUSLY|Related Links|Related Stories)\s*(?:[:»>]|about:)|"
        r"(?:\bRead more|\bMore ?»|»|>>)\s*$|^\((?:PHOTOS?|VIDEO|MORE|RELATED|SEE)\b[^)]*\)$|"
        r"^\[[^\]]{3,200}\]$|^Read (?:the full|[^.]{1,60} here\.?$)|"
        r"\bfor the latest updates\b.*\bcheck\b|^\W{0,3}(?:RELATED|READ ALSO|ALSO READ|"
        r"MORE ON THIS|RELATED CONTENT|Related|Read also)\b\s*(?:[:|»>-]|CONTENT\b)|"
        r"^RELATED [A-Z]|^Read more (?:on|from|at) |^Related News|"
        # directions to the rest of the page ("Read on for the backstage reactions ...")
        r"^(?:Read on|Scroll (?:down|up)|Keep (?:reading|scrolling)) (?:for|to (?:see|find|read))\b|"
        r"^(?:Check out|See|Watch|Take a look at|Have a look at) [^.]{0,80}\b(?:below|above)\.?$|"
        # a "More information" box ("For more about chronic pain, visit the U.S. ...")
        r"^More (?:information|info)\b\s*(?::|$)|^For more (?:information |details )?(?:about|on) "
        r"[^.]{1,80}, (?:visit|see|go to|check)\b|^Visit [^.]{1,100}\b(?:website|site) for more\b|"
        # a pointer to a web address or another outlet ("Visit amnh.org for more
        # information.", "For more on Rihanna, head over to Billboard.")
        r"^(?:Visit|Check out|Go to|Head (?:over )?to) (?:www\.)?[\w-]+\.(?:com|org|net|gov|edu)\b"
        r"(?:[^.]{0,60}\bfor (?:more|the latest|tickets|ticketing|details)\b|\W*$)|"
        r"^For more (?:news |coverage |stories )?(?:about|on) [^.]{1,80}, (?:head (?:over )?to|follow)\b",
        0,
    ),
    _rx(
        "related link",
        r"^\W*(?:Click here|(?:To|For) [^.]{0,80}\bclick here)\b|"
        r"^(?=(?:\S+\s+){0,13}\S+$).*\bclick here\b|"
        r"^\W*Click (?:below|above|(?:on )?(?:the|this) (?:link|button))\b",
    ),
    # CNN's video widget: "JUST WATCHED <title> Replay More Videos ... MUST WATCH <title> 00:47"
    _rx(
        "video player",
        r"^JUST WATCHED .{1,200}? Replay More Videos\b|^MUST WATCH .{1,200} \d{1,2}:\d\d$",
        0,
        triggers="must watch|just watched",
    ),
    # an item of a video playlist: title, "| 1:00" (its length), description, "11 of 68"
    _rx(
        "related link",
        r" \| \d{1,2}:\d\d .{0,600}[.!?\"”)] (?:[A-Z][\w ]{0,20} )?\d{1,3} of \d{1,3}$",
        0,
        triggers=" | ",
    ),
    ("navigation", lambda ln: nav_crumbs(ln.text)),
    ("related link", lambda ln: teaser(ln.text)),
    _rx("navigation", r"^reset\s|^Text Size\b|\[ ?edit ?\]$|^sound \d\d:\d\d", 0),
    _short(
        "navigation",
        30,
        r"^(?:Topics|Tags|Filed under|This article (?:is )?tagged under|Categories)\s*:|"
        r"^(?:no )?(?:previous|next) page$",
    ),
    _short(
        "contact",
        14,
        # an address starts where its run of characters does (the look-behind):
        # tried from inside a long run, the search was quadratic (minutes)
        r"(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.]+|^(?:Twitter|Email|E-mail|Contact)\s*:?\s*@|"
        r"^Reach [^.]{1,40} (?:on Twitter|at)\b|^Write to [^.]{1,40} at\b|"
        r"^(?:[@#][\w.]+|\+?[\d() .-]{7,}|\s)+$",
    ),
    _short("contact", 40, r"\bEmail us at\b|\bhaveyoursay@"),
    _rx(
        "embedded social post",
        rf"(?:—|–|--?) .{{1,60}}\(@\w{{1,20}}\) (?:on )?{_MONTH} \d{{1,2}}, \d{{4}}$|"
        rf"A post shared by .{{1,80}}\(@[\w.]+\) on {_MONTH} \d{{1,2}}, \d{{4}}",
        0,
        triggers="(@",
    ),
    _short(
        "correction note",
        50,
        r"^\W{0,3}(?:This|An earlier version of this) (?:story|article|post)"
        r"(?: has been| was| have been)? (?:corrected|updated|clarified|revised|"
        r"(?:edited|amended) (?:at|on)\b)|"
        r"^\W{0,3}(?:CORRECTION|Correction|Clarification|CLARIFICATION|Editor['’]?s [Nn]ote)\s*[:—-]",
    ),
    _short(
        "petition prompt",
        30,
        r"^\W*(?:Sign (?:the|our|this) petition|Add your name)\b|"
        r"\bconfirm your (?:signature|e-?mail(?: address)?)\b",
    ),
    _short("login prompt", 12, r"^(?:Welcome back\. )?(?:Please )?sign in\b|\bPlease sign in$"),
    _rx(
        "markup",
        r"^\s*<\/?[a-z][^>]*>|\b(?:poster|src|href|class|style)=\"|\{\*.*\*\}",
        triggers='<|="|{*',
    ),
    _short("link", 14, r"(?:https?://|www\.)\S+\s*$", _I),
    # a weather box: "Wednesday (59/53) Clouds/Showers Thursday (57/48) ..."
    _rx(
        "weather box",
        r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day \(-?\d+°?/-?\d+°?\).{0,40}?){3}",
        0,
    ),
    _rx("timestamp", rf"^(?:{_DATE}|\d{{1,2}}:\d\d\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{{2,4}})?)$"),
]


_LETTER = re.compile(r"[^\W\d_]")
_NON_LATIN = re.compile(r"[^\W\d_\x00-\u024f]")


def _foreign_script(line: str) -> bool:
    """Most letters outside the Latin script (a line in another language)."""
    if line.isascii() or not _NON_LATIN.search(line):
        return False
    letters = len(_LETTER.findall(line))
    return letters >= 4 and len(_NON_LATIN.findall(line)) > 0.5 * letters


def classify_line(line: str, *, first: bool = False) -> str | None:
    """The boilerplate reason for one stripped line, or None when it is content.

    ``first`` says the line is the article's first non-blank line (where a
    caption without credit is still recognised by its trailing date).
    """
    if not line:
        return None
    words = len(line.split())
    if words <= 8:
        for reason, rx in _LINE_RULES:
            if rx.fullmatch(line):
                return reason
    ln = _Line(line, words, _REPORTING.search(line) is not None, line.lower())
    if credit_only(line) or caption(line, words, ln.reporting, first):
        return "caption"
    if _foreign_script(line):
        return "non-English line"
    for reason, test in _RULES:
        if test(ln):
            return reason
    return None
