"""Named heuristics: where a block stands, what a boilerplate zone looks like, the guard.

Each heuristic that removes a block reports its own code:

- ``TZ01 tail-zone``: after a zone marker (a rule with ``action = "drop_zone"``, e.g. a bare
  "Read also:" header) the short, headline-shaped or link-dense blocks that follow belong
  to the same zone (the link titles under the header) and go with it; the zone ends at the
  first block that reads like article text.

The guard (``GUARD``) keeps a block a rule matched when the block is longer than the
rule's ``max_chars`` (or ``DEFAULT_MAX_CHARS``): rules describe short boilerplate, never a
long paragraph of the article. It is reported as a note.
"""

from __future__ import annotations

import re

from .blocks import Block

__all__ = ["DEFAULT_MAX_CHARS", "ZONE", "in_head", "in_tail", "is_bare_marker", "zone_like"]

DEFAULT_MAX_CHARS = 600
ZONE = ("TZ01", "tail-zone")
_SENTENCE_END = re.compile(r"[.!?…。][\"'»”’)\]]*$")
ZONE_MAX_CHARS = 150
ZONE_LINK_MAX_CHARS = 300


def _edge(n: int, share: float) -> int:
    return max(3, round(n * share))


def in_head(index: int, n: int) -> bool:
    """The first fifth of the blocks (at least three)."""
    return index < _edge(n, 0.2)


def in_tail(index: int, n: int) -> bool:
    """The last third of the blocks (at least three)."""
    return index >= n - _edge(n, 0.35)


def zone_like(block: Block) -> bool:
    """Short and not a sentence (a link title, a date, a label), or a link-dense line."""
    if block.link_density >= 0.5 and len(block.norm) <= ZONE_LINK_MAX_CHARS:
        return True
    return len(block.norm) <= ZONE_MAX_CHARS and not _SENTENCE_END.search(block.norm)


def is_bare_marker(block: Block, matched: str) -> bool:
    """The block is the marker alone ("Read also:"), not a marker with its own title."""
    rest = block.norm.replace(matched, "", 1).strip(" :.-–—|»>")
    return not rest or block.norm.rstrip().endswith(":")
