"""Block rules compiled into one matcher.

Every block pattern of the selected rules is combined into one case-insensitive
alternation used as a prefilter; only blocks it hits are tested rule by rule, so the
cost of many rules over many blocks is one scan per block. Patterns see the block's
text with every whitespace run (NBSP and other Unicode spaces included) collapsed to a
single space and stripped, so ``^``/``$`` anchor at the block's edges and a literal
space in a pattern matches any whitespace. Python's ``re`` treats ``\\b``, ``\\w`` and
``\\s`` as Unicode, so word edges hold for Cyrillic and accented letters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from .rules import Rule

__all__ = ["BlockMatcher", "Hit", "normalize"]

_WS = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Collapse whitespace runs (Unicode spaces included) to one space and strip."""
    return _WS.sub(" ", text).strip()


@dataclass(frozen=True, slots=True)
class Hit:
    """A block rule that matched a block, and the text it matched."""

    rule: Rule
    matched: str


class BlockMatcher:
    """All block rules of a rule set, compiled once."""

    def __init__(self, rules: Sequence[Rule]):
        self.rules = [r for r in rules if r.scope == "block"]
        self._compiled = [
            (
                r,
                re.compile("|".join(f"(?:{p})" for p in r.patterns), re.I),
                re.compile("|".join(f"(?:{p})" for p in r.exceptions), re.I) if r.exceptions else None,
            )
            for r in self.rules
        ]
        all_patterns = [p for r in self.rules for p in r.patterns]
        self._any = re.compile("|".join(f"(?:{p})" for p in all_patterns), re.I) if all_patterns else None

    def __reduce__(self):
        return (BlockMatcher, (self.rules,))

    def hits(self, text: str) -> list[Hit]:
        """Every rule whose patterns match ``text`` (normalized) and whose exceptions do not."""
        if self._any is None or self._any.search(text) is None:
            return []
        out = []
        for rule, pat, exc in self._compiled:
            m = pat.search(text)
            if m is not None and (exc is None or exc.search(text) is None):
                out.append(Hit(rule, m.group(0)))
        return out
