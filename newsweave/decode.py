"""Turn the bytes of one input into checked text.

The bad-input checks that come before any format is recognised: the size
limit, binary files (known file signatures, NUL bytes, control characters),
the encoding (UTF-8 with or without BOM, UTF-16 with or without a BOM,
UTF-32 with a BOM, then Windows-1252/Latin-1 with a warning for the bytes
that are not UTF-8), empty or whitespace-only input, and a
cheap guess whether a text is English. Every refusal is an
:class:`InputError` naming the input and the reason.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from .errors import InputError

MAX_BYTES = 50 * 2**20
# characters of text one story may hold: 7x the largest cluster of the
# evaluation sets (71,297); more is a dump or a book, and takes minutes
MAX_STORY_CHARS = 500_000
SUPPORTED = "newsweave reads plain text, HTML, JSON or JSONL"

_MAGIC = {
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or an office document)",
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"\x1f\x8b": "a gzip archive",
    b"BZh": "a bzip2 archive",
    b"\xfd7zXZ": "an xz archive",
    b"\x7fELF": "an executable",
}

# --------------------------------------------------------------------- English
_EN_STOP = frozenset(
    """a about above after again against all also am an and any are as at be because
    been before being below between both but by can could did do does doing down during
    each few for from further had has have having he her here hers him his how i if in
    into is it its itself just me more most my no nor not now of off on once only or
    other our out over own said same says she should so some such than that the their
    them then there these they this those through to too under until up very was we
    were what when where which while who whom why will with would you your""".split()
)
# frequent function words of other languages that are not English words
_FOREIGN_STOP = frozenset(
    """der die und das ist nicht ein eine einen mit von zu den dem des sich auf für
    auch wird wurde sind hat bei nach aus wie nur noch le la les et est une du pour
    que qui dans sur pas avec sont ont au aux ce cette il elle ils el los las del y
    por con una para es lo se su sus al como más pero fue il di che della per non
    gli nel sono è da um uma não os em ao na no pelo pela het een van en op te zijn
    niet dat voor och att är som för på med det av jag""".split()
)
_WORD = re.compile(r"[^\W\d_]+")
SHORT_MIN_TOKENS = 8  # below this a text is too short to judge
# letters from which a text mostly in another script (Cyrillic, Arabic, CJK...)
# is foreign however few its words: CJK and Thai do not separate words by spaces
SHORT_MIN_LETTERS = 20


def is_probably_english(text: str, *, min_tokens: int = 30) -> bool:
    """Cheap guess whether ``text`` is English.

    Counts common English function words against common function words of
    other European languages, and letters outside the Latin script. Texts
    with fewer than ``min_tokens`` words (titles, names, a short lead) are
    rejected only when clearly foreign: at least ``SHORT_MIN_TOKENS`` words,
    a fifth of them foreign function words and under a third as many English
    ones; with fewer words they are accepted. A text of at least
    ``SHORT_MIN_LETTERS`` letters, most of them outside the Latin script, is
    never English, however few words it has (Chinese or Thai run words together).
    """
    tokens = _WORD.findall(text[:20000].lower())
    letters = "".join(tokens)
    latin = sum(1 for ch in letters if ch < "\u0250")
    if len(letters) >= SHORT_MIN_LETTERS and latin < 0.5 * len(letters):
        return False  # mostly another script (Cyrillic, Arabic, CJK...), however short
    if len(tokens) < min_tokens:
        if len(tokens) < SHORT_MIN_TOKENS:
            return True
        en = sum(t in _EN_STOP for t in tokens)
        foreign = sum(t in _FOREIGN_STOP for t in tokens)
        return not (foreign >= 0.2 * len(tokens) and 3 * en < foreign)
    en = sum(t in _EN_STOP for t in tokens) / len(tokens)
    foreign = sum(t in _FOREIGN_STOP for t in tokens) / len(tokens)
    if foreign > en and foreign > 0.05:
        return False
    return en >= 0.05


def check_english(text: str, name: str) -> None:
    """Raise :class:`InputError` naming ``name`` when ``text`` is not English."""
    if not is_probably_english(text):
        raise InputError(
            f"{name}: text appears not to be English (newsweave supports English news)"
        )


# -------------------------------------------------------------------- decoding
def _looks_like_text(text: str, *, ascii_share: float = 0.0) -> bool:
    if not text:
        return False
    sample = text[:100000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    controls += sum(1 for ch in sample if 0x7F <= ord(ch) < 0xA0)
    if controls > max(4, 0.01 * len(sample)):
        return False
    if ascii_share:
        plain = sum(1 for ch in sample if ord(ch) < 128)
        if plain < ascii_share * len(sample):
            return False
    return True


# each byte as Windows-1252 reads it (Latin-1 for the five bytes it leaves undefined)
_CP1252 = [bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256)]
_CP1252_ERRORS = "newsweave-cp1252"
_ASCII = bytes(range(128))


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Decoding error handler: bytes that are not UTF-8 are read as Windows-1252,
    so a UTF-8 file with a few stray Windows-1252 bytes keeps its UTF-8 text."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return "".join(_CP1252[b] for b in exc.object[exc.start : exc.end]), exc.end


codecs.register_error(_CP1252_ERRORS, _cp1252_fallback)

# byte-order marks of the wide encodings (UTF-32 first: its LE mark starts like UTF-16's)
_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def _utf16_codec(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when ``data`` looks like UTF-16 without a BOM: a NUL
    in the same byte of nearly every pair (Latin text), none in the other."""
    sample = data[:65536]
    if len(data) % 2 or len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    for zeros, chars, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros.count(0) >= 0.9 * len(zeros) and chars.count(0) <= 0.01 * len(chars):
            return codec
    return None


