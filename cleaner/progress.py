"""Run statistics, the final summary line and a progress line on a terminal."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TextIO

__all__ = ["Progress", "Stats"]


@dataclass
class Stats:
    """What a run did: input files finished, documents cleaned, failures (one per error
    line), removed blocks per category, input bytes."""

    files: int = 0
    documents: int = 0
    failed: int = 0
    removed: Counter[str] = field(default_factory=Counter)
    nbytes: int = 0

    def summary(self) -> str:
        """``clean: 12 files, 340 documents, removed 51 blocks (related 30, donation 10, ...), 1 failed``"""
        n = sum(self.removed.values())
        parts = [f"{self.files} file{'s' * (self.files != 1)}",
                 f"{self.documents} document{'s' * (self.documents != 1)}"]
        removed = f"removed {n} block{'s' * (n != 1)}"
        if n:
            removed += " (" + ", ".join(f"{c} {k}" for c, k in sorted(self.removed.items(),
                                                                     key=lambda ck: (-ck[1], ck[0]))) + ")"
        parts.append(removed)
        parts.append(f"{self.failed} failed")
        return "clean: " + ", ".join(parts)


class Progress:
    """A one-line progress display (files, documents, files/s, MB/s) redrawn in place at
    most ``every`` seconds, shown only once a run has lasted ``after`` seconds and only
    when enabled (the CLI enables it when stderr is a terminal and not --quiet)."""

    def __init__(self, stats: Stats, out: TextIO, enabled: bool, every: float = 0.2, after: float = 1.0):
        self.stats, self.out, self.enabled = stats, out, enabled
        self.every, self.after = every, after
        self.start = time.monotonic()
        self._last = self.start
        self._shown = False

    def line(self, now: float | None = None) -> str:
        s = self.stats
        elapsed = max((now or time.monotonic()) - self.start, 1e-9)
        return (f"clean: {s.files} files, {s.documents} documents, {s.failed} failed | "
                f"{s.files / elapsed:.1f} files/s, {s.nbytes / 1e6 / elapsed:.2f} MB/s")

    def update(self) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.start < self.after or now - self._last < self.every:
            return
        self._last = now
        self.out.write("\r\x1b[K" + self.line(now))
        self.out.flush()
        self._shown = True

    def close(self) -> None:
        """Clear the progress line (the summary takes its place)."""
        if self._shown:
            self.out.write("\r\x1b[K")
            self.out.flush()
            self._shown = False
