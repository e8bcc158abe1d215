"""A batch run: inputs (files, folders, stdin; documents, JSONL, WARC) -> cleaned outputs
(stdout, a file or a mirrored folder), errors reported one line each, a report, stats.

The CLI is a thin layer over ``Run``. Inputs are streamed: a JSONL or WARC file is read a
record at a time and written as it is cleaned, so memory does not grow with its size.
Every output file is written atomically: on an error or an interrupt no partial file is
left behind (``Interrupted`` carries the stats of what was done).
"""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Iterator, Sequence, TextIO

from .decode import InputError
from .parallel import run_ordered
from .progress import Progress, Stats
from .records import JsonlWriter, container_kind, iter_jsonl_lines, iter_warc, json_line, sniff_container
from .report import Result, explain as explain_fn
from .outputs import Outputs
from .sources import Source, iter_sources
from .tasks import DocTask, Job, Outcome, RecordTask, WarcTask

__all__ = ["Interrupted", "Run", "Settings", "UsageProblem"]


class UsageProblem(ValueError):
    """Options that cannot work together (the CLI turns it into a usage error)."""


class Interrupted(Exception):
    """The run was interrupted (Ctrl-C); ``stats`` says what was finished."""

    def __init__(self, stats: Stats):
        super().__init__(f"interrupted after {stats.files} files")
        self.stats = stats


@dataclass
class Settings:
    """Options of a run besides the Job's (cleaner, fields, time limit)."""

    output: str | None = None
    include: Sequence[str] = ()
    exclude: Sequence[str] = ()
    allow_nested_output: bool = False
    jobs: int = 1
    report: str | None = None
    explain: bool = False
    progress: bool = False
    container_format: str | None = None   # "jsonl" / "warc" forces it; None: by name, stdin sniffed


# local items of the task stream (handled in this process, in order)
@dataclass(frozen=True, slots=True)
class _Open:
    source: Source
    target: Path | None


@dataclass(frozen=True, slots=True)
class _Close:
    source: Source


@dataclass(frozen=True, slots=True)
class _Fail:
    name: str
    reason: str


def _is_task(item: Any) -> bool:
    return isinstance(item, (DocTask, RecordTask, WarcTask))


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


class _Prefixed(io.RawIOBase):
    """Bytes already read, then the rest of a stream (to sniff stdin without losing it)."""

    def __init__(self, head: bytes, rest: BinaryIO):
        self._head, self._rest = memoryview(head), rest

    def readable(self) -> bool:
        return True

    def readinto(self, buf) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buf), len(self._head))
            buf[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buf))
        buf[: len(data)] = data
        return len(data)