def _decode_wide(data: bytes) -> str | None:
    """The text of UTF-16 or UTF-32 input (with a BOM, or UTF-16 without one);
    None when ``data`` is not in one of them."""
    codec = next((c for bom, c in _WIDE_BOMS if data.startswith(bom)), None)
    codec = codec or _utf16_codec(data)
    if codec is None:
        return None
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def read_text_bytes(data: bytes, name: str) -> tuple[str, list[str]]:
    """Decode the bytes of one input into text; return ``(text, warnings)``.

    Tries UTF-16 or UTF-32 with a BOM, UTF-16 without one (recognised by its
    NUL bytes), UTF-8 (with or without BOM); bytes that are not UTF-8 are
    read as Windows-1252 (Latin-1 for its undefined bytes) with a warning
    when the result looks like text, so the UTF-8 parts of a file of mixed
    encodings stay right. Line ends
    are normalised to ``\\n``. Raises :class:`InputError` for empty,
    whitespace-only, binary or undecodable input.
    """
    warnings: list[str] = []
    if not data:
        raise InputError(f"{name}: the input is empty")
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise InputError(f"{name}: looks like {what}, not text; {SUPPORTED}")
    text = _decode_wide(data)
    if text is None and b"\x00" in data[:65536]:
        raise InputError(f"{name}: looks like a binary file (contains NUL bytes); {SUPPORTED}")
    if text is None:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            bad = len(data) - len(data.decode("utf-8", errors="ignore").encode("utf-8"))
            mixed = bad < len(data.translate(None, _ASCII))  # some non-ASCII is UTF-8
            candidate = data.decode("utf-8-sig" if mixed else "cp1252", errors=_CP1252_ERRORS)
            if not _looks_like_text(candidate, ascii_share=0.85):
                raise InputError(
                    f"{name}: cannot decode the bytes as text (not UTF-8, and not "
                    "readable as Windows-1252/Latin-1); save the file as UTF-8"
                ) from None
            text = candidate
            where = (
                f" where it is not ({bad} byte{'s' if bad != 1 else ''}, the rest as UTF-8)"
                if mixed
                else ""
            )
            warnings.append(
                f"{name}: not valid UTF-8; read as Windows-1252{where} (check accented characters)"
            )
    if not text:  # a byte-order mark and nothing else
        raise InputError(f"{name}: the input is empty")
    if not _looks_like_text(text):
        raise InputError(f"{name}: looks like a binary file (mostly non-text bytes); {SUPPORTED}")
    text = normalize_newlines(text)
    if not text.strip():
        raise InputError(f"{name}: the input contains only whitespace")
    return text, warnings


def nfc(text: str) -> str:
    """``text`` with accents written as combining marks composed (Unicode NFC),
    for comparing words; offsets always index the text as read."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def normalize_newlines(text: str) -> str:
    """``text`` with every line end (``\\r\\n``, a lone ``\\r``) written ``\\n``: the
    one form cleaning and segmentation read, for files and JSON or API texts alike."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


# ----------------------------------------------------------------------- files
def storable(text: str) -> str:
    """``text`` with the lone surrogates that stand for the undecodable bytes
    of a file name (``os.fsdecode``) written as ``\\xNN``: UTF-8 output and
    SQLite cannot hold them, and the same name always gives the same text."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return text


def read_file_bytes(path: Path, name: str, max_bytes: int) -> bytes:
    """The bytes of a file, refusing unreadable files and files over ``max_bytes``."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(too_big(name, size, max_bytes))
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > max_bytes:
        raise InputError(too_big(name, None, max_bytes))  # a pipe or device: read to the limit
    return data


def byte_size(n: int) -> str:
    """``n`` bytes for a message: "3.2 MB", "12.5 KB" or "100 bytes"."""
    if n >= 2**20:
        return f"{n / 2**20:.1f} MB".replace(".0 MB", " MB")
    if n >= 1024:
        return f"{n / 1024:.1f} KB".replace(".0 KB", " KB")
    return f"{n} bytes"


def too_big(name: str, size: int | None, max_bytes: int) -> str:
    """The message for an input of ``size`` bytes over the ``max_bytes`` limit
    (``size`` None: a stream read only up to the limit, its size unknown)."""
    what = "input is" if size is None else f"input is {byte_size(size)},"
    return (
        f"{name}: {what} over the {byte_size(max_bytes)} limit; "
        "raise the limit with max_bytes=... (CLI: --max-bytes) or split the input"
    )
