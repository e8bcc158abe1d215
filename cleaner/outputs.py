"""Where outputs go, the checks that keep them off the inputs, and atomic writes.

``Outputs`` is the plan of a run's outputs (stdout, one file or a mirrored folder). It is
small and picklable: a worker process writes a document's output itself, so the parent
only keeps the order and the counts.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .decode import InputError
from .records import container_output_name
from .sources import Source

__all__ = ["Outputs", "output_path", "temp_beside", "write_atomic"]


def output_path(out_dir: Path, source: Source, fmt: str) -> Path:
    """Where a document's clean text goes: the relative path mirrored; HTML becomes .txt."""
    rel = source.relative
    if fmt == "html":
        rel = rel.with_suffix(".txt")
    return out_dir / rel


@dataclass(frozen=True)
class Outputs:
    """Targets of a run: ``out_file`` (one file), ``out_dir`` (a mirrored folder) or
    neither (stdout); ``input_files``/``input_dirs`` (resolved) are never written over or
    into, but for ``skip``, an output folder nested in an input folder by permission."""

    out_dir: Path | None = None
    out_file: Path | None = None
    input_files: frozenset[Path] = frozenset()
    input_dirs: tuple[Path, ...] = ()
    skip: Path | None = None

    @property
    def to_files(self) -> bool:
        return self.out_dir is not None or self.out_file is not None

    def document_target(self, source: Source, fmt: str) -> Path:
        assert self.to_files
        target = self.out_file or output_path(self.out_dir, source, fmt)  # type: ignore[arg-type]
        self.check(target, source)
        return target

    def container_target(self, source: Source) -> Path | None:
        """The JSONL output of a JSONL or WARC input (None: stdout)."""
        if self.out_file is not None:
            target = self.out_file
        elif self.out_dir is not None:
            rel = Path("stdin.jsonl") if source.path is None else source.relative
            target = self.out_dir / rel.with_name(container_output_name(rel.name))
        else:
            return None
        self.check(target, source)
        return target

    def check(self, target: Path, source: Source) -> None:
        """Never write over an input, nor into an input folder (but for a nested output
        folder explicitly allowed)."""
        resolved = target.resolve()
        if resolved in self.input_files or (source.path is not None and resolved == source.path.resolve()):
            raise InputError(f"refusing to overwrite an input with its output ({target})")
        if source.path is not None and target.exists() and os.path.samefile(target, source.path):
            raise InputError(f"refusing to overwrite an input with its output ({target})")
        for d in self.input_dirs:
            if resolved.is_relative_to(d) and not (self.skip is not None and resolved.is_relative_to(self.skip)):
                raise InputError(f"refusing to write into the input folder {d} ({target})")


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
