"""Plain text to blocks with exact offsets, and kept blocks back to text (deletion only).

Layout: a text with blank lines is split into paragraphs at blank-line runs; a text
without is split into lines. Inside a paragraph, lines stay together when they look
hard-wrapped (similar widths, no line over 100 characters); otherwise (a whole-page dump,
a header followed by link titles) each line is a block of its own.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Sequence

from .matching import normalize

__all__ = ["Block", "kept_slices", "keeps_layout", "render_text", "split_text"]

_BLANK_RUN = re.compile(r"\n(?:[ \t\f\v\u00a0\u2000-\u200b\u3000]*\r?\n)+")
_BREAK = re.compile(r"[^\S\n]*\n")


@dataclass(slots=True)
class Block:
    """One unit of decision: its index, its verbatim text and where it stands. (Not
    frozen: a frozen dataclass costs five times as much to build, and a document has
    hundreds of blocks; nothing changes a block once made.)

    ``start``/``end`` are character offsets in the text-mode input (None in HTML mode);
    ``norm`` is the text matched by rules; ``kind`` is ``p``, ``head``, ``item``, ``quote``
    ... (HTML) or ``line``/``para`` (text); ``link_density`` is the share of the block's
    characters inside links (HTML only).
    """

    index: int
    text: str
    norm: str
    start: int | None = None
    end: int | None = None
    kind: str = "para"
    link_density: float = 0.0


def _hard_wrapped(lines: list[str]) -> bool:
    widths = [len(line.rstrip()) for line in lines[:-1]]
    return max(widths) <= 100 and min(widths) >= 40 and max(widths) - min(widths) <= 30


def _spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every block, in order; ends exclude trailing whitespace."""
    spans: list[tuple[int, int, str]] = []
    paragraph_mode = _BLANK_RUN.search(text) is not None
    chunks: list[tuple[int, int]] = []
    if paragraph_mode:
        pos = 0
        for m in _BLANK_RUN.finditer(text):
            chunks.append((pos, m.start()))
            pos = m.end()
        chunks.append((pos, len(text)))
    else:
        chunks.append((0, len(text)))
    single = "para" if paragraph_mode else "line"
    for c_start, c_end in chunks:
        chunk = text[c_start:c_end]
        if "\n" not in chunk:   # one line: the common paragraph
            body = chunk.strip()
            if body:
                s = c_start + len(chunk) - len(chunk.lstrip())
                spans.append((s, s + len(body), single))
            continue
        lines = []
        pos = c_start
        for line in chunk.split("\n"):
            body = line.strip()
            if body:
                s = pos + len(line) - len(line.lstrip())
                lines.append((s, s + len(body)))
            pos += len(line) + 1
        if not lines:
            continue
        if paragraph_mode and (len(lines) == 1 or _hard_wrapped([text[s:e] for s, e in lines])):
            spans.append((lines[0][0], lines[-1][1], "para"))
        else:
            spans.extend((s, e, "line") for s, e in lines)
    return spans


def split_text(text: str) -> list[Block]:
    """The blocks of a plain-text article, with exact character offsets."""
    out = []
    nfc = unicodedata.is_normalized("NFC", text)
    for i, (s, e, kind) in enumerate(_spans(text)):
        seg = text[s:e]
        # norm is matching.normalize(seg). Spans are stripped, and every whitespace
        # character but the space is unprintable: in an NFC text, a printable span without
        # a double space is its own normal form (most paragraphs), at a fraction of the cost.
        norm = seg if nfc and seg.isprintable() and "  " not in seg else normalize(seg)
        out.append(Block(i, seg, norm, s, e, kind))
    return out


def keeps_layout(text: str, out: str, blocks: Sequence[Block], keep: Sequence[bool]) -> bool:
    """Whether ``split_text(out)``, ``out`` being ``text`` with the dropped blocks deleted,
    gives back the kept blocks: the same texts and kinds, in order. A text of lines
    stays one (its separators are single line breaks). A text of paragraphs does when
    ``out`` still has a blank line and no line of a paragraph of lines went (the lines
    left could read as hard-wrapped): whole paragraphs keep their blank lines around them."""
    if _BLANK_RUN.search(text) is None:
        return True
    if any(b.kind == "line" and not k for b, k in zip(blocks, keep)):
        return False
    return _BLANK_RUN.search(out) is not None


def kept_slices(text: str, blocks: Sequence[Block], keep: Sequence[bool]) -> list[tuple[int, int]]:
    """The (start, end) slices of ``text`` that make the output, in order (see ``render_text``)."""
    n = len(blocks)
    if n and all(keep):
        return [(0, len(text))]   # every block and separator in place: the input itself
    slices: list[tuple[int, int]] = []
    last = -1
    i = 0
    while i < n:
        if not keep[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and keep[j + 1]:
            j += 1
        # a run of kept blocks i..j is one slice: its blocks and the separators between them
        if last < 0:
            start = 0 if i == 0 else blocks[i].start
        else:
            start = blocks[i - 1].end   # the separator that stood before block i
        assert start is not None and blocks[j].end is not None
        slices.append((start, blocks[j].end))
        last = j
        i = j + 1
    if last < 0:
        return []
    end = blocks[last].end
    assert end is not None
    if last == n - 1:
        slices.append((end, len(text)))
    else:
        m = _BREAK.match(text, end)
        if m:   # one line break of the input's own ("\r\n" or "\n")
            slices.append((m.end() - (2 if m.group().endswith("\r\n") else 1), m.end()))
    return slices


def render_text(text: str, blocks: Sequence[Block], keep: Sequence[bool]) -> str:
    """The input with the dropped blocks deleted; kept text is the input's own, byte for byte.

    Kept blocks are joined by the separator that stood before the later one; the text
    before the first block stays if that block stays; the input's ending stays if its last
    block stays, otherwise the output ends with the last kept block and one line break.
    """
    slices = kept_slices(text, blocks, keep)
    if slices == [(0, len(text))]:
        return text
    return "".join(text[a:b] for a, b in slices)
