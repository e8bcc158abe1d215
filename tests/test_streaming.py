"""Streaming: peak memory of `clean in.jsonl -o out.jsonl` does not grow with the input.

The 1 GB figure is a benchmark (benchmarks/test_memory.py); here a 3x larger input must
not raise the peak RSS by half the extra input size (reading everything in would)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import FIXTURES, ROOT

pytest.importorskip("resource", reason="resource.getrusage is POSIX only")

MEASURE = """
import resource, subprocess, sys
proc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
if proc.returncode:
    sys.exit(proc.stderr.decode())
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)   # KiB on Linux
"""


def write_corpus(path, mb: float) -> int:
    texts = [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "cases").glob("*.txt"))]
    size = i = 0
    with path.open("w", encoding="utf-8") as fh:
        while size < mb * 1e6:
            line = json.dumps({"id": i, "text": texts[i % len(texts)]}) + "\n"
            fh.write(line)
            size += len(line.encode())
            i += 1
    return size


def peak_kib(src, out, jobs="1") -> int:
    cmd = [sys.executable, "-c", MEASURE, sys.executable, "-m", "cleaner.cli", str(src), "-o", str(out),
           "-q", "-j", jobs]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return int(proc.stdout.strip())


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss units differ outside Linux")
def test_peak_rss_does_not_grow_with_the_input(tmp_path):
    small, large = tmp_path / "small.jsonl", tmp_path / "large.jsonl"
    small_bytes = write_corpus(small, 3)
    large_bytes = write_corpus(large, 21)
    rss_small = peak_kib(small, tmp_path / "s.jsonl")
    rss_large = peak_kib(large, tmp_path / "l.jsonl")
    extra_kib = (large_bytes - small_bytes) / 1024
    assert rss_large - rss_small < extra_kib / 2, (rss_small, rss_large, extra_kib)
    assert sum(1 for _ in (tmp_path / "l.jsonl").open()) == sum(1 for _ in large.open())
