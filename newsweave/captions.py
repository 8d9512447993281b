"""Photo and video captions and credits: rules of :mod:`newsweave.boilerplate`.

:func:`caption` tells a caption by where its marks stand: a label or credit
opening the line ("Photo: ...", "Jane Doe/Getty Images Protesters ..."), a
credit closing it ("... (AP Photo/Jane Doe)", "... Handout via REUTERS"), a
picture described in the present ("This undated photo shows ..."), or a
position in brackets ("(L)") with a credit or a trailing date.
:func:`credit_only` is a line that is only a credit ("Jane Doe/Getty Images").
"""

from __future__ import annotations

import re

_I = re.I
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE = rf"{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
_AGENCY = (
    r"(?:Getty(?: Images)?|AFP|AP|Reuters|REUTERS|EPA|Shutterstock|iStock(?:photo)?|Alamy|"
    r"Corbis|Newscom|Rex Features|REX|Bloomberg|PA|WireImage|FilmMagic|NurPhoto|Zuma(?: Press)?|"
    r"SIPA|Sipa|Xinhua|Anadolu|Splash News|Photofest|AP Images|Invision|Abaca(?: Press)?)"
)


def credit_only(line: str) -> bool:
    """Short line that is just a photo credit: ``Jane Doe/Getty Images``."""
    words = line.split()
    if not 1 <= len(words) <= 8 or line[-1] in '.!?"”':
        return False
    if re.fullmatch(rf"(?:Photo(?:graph)?s?|Image|Picture|Source|Credit)?:?\s*{_AGENCY}", line):
        return True
    return bool(re.fullmatch(r"[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*)*(?: ?/ ?[A-Z][\w.&'’ -]*)+", line))


_CAPTION_POSITION = re.compile(
    r"\((?:L|R|C|C-?[LR]|\d(?:st|nd|rd|th)\s*[LR]|left|right|centre|center|top|bottom|"
    r"front|back|above|below|inset|pictured|file(?: photo)?)\)",
    _I,
)
_CAPTION_CREDIT = re.compile(
    rf"(?:(?:REUTERS|AFP|AP Photo|Photo|Image|Picture|Photograph|Credit)\s*[:/|]|"
    rf"\((?:Photo|Image|Picture|Credit|AP Photo)\b[^)]*\)\s*$|"
    rf"\b[A-Z][\w.'-]+(?: [A-Z][\w.'-]+)*\s*/\s*{_AGENCY}\b[^.]*$|"
    rf"/(?:REUTERS|AFP|AP|Getty Images)\b)"
)
_DATE_END = re.compile(rf"(?<!\bon )(?<!\bsince )(?<!\buntil )(?<!\bby ),\s+{_DATE}\.?\s*$")


