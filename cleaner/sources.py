"""Where documents come from: walk the inputs (files, folders, stdin) in a stable order."""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Sequence

from .decode import HTML_SUFFIXES, TEXT_SUFFIXES
from .records import CONTAINER_SUFFIXES

__all__ = ["DEFAULT_INCLUDE", "Source", "iter_sources"]

# documents, and the containers of documents (JSON Lines, WARC) read record by record
DEFAULT_INCLUDE = tuple(f"*{s}" for s in sorted(TEXT_SUFFIXES | HTML_SUFFIXES) if s) + tuple(
    f"*{s}" for s in CONTAINER_SUFFIXES)


@dataclass(frozen=True)
class Source:
    """One input: its path (None for stdin) and its path relative to the folder given."""

    path: Path | None
    relative: Path

    @property
    def name(self) -> str:
        return "-" if self.path is None else str(self.path)


def _wanted(rel: Path, include: Sequence[str], exclude: Sequence[str]) -> bool:
    name, text = rel.name, rel.as_posix()
    if any(fnmatch.fnmatch(name, g) or fnmatch.fnmatch(text, g) for g in exclude):
        return False
    if not include:
        return not name.startswith(".") and (rel.suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES
                                             or name.lower().endswith(CONTAINER_SUFFIXES))
    return any(fnmatch.fnmatch(name, g) or fnmatch.fnmatch(text, g) for g in include)


def iter_sources(inputs: Sequence[str], include: Sequence[str] = (), exclude: Sequence[str] = (),
                 skip: Path | None = None, onerror: Callable[[OSError], None] | None = None
                 ) -> Iterator[Source]:
    """Files named, and the files under folders named (recursively, symlinked folders not
    followed, so link loops cannot trap the walk), in a stable order. ``skip`` is a folder
    left out of the walk (an output folder nested in the input, explicitly allowed);
    ``onerror`` hears of folders that cannot be listed."""
    for item in inputs:
        if item == "-":
            yield Source(None, Path("stdin.txt"))
            continue
        path = Path(item)
        if not path.is_dir():
            yield Source(path, Path(path.name))
            continue
        for root, dirs, files in os.walk(path, followlinks=False, onerror=onerror):
            root_path = Path(root)
            dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                             and (skip is None or (root_path / d).resolve() != skip))
            for f in sorted(files):
                rel = (root_path / f).relative_to(path)
                if _wanted(rel, include, exclude):
                    yield Source(root_path / f, rel)
