"""What was removed and why: `Removal`, `Result`, JSON Lines and the --explain view."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Iterable, TextIO

__all__ = ["Note", "Removal", "Result", "write_jsonl", "explain"]


@dataclass(frozen=True, slots=True)
class Removal:
    """One removed block or element.

    ``code`` is a rule code (``DN01``) or a heuristic's code (``TZ01``); ``stage`` is
    ``element`` (HTML element rules, before extraction), ``block`` (a block rule) or
    ``heuristic``. ``block``/``start``/``end`` locate it (offsets in text mode only).
    """

    code: str
    name: str
    category: str
    reason: str
    text: str
    stage: str = "block"
    block: int | None = None
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True, slots=True)
class Note:
    """A decision that was not carried out, and why (e.g. a guard kept a long paragraph)."""

    code: str
    block: int | None
    reason: str
    text: str


@dataclass
class Result:
    """The clean text of one document and the report of what was removed."""

    text: str
    removals: list[Removal] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    format: str = "text"
    source: str | None = None
    blocks: int = 0

    def counts(self) -> Counter[str]:
        """Removed blocks per category."""
        return Counter(r.category for r in self.removals)

    def records(self) -> list[dict]:
        """The report as plain dicts: one per removal, then one per note (``kind`` tells)."""
        out = [{"file": self.source, "kind": "removal", **asdict(r)} for r in self.removals]
        out += [{"file": self.source, "kind": "note", **asdict(n)} for n in self.notes]
        if not self.text.strip() and self.blocks:
            out.append({"file": self.source, "kind": "note", "code": "EMPTY", "block": None,
                        "reason": "every block was removed: the output is empty", "text": ""})
        return out


def write_jsonl(results: Iterable[Result], out: TextIO) -> None:
    """Write the report of each result as JSON Lines."""
    for res in results:
        for rec in res.records():
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")


def _short(text: str, width: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def explain(result: Result, out: TextIO) -> None:
    """A readable view of what was removed, with codes and reasons."""
    name = result.source or "<input>"
    out.write(f"== {name} ({result.format}): {result.blocks} blocks, {len(result.removals)} removed\n")
    for r in result.removals:
        where = f"#{r.block}" if r.block is not None else r.stage
        out.write(f"  - {where:>8} {r.code} {r.category:<10} {r.reason}: {_short(r.text)}\n")
    for n in result.notes:
        where = f"#{n.block}" if n.block is not None else ""
        out.write(f"  ~ {where:>8} {n.code} kept: {n.reason}: {_short(n.text)}\n")
