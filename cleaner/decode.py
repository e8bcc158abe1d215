"""Bytes to text and the choice of mode: BOM, declared charset, then detection."""

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


def decode(data: bytes) -> str:
    """Decode by BOM, then a declared charset (HTML meta, XML declaration), then UTF-8,
    then detection. Binary data (NUL bytes, undecodable) raises InputError."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc)
            except UnicodeDecodeError as exc:
                raise InputError(f"invalid {enc} after its byte-order mark: {exc.reason}") from None
    if b"\x00" in data[:65536]:
        raise InputError("binary data (NUL bytes), not text or HTML")
    m = _DECLARED.search(data[:4096])
    if m:
        declared = (m.group(1) or m.group(2)).decode("ascii").lower()
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1_000_000]).best()
    if best is None:
        raise InputError("undecodable bytes: not text in any known encoding")
    return data.decode(best.encoding, errors="replace")


def detect_format(text: str, name: str | None = None) -> str:
    """``html`` or ``text``: by file suffix when it is a known one, else by content."""
    if name:
        suffix = PurePath(name).suffix.lower()
        if suffix in HTML_SUFFIXES:
            return "html"
        if suffix in TEXT_SUFFIXES and name != "-":
            return "text"
    return "html" if _HTML_SNIFF.search(text[:2000]) else "text"
