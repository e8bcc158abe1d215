"""Streaming memory: peak RSS of `clean big.jsonl -o out.jsonl` on a 1 GB JSONL input.

The input (``CLEAN_BENCH_JSONL_MB``, default 1000 MB) is generated on the fly in a temp
folder from the fixture texts, with a tenth-size copy; the peak RSS of the cleaning process
(the largest process, workers included: ``resource.getrusage(RUSAGE_CHILDREN)`` of a
wrapper) is measured for both. Targets: under 300 MB, and the 1 GB run no more than 50 MB
above the tenth-size run. ``extra_info`` has the figures and MB/s.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

resource = pytest.importorskip("resource", reason="resource.getrusage is POSIX only")

ROOT = Path(__file__).resolve().parents[1]
SIZE_MB = float(os.environ.get("CLEAN_BENCH_JSONL_MB", "1000"))
RSS_LIMIT_MB = 300
GROWTH_LIMIT_MB = 50

MEASURE = """
import resource, subprocess, sys
proc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
if proc.returncode:
    sys.exit(proc.stderr.decode()[-2000:])
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def write_jsonl(path: Path, mb: float) -> int:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "fixtures" / "cases").glob("*.txt"))]
    block = "".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(texts))
    data = block.encode("utf-8")
    size = 0
    with path.open("wb") as fh:
        while size < mb * 1e6:
            fh.write(data)
            size += len(data)
    return size


def peak_rss_mb(src: Path, out: Path, jobs: int) -> tuple[float, float]:
    cmd = [sys.executable, "-c", MEASURE, sys.executable, "-m", "cleaner.cli", str(src), "-o", str(out), "-q",
           "-j", str(jobs)]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    elapsed = time.perf_counter() - start
    assert proc.returncode == 0, proc.stderr
    kib = int(proc.stdout.strip())
    return kib / 1024 if sys.platform != "darwin" else kib / 1024 / 1024, elapsed


@pytest.mark.parametrize("jobs", [1, 2])
def test_peak_rss_on_a_big_jsonl(benchmark, tmp_path, jobs):
    big, small = tmp_path / "big.jsonl", tmp_path / "small.jsonl"
    big_bytes = write_jsonl(big, SIZE_MB)
    write_jsonl(small, SIZE_MB / 10)
    rss_small, _ = peak_rss_mb(small, tmp_path / "small.out.jsonl", jobs)
    (tmp_path / "small.out.jsonl").unlink()
    figures: dict[str, float] = {}

    def run():
        figures["rss"], figures["seconds"] = peak_rss_mb(big, tmp_path / "big.out.jsonl", jobs)

    benchmark.pedantic(run, rounds=1, iterations=1)
    benchmark.extra_info.update(jobs=jobs, input_mb=round(big_bytes / 1e6, 1), peak_rss_mb=round(figures["rss"], 1),
                                peak_rss_tenth_mb=round(rss_small, 1),
                                mb_per_s=round(big_bytes / 1e6 / figures["seconds"], 2))
    assert figures["rss"] < RSS_LIMIT_MB
    assert figures["rss"] - rss_small < GROWTH_LIMIT_MB
