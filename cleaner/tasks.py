"""The unit of work: one document (a file, stdin, a JSONL record or a WARC response) in,
one ``Outcome`` out. ``Job.run`` is the same code in the CLI process and in a worker; a
document bound for a file is written there too (only stdout is the parent's to write)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .core import Cleaner
from .decode import InputError, decode, detect_format
from .limits import DEFAULT_TIMEOUT, time_limit
from .outputs import Outputs, write_atomic
from .records import WarcDoc, clean_record, clean_warc_doc, json_line, parse_record
from .report import Result
from .sources import Source

__all__ = ["DocTask", "Job", "Outcome", "RecordTask", "WarcTask", "read_bytes"]


def read_bytes(path: Path) -> bytes:
    """A file's bytes (one place to read documents, so tests can simulate failures)."""
    return path.read_bytes()


@dataclass(frozen=True, slots=True)
class DocTask:
    """A whole file (``path``) or bytes already read (stdin, ``data``)."""

    name: str
    path: str | None = None
    data: bytes | None = None
    relative: str = ""          # the path under the folder given (for a mirrored output)


@dataclass(frozen=True, slots=True)
class RecordTask:
    """One line of a JSONL file; ``name`` is ``file:line``."""

    name: str
    line: bytes


@dataclass(frozen=True, slots=True)
class WarcTask:
    name: str
    doc: WarcDoc


Task = DocTask | RecordTask | WarcTask


@dataclass(slots=True)
class Outcome:
    """What became of one document: an error, or its result (a document for stdout, or
    any document with ``Job.keep_results``) / its output JSON line (a record), with the
    removals counted per category."""

    error: str | None = None
    result: Result | None = None
    line: str | None = None
    counts: Counter[str] = field(default_factory=Counter)
    nbytes: int = 0


@dataclass
class Job:
    """Everything a document needs besides itself: the Cleaner, the options and where
    documents are written (``outputs``; None or no target: back to the caller). Pickles
    (the Cleaner rebuilds itself from its rules), so a worker gets it once."""

    cleaner: Cleaner
    input_format: str | None = None
    timeout: float | None = DEFAULT_TIMEOUT
    text_field: str | None = "text"
    html_field: str | None = "html"
    with_removals: bool = False
    keep_results: bool = False      # also send back the Result (for --report/--explain)
    outputs: Outputs | None = None

    def run(self, task: Task) -> Outcome:
        try:
            if isinstance(task, DocTask):
                return self._doc(task)
            if isinstance(task, RecordTask):
                record = parse_record(task.line)
                out, result = clean_record(self.cleaner, record, text_field=self.text_field,
                                           html_field=self.html_field, with_removals=self.with_removals,
                                           timeout=self.timeout, source=task.name)
                return self._record(out, result, len(task.line))
            out, result = clean_warc_doc(self.cleaner, task.doc, with_removals=self.with_removals,
                                         timeout=self.timeout, source=task.name)
            return self._record(out, result, len(task.doc.body))
        except (InputError, OSError, ValueError, RecursionError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            return Outcome(error=reason or type(exc).__name__)
        except Exception as exc:  # noqa: BLE001 - a document that breaks the extractor fails alone
            return Outcome(error=f"internal error: {type(exc).__name__}: {exc}")

    def _doc(self, task: DocTask) -> Outcome:
        data = task.data if task.path is None else read_bytes(Path(task.path))
        assert data is not None
        text = decode(data)
        fmt = self.input_format or detect_format(text, task.name)
        with time_limit(self.timeout if fmt == "html" else None):   # text mode is linear: no limit
            result = self.cleaner.clean(text, format=fmt, source=task.name)
        outputs = self.outputs
        if outputs is None or not outputs.to_files:
            return Outcome(result=result, counts=result.counts(), nbytes=len(data))
        source = Source(None if task.path is None else Path(task.path), Path(task.relative or "stdin.txt"))
        write_atomic(outputs.document_target(source, result.format), result.text)
        return Outcome(result=result if self.keep_results else None, counts=result.counts(), nbytes=len(data))

    def _record(self, out: dict, result: Result, nbytes: int) -> Outcome:
        return Outcome(result=result if self.keep_results else None, line=json_line(out), counts=result.counts(),
                       nbytes=nbytes)
