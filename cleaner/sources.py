"""Where documents come from and where they go: walk inputs, map outputs, write atomically."""

from __future__ import annotations

import fnmatch
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator, Sequence

from .decode import HTML_SUFFIXES, TEXT_SUFFIXES
from .records import CONTAINER_SUFFIXES

__all__ = ["DEFAULT_INCLUDE", "Source", "iter_sources", "output_path", "temp_beside", "write_atomic"]

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


def output_path(out_dir: Path, source: Source, fmt: str) -> Path:
    """Where a document's clean text goes: the relative path mirrored; HTML becomes .txt."""
    rel = source.relative
    if fmt == "html":
        rel = rel.with_suffix(".txt")
    return out_dir / rel


@lru_cache(maxsize=1)
def _file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def temp_beside(path: Path) -> tuple[int, str]:
    """A temporary file (fd, name) in the folder of ``path``, with the permissions a new
    file would get (mkstemp's are 0600), to be renamed over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, _file_mode())
    except (AttributeError, OSError):
        pass
    return fd, tmp


def write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder, then rename over the target."""
    fd, tmp = temp_beside(path)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