@dataclass
class Run:
    """One batch run over ``inputs``; ``execute()`` returns the Stats (raises Interrupted)."""

    inputs: Sequence[str]
    job: Job
    settings: Settings = field(default_factory=Settings)
    stdout: TextIO | None = None
    stderr: TextIO | None = None

    def __post_init__(self) -> None:
        s = self.settings
        self.out = self.stdout or sys.stdout
        self.err = self.stderr or sys.stderr
        if self.inputs.count("-") > 1:
            raise UsageProblem("stdin ('-') can be read once")
        dirs = [Path(i).resolve() for i in self.inputs if i != "-" and Path(i).is_dir()]
        input_files = {Path(i).resolve() for i in self.inputs if i != "-" and not Path(i).is_dir()}
        out_dir: Path | None = None
        out_file: Path | None = None
        skip: Path | None = None
        if s.output:
            out = Path(s.output)
            if dirs or len(self.inputs) > 1 or out.is_dir() or s.output.endswith(("/", "\\")):
                out_dir = out
            else:
                out_file = out
        elif dirs:
            raise UsageProblem("a folder needs an output folder: clean DIR -o OUTDIR")
        if out_dir is not None:
            resolved = out_dir.resolve()
            for d in dirs:
                if resolved == d:
                    raise UsageProblem(f"the output folder is the input folder ({d})")
                if resolved.is_relative_to(d):
                    if not s.allow_nested_output:
                        raise UsageProblem(f"the output folder {out_dir} is inside the input folder {d}; "
                                           "choose another one or pass --allow-nested-output")
                    skip = resolved
        if s.report:
            rep = Path(s.report).resolve()
            if rep in input_files or any(rep.is_relative_to(d) for d in dirs
                                         if skip is None or not rep.is_relative_to(skip)):
                raise UsageProblem(f"the report {s.report} would be written over or among the inputs")
        self.outputs = Outputs(out_dir, out_file, frozenset(input_files), tuple(dirs), skip)
        self.job.outputs = self.outputs
        self.stats = Stats()
        self.job.keep_results = bool(s.report or s.explain)

    # -- planning: sources -> tasks and local markers -------------------------------

    def _kind(self, source: Source) -> str | None:
        fmt = self.settings.container_format
        if fmt or self.job.input_format:     # --input-format jsonl|warc, or text|html: a document
            return fmt
        return None if source.path is None else container_kind(source.path.name)

    def _items(self) -> Iterator[Any]:
        s = self.settings
        unlisted: list[OSError] = []
        for source in iter_sources(self.inputs, s.include, s.exclude, self.outputs.skip, unlisted.append):
            while unlisted:
                exc = unlisted.pop(0)
                yield _Fail(str(exc.filename or "?"), f"cannot list the folder: {_reason(exc)}")
            if source.path is None:
                yield from self._stdin(source)
                continue
            kind = self._kind(source)
            if kind is None:
                yield DocTask(source.name, str(source.path), relative=source.relative.as_posix())
                continue
            try:
                target = self.outputs.container_target(source)
                fh = open(source.path, "rb")
            except (InputError, OSError) as exc:
                yield _Fail(source.name, _reason(exc))
                continue
            with fh:
                yield from self._container(source, kind, fh, target)
        for exc in unlisted:
            yield _Fail(str(exc.filename or "?"), f"cannot list the folder: {_reason(exc)}")

    def _stdin(self, source: Source) -> Iterator[Any]:
        stream: BinaryIO = sys.stdin.buffer
        kind = self.settings.container_format
        try:
            head = stream.read(65536)
        except OSError as exc:
            yield _Fail("-", _reason(exc))
            return
        if self.job.input_format is None and kind is None:
            kind = sniff_container(head)
        if kind is None:
            try:
                data = head + stream.read()
            except OSError as exc:
                yield _Fail("-", _reason(exc))
                return
            yield DocTask("-", None, data, relative=source.relative.as_posix())
            return
        try:
            target = self.outputs.container_target(source)
        except InputError as exc:
            yield _Fail("-", _reason(exc))
            return
        full = io.BufferedReader(_Prefixed(head, stream), buffer_size=1 << 16)  # type: ignore[arg-type]
        yield from self._container(source, kind, full, target)

    def _container(self, source: Source, kind: str, fh: BinaryIO, target: Path | None) -> Iterator[Any]:
        name = source.name
        yield _Open(source, target)
        try:
            if kind == "jsonl":
                for number, line in iter_jsonl_lines(fh):
                    yield RecordTask(f"{name}:{number}", line)
            else:
                for number, doc in enumerate(iter_warc(fh), 1):
                    yield WarcTask(f"{name}:{doc.record_id or doc.url or f'record {number}'}", doc)
        except (InputError, OSError, EOFError, ValueError) as exc:
            yield _Fail(name, f"stopped reading: {_reason(exc)}")
        yield _Close(source)

    # -- the run --------------------------------------------------------------------

    def _error(self, name: str, reason: str) -> None:
        self.stats.failed += 1
        self.err.write(f"clean: error: {name}: {reason}\n")
        self.err.flush()

    def execute(self) -> Stats:
        s = self.settings
        stats = self.stats
        progress = Progress(stats, self.err, s.progress)
        report = JsonlWriter(Path(s.report)) if s.report else None
        writer: JsonlWriter | None = None
        results = run_ordered(self.job, self._items(), _is_task, s.jobs)
        several = len(self.inputs) > 1
        try:
            for item, outcome in results:
                if isinstance(item, _Open):
                    writer = JsonlWriter(item.target, self.out)
                elif isinstance(item, _Close):
                    assert writer is not None
                    writer.commit()
                    writer = None
                    stats.files += 1
                elif isinstance(item, _Fail):
                    self._error(item.name, item.reason)
                elif isinstance(item, DocTask):
                    assert outcome is not None
                    if self._doc(item, outcome, several):
                        stats.files += 1
                        self._account(outcome, report)
                else:
                    assert outcome is not None
                    if outcome.error is not None:
                        self._error(item.name, outcome.error)
                        continue
                    assert writer is not None and outcome.line is not None
                    writer.write_line(outcome.line)
                    self._account(outcome, report)
                progress.update()
            if report is not None:
                report.commit()
        except BaseException as exc:
            results.close()            # stops the workers
            for w in (writer, report):
                if w is not None:
                    w.abort()
            if isinstance(exc, KeyboardInterrupt):
                progress.close()
                raise Interrupted(stats) from None
            raise
        finally:
            progress.close()
        return stats

    def _account(self, outcome: Outcome, report: JsonlWriter | None) -> None:
        stats = self.stats
        stats.documents += 1
        stats.removed.update(outcome.counts)
        stats.nbytes += outcome.nbytes
        result = outcome.result
        if result is not None:
            if report is not None:
                for rec in result.records():
                    report.write_line(json_line(rec))
            if self.settings.explain:
                explain_fn(result, self.err)

    def _doc(self, task: DocTask, outcome: Outcome, several: bool) -> bool:
        """Print a document's output when it goes to stdout (the Job wrote any file);
        False (and an error line) when it failed."""
        if outcome.error is not None:
            self._error(task.name, outcome.error)
            return False
        if not self.outputs.to_files:
            result: Result = outcome.result  # type: ignore[assignment]
            try:
                self.out.write(result.text)
                if several and result.text and not result.text.endswith("\n"):
                    self.out.write("\n")
                self.out.flush()
            except OSError as exc:
                self._error(task.name, _reason(exc))
                return False
        return True