# caption rules, split by where they look: line start, line end, anywhere
_CAP_START = re.compile(
    r"(?:(?:Photo|Image|Picture|Photograph|Video|Caption|Credit)s?"
    r"(?: caption| copyright| credit)?\s*[:|]|"
    r"(?:Image (?:copyright|caption)|Enlarge this image|Enlarge Image|toggle caption|"
    r"Media caption|Media playback is unsupported|Buy Photo|FILE -|FILE PHOTO|"
    r"(?:In )?this (?:file )?(?:photo(?:graph)?|image|handout photo) (?:provided|released|taken|made) )\b|"
    r"Facebook Twitter Pinterest\b|Photo(?:graph)?s? (?:by|courtesy of) |"
    # a photo gallery widget flattened into a line ("1 of 26 Full Screen Autoplay Close ...")
    r"\d{1,3} of \d{1,3} Full Screen Autoplay\b)",
    _I,
)
_CAP_START_CS = re.compile(
    rf"[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){{0,3}} ?/ ?{_AGENCY} (?=[A-Z])|Image\s.*\bCredit\s|(?:[\w ]{{1,30}} - )?Getty(?: Images)?\s*-\s|"
    rf"[\w .'&/-]{{1,40}} via {_AGENCY}$|"
    # an archive's credit before the caption: "Hulton Archive - Getty New evidence ..."
    r"(?:[A-Z]\w+ ){0,2}(?:Archive|Images|Pictures|Collection) - Getty(?: Images)? (?=[A-Z])"
)
_CAP_END = re.compile(
    r"(?:\.\.\. \(Associated(?: Pr\w*)?\)?|\(Associated Press\)|\(Published [^)]*\d{4}\)|"
    r"\([A-Z][\w.' -]+/[A-Z][\w.' &-]+\)|\bPhoto(?:graph)?s?(?: by)?:\s*[\w .'&/-]{2,60}|"
    r"\((?:Image|Photo)s?:[^)]*\)|\((?:Courtesy|Submitted|Handout|File)(?: photo)?[^)]{0,60}\)|"
    r"\((?:INSTAGRAM|Instagram|Twitter|Facebook): [^)]+\)|\((?:Getty(?: Images)?|Shutterstock|iStock(?:photo)?)\)|"
    # a credit after the caption's last sentence ("... 2018. Reliance Industries/Handout
    # via REUTERS"), a slideshow's "+ Read Caption Share Photo"
    rf"\. [A-Z][\w .'&-]{{0,40}}/[\w .'&-]{{1,30}} via {_AGENCY}|\+ Read Caption(?: Share Photo)?\W*|"
    # a video's description closed by its date and source ("... (Feb. 5) AP"), in a
    # playlist with its place ("(Jan. 19) AP 2 of 68")
    r"\((?:Jan|Feb|Mar|Apr|May|June|July|Aug|Sept|Oct|Nov|Dec)\.? \d{1,2}\) "
    r"(?:Buzz60|[A-Z][A-Z0-9]{1,12}(?: [A-Z0-9]{2,12})?)(?: \d{1,3} of \d{1,3})?)"
    r"\s*$"
)
_CAP_ANY = re.compile(
    r"\(AP Photo\b|\b(?:toggle|hide) caption\b|\bSlideshow \(\d+ Images?\)|"
    rf"\s\|\s*(?:[A-Z][\w.'-]+(?: [A-Z][\w.'-]+)*\s*/\s*)?(?:{_AGENCY}|AP Photo)\b"
)


# a caption that says so inside ("X, in this photograph provided by ..., is seen"),
# a wire photo's "General view of <place> <date>."
_CAP_INSIDE = re.compile(
    r", in this (?:file )?(?:photo(?:graph)?|image) (?:provided|released|taken|made) by\b|"
    r"^General view of .{5,200}\b\d{4}\.?$"
)


# a caption that describes its picture in the present ("This undated photo
# provided by Husky Homestead shows Banjo, ...", "A photo from NYK shows damage")
_CAP_SHOWS = re.compile(
    r"(?:This|A|An) (?:(?:undated|file|handout|recent|aerial) )*(?:photo(?:graph)?|image|picture)\b"
    r"[^.;:!?]{0,120}?\b(?:shows?|appears? to show)\b"
)


def caption(line: str, words: int, reporting: bool, first: bool) -> bool:
    """Photo and video captions, with or without a credit: ``line`` stripped,
    of ``words`` words, ``reporting`` when it has a reporting verb ("said"),
    ``first`` when it opens the article."""
    tail = line[-200:]
    if _CAP_START.match(line) or _CAP_START_CS.match(line) or _CAP_END.search(tail):
        return True
    if words <= 60 and _CAP_SHOWS.match(line):
        return True
    if ("in this " in line or line.startswith("General view")) and _CAP_INSIDE.search(line):
        return True
    if ("|" in line or "(" in line or "aption" in line) and _CAP_ANY.search(line):
        return True
    if reporting:
        return False
    credit = _CAPTION_CREDIT.search(tail) is not None
    if "(" in line and _CAPTION_POSITION.search(line):
        return bool(credit or first or _DATE_END.search(tail))
    if credit and words <= 60:
        return True
    return bool(first and _DATE_END.search(tail))
