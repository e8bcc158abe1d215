"""Bytes to text and the choice of mode.

Order: byte-order mark; binary data refused (file signatures, NUL bytes, control
characters; UTF-16 without a mark is recognised by its NULs); UTF-8; a declared charset
when the text reads well in it; UTF-8 with broken bytes refused (a damaged file is not a
legacy encoding); else the legacy encoding that reads best (``charsets``). Every refusal
is an InputError whose message says why.
"""

from __future__ import annotations

import codecs
import re
from pathlib import PurePath

__all__ = ["InputError", "decode", "detect_format", "HTML_SUFFIXES", "TEXT_SUFFIXES"]

TEXT_SUFFIXES = {".txt", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.:-]+)""",
    re.I,
)
_HTML_SNIFF = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b"
                         r"|<(?:p|div|body|article|br|span|a)\b[^>]*>", re.I | re.S)


class InputError(ValueError):
    """An input that cannot be cleaned; the message is one line saying why."""


_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"%PDF-", "a PDF document"), (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"), (b"\xff\xd8\xff", "a JPEG image"), (b"PK\x03\x04", "a ZIP archive (or an Office or EPUB file)"),
    (b"\x1f\x8b", "gzip-compressed data"), (b"\xfd7zXZ\x00", "xz-compressed data"), (b"(\xb5/\xfd", "zstd-compressed data"),
    (b"BZh91AY&SY", "bzip2-compressed data"), (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"), (b"\x7fELF", "an executable (ELF)"),
    (b"SQLite format 3\x00", "an SQLite database"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document"),
    (b"wOFF", "a web font"), (b"wOF2", "a web font"), (b"OggS\x00", "an Ogg media file"),
)
SNIFF_BYTES = 65536
# C0 controls that no text uses (tab, line feed, form feed, carriage return, escape and
# the DOS end-of-file mark are fine); above this share of a sample the data is binary
_CONTROLS = bytes(set(range(0x20)) - {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1A, 0x1B}) + b"\x7f"
MAX_CONTROL_SHARE = 0.01


def _binary_reason(data: bytes) -> str | None:
    """Why ``data`` is not text (a known file signature, NUL bytes, control characters)."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return f"binary data ({what}), not text or HTML"
    if data[:4] == b"RIFF" and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return "binary data (a RIFF media file), not text or HTML"
    sample = data[:SNIFF_BYTES]
    if b"\x00" in sample:
        return "binary data (NUL bytes), not text or HTML"
    controls = len(sample) - len(sample.translate(None, _CONTROLS))
    if controls >= 8 and controls > MAX_CONTROL_SHARE * len(sample):
        return f"binary data ({controls} control characters in the first {len(sample)} bytes), not text or HTML"
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a byte-order mark: NUL in every other byte of the Latin text."""
    sample = data[:SNIFF_BYTES]
    if len(sample) < 8 or len(data) % 2:
        return None
    half = len(sample) // 2
    for enc, zeros, others in (("utf-16-le", sample[1::2], sample[0::2]), ("utf-16-be", sample[0::2], sample[1::2])):
        if zeros.count(0) >= 0.3 * half and others.count(0) <= 0.05 * half:
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                return None
            if any(c < " " and c not in "\t\n\r\f\v" for c in text[:SNIFF_BYTES]):
                return None
            return text
    return None


def _utf8_error(data: bytes) -> InputError | None:
    """The error for text that is UTF-8 but for some bytes (a damaged file, not a legacy
    encoding): more well-formed multi-byte characters than broken sequences."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    good = len(text) - len(text.encode("ascii", errors="ignore")) - text.count("\ufffd")
    if not bad or good <= bad:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        broken = bad
        where = "at its end (a character cut in two)" if exc.end == len(data) and broken == 1 else f"at byte {exc.start}"
        return InputError(f"invalid UTF-8: {broken} broken byte sequence{'s' if broken > 1 else ''}, the first "
                          f"{where}, in a text that is otherwise UTF-8")
    return None


def decode(data: bytes) -> str:
    """Bytes to text: by byte-order mark; binary data refused (file signatures, NUL bytes,
    control characters); UTF-8; a declared charset (HTML meta, XML declaration) when the
    text reads well in it; UTF-8 with broken bytes refused; else the legacy encoding that
    reads best (``charsets.ranked``). Raises InputError with the reason."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc)
            except UnicodeDecodeError as exc:
                raise InputError(f"invalid {enc} after its byte-order mark: {exc.reason} at byte {exc.start}") from None
    reason = _binary_reason(data)
    if reason:
        if "NUL" in reason and (text := _utf16_without_bom(data)) is not None:
            return text
        raise InputError(reason)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from .charsets import MAX_PENALTY, normalize_charset, penalty, ranked

    m = _DECLARED.search(data[:4096])
    declared = normalize_charset((m.group(1) or m.group(2)).decode("ascii")) if m else None
    if declared and declared != "utf-8":
        try:
            text = data.decode(declared)
        except UnicodeDecodeError:
            text = None
        if text is not None and penalty(text[:SNIFF_BYTES]) <= MAX_PENALTY / 2:
            return text
    error = _utf8_error(data)
    if error is not None:
        raise error
    for score, enc in ranked(data, declared if declared != "utf-8" else None):
        if score > MAX_PENALTY:
            break
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise InputError("undecodable bytes: not UTF-8, and no known encoding reads as text")


def detect_format(text: str, name: str | None = None) -> str:
    """``html`` or ``text``: by file suffix when it is a known one, else by content."""
    if name:
        suffix = PurePath(name).suffix.lower()
        if suffix in HTML_SUFFIXES:
            return "html"
        if suffix in TEXT_SUFFIXES and name != "-":
            return "text"
    return "html" if _HTML_SNIFF.search(text[:2000]) else "text"
