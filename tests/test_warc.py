"""WARC input: HTML responses of a WARC file built here from the fixture pages."""

from __future__ import annotations

import gzip
import json
import sys
import uuid

import pytest
from click.testing import CliRunner

from cleaner.cli import main

from .conftest import FIXTURES

pytest.importorskip("fastwarc", reason="the 'warc' extra (fastwarc) is not installed")

PAGES = sorted((FIXTURES / "cases").glob("*.html"))


def invoke(args, **kw):
    return CliRunner().invoke(main, args, **kw)


def warc_record(url: str, body: bytes, ctype: str = "text/html; charset=utf-8") -> tuple[bytes, str]:
    http = (f"HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
    rid = f"<urn:uuid:{uuid.uuid4()}>"
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: {rid}\r\nWARC-Date: 2024-05-01T10:00:00Z\r\n"
            f"WARC-Target-URI: {url}\r\nContent-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {len(http)}\r\n\r\n")
    return head.encode() + http + b"\r\n\r\n", rid


def warc_info() -> bytes:
    body = b"software: cleaner tests\r\n"
    return (f"WARC/1.0\r\nWARC-Type: warcinfo\r\nWARC-Record-ID: <urn:uuid:{uuid.uuid4()}>\r\n"
            f"Content-Type: application/warc-fields\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body + b"\r\n\r\n"


@pytest.fixture
def crawl(tmp_path):
    """A WARC (plain and gzip, one gzip member per record) of the fixture pages, a PDF
    response and a Latin-1 page whose charset only the HTTP header gives."""
    records, expected = [warc_info()], []
    for i, page in enumerate(PAGES[:5]):
        rec, rid = warc_record(f"https://news.example/{i}/{page.stem}", page.read_bytes())
        records.append(rec)
        expected.append((f"https://news.example/{i}/{page.stem}", rid, page.read_text(encoding="utf-8")))
    records.append(warc_record("https://news.example/report.pdf", b"%PDF-1.4 binary", "application/pdf")[0])
    latin = ("<html><body><article><p>Le caf\u00e9 du port a rouvert lundi apr\u00e8s la temp\u00eate, "
             "disent les p\u00eacheurs.</p></article></body></html>")
    rec, rid = warc_record("https://news.example/fr", latin.encode("latin-1"), "text/html; charset=iso-8859-1")
    records.append(rec)
    expected.append(("https://news.example/fr", rid, latin))
    plain = tmp_path / "crawl.warc"
    plain.write_bytes(b"".join(records))
    gz = tmp_path / "crawl.warc.gz"
    gz.write_bytes(b"".join(gzip.compress(r) for r in records))
    return plain, gz, expected


def read_jsonl(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_html_responses_become_records_with_url_and_id(crawl, tmp_path, cleaner):
    plain, gz, expected = crawl
    res = invoke([str(gz), "-o", str(tmp_path / "out") + "/", "--with-removals", "--jobs", "1"])
    assert res.exit_code == 0, res.output
    out = read_jsonl(gzip.decompress((tmp_path / "out" / "crawl.jsonl.gz").read_bytes()).decode("utf-8"))
    assert [(o["url"], o["record_id"]) for o in out] == [(u, r) for u, r, _ in expected]   # the PDF is passed over
    for o, (_, _, html) in zip(out, expected):
        assert o["clean_text"] == cleaner.clean(html, format="html").text
        assert o["date"] == "2024-05-01T10:00:00Z" and isinstance(o["removals"], list)
    assert "le caf\u00e9 du port" in out[-1]["clean_text"].lower()
    assert sum(len(o["removals"]) for o in out) > 0
    res2 = invoke([str(plain)])
    assert res2.exit_code == 0
    assert [o["clean_text"] for o in read_jsonl(res2.stdout)] == [o["clean_text"] for o in out]


def test_warc_on_stdin(crawl):
    plain, gz, expected = crawl
    for data in (plain.read_bytes(), gz.read_bytes()):
        res = invoke(["-"], input=data)
        assert res.exit_code == 0, res.output
        assert [o["url"] for o in read_jsonl(res.stdout)] == [u for u, _, _ in expected]


def test_broken_warc_is_one_error_line(tmp_path):
    good, rid = warc_record("https://news.example/ok", PAGES[0].read_bytes())
    bad = tmp_path / "bad.warc"
    bad.write_bytes(good + b"GARBAGE where the next record should start\r\n\r\n")
    res = invoke([str(bad), "--jobs", "1"])
    assert res.exit_code == 1
    assert [o["record_id"] for o in read_jsonl(res.stdout)] == [rid]     # what came before is kept
    (err,) = [line for line in res.stderr.splitlines() if line.startswith("clean: error:")]
    assert err.startswith(f"clean: error: {bad}: stopped reading: unreadable WARC")
    assert isinstance(res.exception, SystemExit)      # handled, not a crash


def test_missing_fastwarc_is_a_clear_error(crawl, monkeypatch):
    plain, _, _ = crawl
    monkeypatch.setitem(sys.modules, "fastwarc.warc", None)
    res = invoke([str(plain)])
    assert res.exit_code == 1
    assert "reading WARC needs fastwarc: pip install 'cleaner[warc]'" in res.stderr
