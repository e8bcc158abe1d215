"""Per-document time limit (SIGALRM), progress line and summary line."""

from __future__ import annotations

import io
import signal
import threading
import time
from collections import Counter

import pytest
from click.testing import CliRunner

import cleaner.extract as extract
from cleaner.cli import main
from cleaner.limits import TimeLimitExceeded, can_limit, time_limit
import cleaner.parallel as parallel
from cleaner.progress import Progress, Stats

from .test_cli import CLEAN, TEXT
from .test_html import PAGE

pytestmark = pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="no SIGALRM on this platform")


def invoke(args, **kw):
    return CliRunner().invoke(main, args, **kw)


def test_a_slow_body_is_stopped_and_the_old_handler_comes_back():
    before = signal.getsignal(signal.SIGALRM)
    start = time.monotonic()
    with pytest.raises(TimeLimitExceeded, match="time limit of 0.05 s exceeded"):
        with time_limit(0.05):
            time.sleep(5)
    assert time.monotonic() - start < 2
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    with time_limit(5):                     # a fast body is untouched and the timer is disarmed
        pass
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_outside_the_main_thread_there_is_no_limit():
    seen = {}

    def body():
        seen["can"] = can_limit()
        with time_limit(0.01):
            time.sleep(0.1)
        seen["done"] = True

    t = threading.Thread(target=body)
    t.start()
    t.join()
    assert seen == {"can": False, "done": True}


def slow_parse(*args, **kwargs):
    time.sleep(30)


def test_cli_timeout_fails_the_slow_document_and_goes_on(tmp_path, monkeypatch):
    monkeypatch.setattr(extract, "parse_page", slow_parse)
    (tmp_path / "a.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(TEXT, encoding="utf-8")
    start = time.monotonic()
    res = invoke([str(tmp_path / "a.html"), str(tmp_path / "b.txt"), "--timeout", "0.2", "--jobs", "1"])
    assert time.monotonic() - start < 20
    assert res.exit_code == 1, res.output
    assert res.stdout == CLEAN, res.stderr
    assert f"clean: error: {tmp_path / 'a.html'}: time limit of 0.2 s exceeded" in res.stderr
    assert "1 failed" in res.stderr


def test_timeout_in_pool_workers(tmp_path, monkeypatch):
    monkeypatch.setattr(extract, "parse_page", slow_parse)   # forked workers inherit the patch
    monkeypatch.setattr(parallel, "WARMUP_SECONDS", 0.0)       # the pool from the second document
    files = []
    for i in range(12):
        (tmp_path / f"{i:02}.html").write_text(PAGE, encoding="utf-8")
        files.append(str(tmp_path / f"{i:02}.html"))
    res = invoke([*files, "--timeout", "0.1", "--jobs", "2"])
    assert res.exit_code == 1
    errs = [line for line in res.stderr.splitlines() if line.startswith("clean: error:")]
    assert errs == [f"clean: error: {f}: time limit of 0.1 s exceeded" for f in files]


def test_summary_line():
    s = Stats(files=12, documents=340, failed=1, removed=Counter(related=30, donation=10, comments=11))
    assert s.summary() == ("clean: 12 files, 340 documents, removed 51 blocks "
                           "(related 30, comments 11, donation 10), 1 failed")
    assert Stats(files=1, documents=1).summary() == "clean: 1 file, 1 document, removed 0 blocks, 0 failed"


def test_progress_line_only_when_enabled():
    stats = Stats(files=4, documents=8, nbytes=2_000_000)
    out = io.StringIO()
    bar = Progress(stats, out, enabled=True, every=0, after=0)
    bar.update()
    assert "4 files, 8 documents" in out.getvalue() and "files/s" in out.getvalue() and "MB/s" in out.getvalue()
    bar.close()
    assert out.getvalue().endswith("\r\x1b[K")
    quiet = io.StringIO()
    Progress(stats, quiet, enabled=False, every=0, after=0).update()
    assert quiet.getvalue() == ""


def test_no_progress_when_stderr_is_not_a_terminal(tmp_path):
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(TEXT, encoding="utf-8")
    res = invoke([str(tmp_path), "-o", str(tmp_path / "o"), "--allow-nested-output"])
    assert "\r" not in res.stderr and "files/s" not in res.stderr
    assert res.stderr.strip() == "clean: 3 files, 3 documents, removed 3 blocks (comments 3), 0 failed"
    res = invoke([str(tmp_path), "-o", str(tmp_path / "o"), "--allow-nested-output", "-q"])
    assert res.exit_code == 0 and res.stderr == ""
