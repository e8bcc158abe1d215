"""Documents inside container files: JSON Lines records and WARC responses.

JSONL: one JSON object per line (plain, or gzip: detected by its magic bytes). A record is
cleaned from its HTML field when it has one (not null), else from its text field; the
output record is the input record, every field kept, plus ``clean_text`` and, on request,
``removals`` (a list of ``{code, name, category, reason, text, stage, block, start, end}``).

WARC (``.warc``/``.warc.gz``, e.g. Common Crawl) is read with fastwarc (the optional
extra ``cleaner[warc]``); each HTML response gives one output record
``{url, record_id, date, clean_text[, removals]}``.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import os
import re
import shutil
import sys
import tempfile
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO, Iterator, TextIO

from .core import Cleaner
from .decode import InputError, decode
from .limits import time_limit
from .report import Result

__all__ = ["CLEAN_FIELD", "REMOVALS_FIELD", "CONTAINER_SUFFIXES", "JsonlWriter", "WarcDoc", "clean_record",
           "clean_warc_doc", "container_kind", "container_output_name", "iter_jsonl_lines", "iter_warc", "json_line",
           "open_binary", "parse_record", "removal_dicts", "sniff_container"]

CLEAN_FIELD = "clean_text"
REMOVALS_FIELD = "removals"
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
WARC_SUFFIXES = (".warc", ".warc.gz")
CONTAINER_SUFFIXES = JSONL_SUFFIXES + WARC_SUFFIXES
_GZIP_MAGIC = b"\x1f\x8b"
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def container_kind(name: str) -> str | None:
    """``jsonl`` or ``warc`` by file name, else None (a single document)."""
    low = name.lower()
    if low.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if low.endswith(WARC_SUFFIXES):
        return "warc"
    return None


def container_output_name(name: str) -> str:
    """The JSONL output name for a container input: ``x.jsonl[.gz]`` stays, ``x.warc[.gz]``
    becomes ``x.jsonl[.gz]``."""
    low = name.lower()
    for suffix in WARC_SUFFIXES:
        if low.endswith(suffix):
            return name[: -len(suffix)] + (".jsonl.gz" if suffix.endswith(".gz") else ".jsonl")
    return name


def sniff_container(head: bytes) -> str | None:
    """The container kind of a stream from its first bytes (gzip is looked into): WARC by
    its version line, JSONL when the first line is a JSON object (or, when the first line
    is longer than ``head``, starts like one)."""
    if head.startswith(_GZIP_MAGIC):
        try:
            head = zlib.decompressobj(wbits=31).decompress(head, 65536)
        except zlib.error:
            return None
    if head.startswith(b"WARC/"):
        return "warc"
    text = head.lstrip()
    if not re.match(rb'\{\s*["}]', text):
        return None
    first, newline, _ = text.partition(b"\n")
    if not newline:   # the first line goes on beyond the head
        return "jsonl"
    try:
        return "jsonl" if isinstance(json.loads(first), dict) else None
    except ValueError:
        return None


def open_binary(stream: BinaryIO) -> BinaryIO:
    """``stream``, decompressed when it starts with the gzip magic bytes (it must be
    buffered, so that its head can be peeked at)."""
    head = stream.peek(2)[:2] if hasattr(stream, "peek") else b""
    if head == _GZIP_MAGIC:
        return gzip.GzipFile(fileobj=stream, mode="rb")  # type: ignore[return-value]
    return stream


def iter_jsonl_lines(stream: BinaryIO) -> Iterator[tuple[int, bytes]]:
    """``(line number, line)`` for every non-blank line, read one at a time."""
    for number, line in enumerate(open_binary(stream), 1):
        if line.strip():
            yield number, line


def json_line(obj: Any) -> str:
    """One JSON line, UTF-8 as is; escaped when it holds lone surrogates (valid JSON, not
    encodable as UTF-8: odd records, file names that are not UTF-8)."""
    line = json.dumps(obj, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = json.dumps(obj, ensure_ascii=True)
    return line


def removal_dicts(result: Result) -> list[dict[str, Any]]:
    return [asdict(r) for r in result.removals]


def parse_record(line: bytes) -> dict[str, Any]:
    """One JSONL line as a JSON object; InputError saying why not."""
    try:
        record = json.loads(line)
    except UnicodeDecodeError:
        raise InputError("invalid JSON: not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg} (column {exc.colno})") from None
    if not isinstance(record, dict):
        raise InputError(f"not a JSON object (got {type(record).__name__})")
    return record


def clean_record(cleaner: Cleaner, record: dict[str, Any], *, text_field: str | None = "text",
                 html_field: str | None = "html", with_removals: bool = False, timeout: float | None = None,
                 source: str | None = None) -> tuple[dict[str, Any], Result]:
    """Clean one record: from ``html_field`` when the record has it (not null), else from
    ``text_field`` (None leaves a field out). Returns the output record (every input field,
    plus ``clean_text`` and optionally ``removals``) and the Result; InputError when the
    record has neither field or its content is not a non-empty string."""
    fields = [(f, fmt) for f, fmt in ((html_field, "html"), (text_field, "text")) if f]
    for field_name, fmt in fields:
        value = record.get(field_name)
        if value is None:
            continue
        if not isinstance(value, str):
            raise InputError(f"field {field_name!r} is not a string (got {type(value).__name__})")
        with time_limit(timeout if fmt == "html" else None):
            result = cleaner.clean(value, format=fmt, source=source)
        out = dict(record)
        out[CLEAN_FIELD] = result.text
        if with_removals:
            out[REMOVALS_FIELD] = removal_dicts(result)
        return out, result
    names = " or ".join(repr(f) for f, _ in fields) or "no field"
    raise InputError(f"missing field: the record has no {names}")


@dataclass(frozen=True, slots=True)
class WarcDoc:
    """One HTML response of a WARC file."""

    url: str | None
    record_id: str | None
    date: str | None
    body: bytes
    charset: str | None = None


def _import_fastwarc():
    try:
        from fastwarc.warc import ArchiveIterator, WarcRecordType
    except ImportError:
        raise InputError("reading WARC needs fastwarc: pip install 'cleaner[warc]'") from None
    return ArchiveIterator, WarcRecordType


def iter_warc(stream: BinaryIO) -> Iterator[WarcDoc]:
    """The HTML responses of a WARC stream (plain or gzip), one at a time. Responses with
    another content type are passed over. fastwarc needs a seekable stream: a pipe is
    spooled to a temporary file first."""
    ArchiveIterator, WarcRecordType = _import_fastwarc()
    if not _seekable(stream):
        spool = tempfile.TemporaryFile()
        shutil.copyfileobj(stream, spool, 1 << 20)
        spool.seek(0)
        stream = spool  # type: ignore[assignment]
    try:
        for rec in ArchiveIterator(stream, record_types=WarcRecordType.response, parse_http=True):
            ctype = (rec.http_content_type or "").lower()
            if ctype and not ctype.startswith(_HTML_TYPES):
                continue
            headers = rec.headers
            yield WarcDoc(headers.get("WARC-Target-URI"), rec.record_id, headers.get("WARC-Date"),
                          rec.reader.read(), rec.http_charset or None)
    except BaseException as exc:   # fastwarc's Rust panics are BaseExceptions
        if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit)):
            raise
        raise InputError(f"unreadable WARC: {exc}") from None


def _seekable(stream: BinaryIO) -> bool:
    try:
        return stream.seekable() and stream.tell() >= 0
    except (AttributeError, OSError, ValueError):
        return False


def _decode_http(body: bytes, charset: str | None) -> str | bytes:
    """Per HTML: a byte-order mark, then the HTTP charset, then the usual detection."""
    if charset and not body.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    return body


def clean_warc_doc(cleaner: Cleaner, doc: WarcDoc, *, with_removals: bool = False, timeout: float | None = None,
                   source: str | None = None) -> tuple[dict[str, Any], Result]:
    """Clean one WARC response as HTML: ``{url, record_id, date, clean_text[, removals]}``."""
    data = _decode_http(doc.body, doc.charset)
    if isinstance(data, bytes):
        data = decode(data)
    with time_limit(timeout):
        result = cleaner.clean(data, format="html", source=source)
    out: dict[str, Any] = {"url": doc.url, "record_id": doc.record_id, "date": doc.date, CLEAN_FIELD: result.text}
    if with_removals:
        out[REMOVALS_FIELD] = removal_dicts(result)
    return out, result


class JsonlWriter:
    """JSON Lines to a file written atomically (a temporary file renamed over the target on
    ``commit``, removed on ``abort``; gzip when the name ends in ``.gz``), or to a text stream."""

    def __init__(self, target: Path | None, stream: TextIO | None = None):
        self.target = target
        self._tmp: str | None = None
        self._raw: IO[bytes] | None = None
        if target is None:
            self._fh: TextIO = stream or sys.stdout
            return
        from .outputs import temp_beside

        fd, self._tmp = temp_beside(target)
        self._raw = os.fdopen(fd, "wb")
        binary: IO[bytes] = self._raw
        if target.name.lower().endswith(".gz"):
            binary = gzip.GzipFile(filename=target.name[:-3], fileobj=self._raw, mode="wb", compresslevel=6)
        self._gz = binary if binary is not self._raw else None
        self._fh = io.TextIOWrapper(binary, encoding="utf-8", newline="\n", write_through=False)

    def write_line(self, line: str) -> None:
        self._fh.write(line)
        self._fh.write("\n")

    def write(self, record: dict[str, Any]) -> None:
        self.write_line(json_line(record))

    def commit(self) -> None:
        if self._tmp is None:
            self._fh.flush()
            return
        self._fh.flush()
        self._fh.detach()
        if self._gz is not None:
            self._gz.close()
        assert self._raw is not None
        self._raw.close()
        os.replace(self._tmp, self.target)  # type: ignore[arg-type]
        self._tmp = None

    def abort(self) -> None:
        if self._tmp is None:
            return
        try:
            self._raw.close()  # type: ignore[union-attr]
        finally:
            Path(self._tmp).unlink(missing_ok=True)
            self._tmp = None
