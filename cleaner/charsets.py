"""Which legacy encoding a text that is not UTF-8 is in.

Every candidate encoding that decodes a sample of the bytes without error is scored by
how unreadable the result is (``penalty``): control and unassigned characters, stray
symbols, half-width katakana and Arabic presentation forms (the usual look of a wrong
guess), words that mix scripts ("Mйr"), words whose case flips from lower to upper
inside ("вЧЕРА", KOI8-R read as cp1251) and Latin words made of accented letters only
("ÐÒÏÛÌÏ", KOI8-R read as Latin-1). The least unreadable wins; ties go to a
declared charset, then to the order of ``CANDIDATES`` (most common first); encodings
that only charset_normalizer proposes come last. Short texts are where statistics alone go wrong
(a one-line KOI8-R text comes out as half-width katakana); the penalty catches that.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

__all__ = ["CANDIDATES", "MAX_PENALTY", "ranked", "penalty", "normalize_charset"]

CANDIDATES = (
    "cp1252", "cp1251", "koi8_r", "cp1250", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
    "cp874", "koi8_u", "cp866", "mac_cyrillic", "iso8859_2", "iso8859_5", "iso8859_7",
    "cp932", "euc_jp", "gb18030", "big5", "cp949", "mac_roman", "latin_1",
)
# the penalty per non-ASCII character above which no candidate counts as readable text
MAX_PENALTY = 0.5
SAMPLE_BYTES = 8192

# WHATWG labels (what browsers do) and labels Python does not know
_ALIASES = {
    "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "l1": "cp1252",
    "us-ascii": "cp1252", "ascii": "cp1252", "iso-8859-9": "cp1254", "iso-8859-11": "cp874", "tis-620": "cp874",
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932", "windows-31j": "cp932",
    "ms_kanji": "cp932", "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "euc-cn": "gb18030",
    "ks_c_5601-1987": "cp949", "euc-kr": "cp949", "x-cp1251": "cp1251", "x-cp1250": "cp1250",
    "x-mac-cyrillic": "mac_cyrillic", "big5-hkscs": "big5hkscs", "x-euc-jp": "euc_jp",
}
_WORD = re.compile(r"\w+")
_WIDE = re.compile(r"[^\x00-\x7f]")
_SYMBOLS_OK = set("°©®™×±€£¥¢·•…‰′″")
# a sign, digit or punctuation mark beyond ASCII between two letters ("by³o", "mo¿e": Polish
# cp1250 read as cp1252); apostrophes, the Catalan middle dot and hyphens are at home there
_INSIDE_WORD = re.compile(r"(?<=[^\W\d_])[^\x00-\x7f\w\s’‘·\u00ad\u2010\u2011\u3000-\u30ff\uff00-\uffef](?=[^\W\d_])|(?<=[^\W\d_])[¹¿]")


def normalize_charset(label: str) -> str | None:
    """The Python codec for a declared charset label, or None when unknown or when the
    label cannot describe bytes found by an ASCII-compatible declaration (UTF-16/32)."""
    import codecs

    label = label.strip().lower()
    name = _ALIASES.get(label, label)
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    if info.name.startswith(("utf-16", "utf-32")):
        return None  # a declaration readable as ASCII is not in UTF-16; browsers read UTF-8
    return info.name


@lru_cache(maxsize=65536)
def _char_cost(c: str) -> tuple[float, str]:
    """(cost, script) of one non-ASCII character; script is '' for non-letters."""
    cat = unicodedata.category(c)
    o = ord(c)
    if cat in ("Cc", "Cn", "Co", "Cs"):
        return 10.0, ""
    if 0xFF61 <= o <= 0xFF9F or 0xFB50 <= o <= 0xFDFF or 0xFE70 <= o <= 0xFEFF:
        return 1.0, "CJK" if o >= 0xFF00 else "ARABIC"
    if cat in ("So", "Sm", "Sk") and c not in _SYMBOLS_OK:
        return 1.0, ""
    if cat[0] != "L":
        return 0.0, ""
    script = unicodedata.name(c, "?").split(" ")[0]
    if script in ("HIRAGANA", "KATAKANA", "CJK", "HALFWIDTH", "FULLWIDTH", "IDEOGRAPHIC"):
        script = "CJK"
    return 0.0, script


def penalty(text: str) -> float:
    """How unreadable ``text`` is, per non-ASCII character (0 is clean)."""
    wide_chars = _WIDE.findall(text)
    if not wide_chars:
        return 0.0
    total = sum(n * _char_cost(c)[0] for c, n in Counter(wide_chars).items())
    total += len(_INSIDE_WORD.findall(text))
    for word, n in Counter(w for w in _WORD.findall(text) if not w.isascii()).items():
        total += n * _word_cost(word)
    return total / len(wide_chars)


@lru_cache(maxsize=65536)
def _word_cost(word: str) -> float:
    scripts = set()
    for c in word:
        s = _char_cost(c)[1] if c >= "\x80" else ("LATIN" if c.isalpha() else "")
        if s:
            scripts.add(s)
    cost = 0.0
    if len(scripts) > 1:
        cost += 2
    elif scripts == {"LATIN"}:
        letters = [c for c in word if c.isalpha()]
        wide_letters = sum(1 for c in letters if c >= "\x80")
        if len(letters) >= 4 and wide_letters >= 0.75 * len(letters):
            cost += wide_letters  # "ÐÒÏÛÌÏ": Cyrillic read as Latin-1, not a Latin word
    return cost + sum(1 for a, b in zip(word, word[1:]) if a.islower() and b.isupper())


def _statistical(sample: bytes) -> list[str]:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a dependency of trafilatura
        return []
    return [m.encoding for m in from_bytes(sample) if not m.encoding.startswith("utf")]


def ranked(data: bytes, first: str | None = None) -> list[tuple[float, str]]:
    """(penalty, codec) of every candidate that decodes a sample of ``data``, most readable
    first; ``first`` (a declared charset) wins ties, then ``CANDIDATES`` in order."""
    sample = data[:SAMPLE_BYTES]
    whole = len(sample) == len(data)
    order: list[str] = []
    for name in ([first] if first else []) + list(CANDIDATES) + _statistical(sample):
        if name and name not in order:
            order.append(name)
    scored: list[tuple[float, int, str]] = []
    for rank, name in enumerate(order):
        text = None
        # a sample cut from a longer text may end inside a multi-byte character
        for end in ((len(sample),) if whole else range(len(sample), max(len(sample) - 4, 0), -1)):
            try:
                text = sample[:end].decode(name)
                break
            except UnicodeDecodeError as exc:
                if exc.start < end - 4:
                    break  # an error inside the sample, not a character cut at its end
            except LookupError:
                break
        if text is not None:
            scored.append((penalty(text), rank, name))
    scored.sort()
    return [(p, name) for p, _, name in scored]
