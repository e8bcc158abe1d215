"""`clean DIR -o OUT --jobs N` on a folder of HTML files: the speed-up of a process pool.

The folder (2,000 files by default; ``CLEAN_BENCH_FILES`` to change) is generated from the
fixture pages, each file made distinct. Both runs are real CLI processes (start-up
included), timed in the same test; ``extra_info`` records files/s, MB/s, the ratio, the CPU
seconds of both runs (workers included: what the pool costs beyond the work) and the load
average (other processes on the machine take cores from the pool). The target is a
speed-up of at least 1.8 with 2 jobs on 2 cores (skipped with fewer CPUs).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

resource = pytest.importorskip("resource", reason="resource.getrusage is POSIX only")

ROOT = Path(__file__).resolve().parents[1]
FILES = int(os.environ.get("CLEAN_BENCH_FILES", "2000"))
TARGET = 1.8


def cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


@pytest.fixture(scope="module")
def html_folder(tmp_path_factory) -> tuple[Path, float]:
    pages = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "fixtures" / "cases").glob("*.html"))]
    folder = tmp_path_factory.mktemp("parallel") / "in"
    size = 0
    for i in range(FILES):
        sub = folder / f"{i // 250:02}"
        sub.mkdir(parents=True, exist_ok=True)
        html = pages[i % len(pages)].replace("<p>", f"<p data-n='{i}'>", 1)
        (sub / f"page{i:05}.html").write_text(html, encoding="utf-8")
        size += len(html.encode("utf-8"))
    return folder, size / 1e6


CPU: dict[int, float] = {}


def run_cli(folder: Path, out: Path, jobs: int) -> float:
    """Wall seconds of one CLI run; its CPU seconds (workers included) go to CPU[jobs]."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "cleaner.cli", str(folder), "-o", str(out), "-q", "-j", str(jobs)],
                          cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU[jobs] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return elapsed


@pytest.mark.skipif(cpus() < 2, reason="the speed-up needs at least 2 CPUs")
def test_jobs_speedup(benchmark, html_folder, tmp_path):
    folder, mb = html_folder
    jobs = min(cpus(), 2)
    sequential = run_cli(folder, tmp_path / "one", 1)
    parallel = benchmark.pedantic(lambda: run_cli(folder, tmp_path / "two", jobs), rounds=1, iterations=1)
    outputs = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*.txt"))
    assert len(outputs) == FILES
    assert all((tmp_path / "one" / p).read_bytes() == (tmp_path / "two" / p).read_bytes() for p in outputs)
    ratio = sequential / parallel
    benchmark.extra_info.update(files=FILES, mb=round(mb, 3), jobs=jobs,
                                sequential_s=round(sequential, 3), parallel_s=round(parallel, 3),
                                files_per_s_1=round(FILES / sequential, 1), files_per_s_n=round(FILES / parallel, 1),
                                mb_per_s_n=round(mb / parallel, 3), speedup=round(ratio, 3),
                                cpu_s_1=round(CPU[1], 3), cpu_s_n=round(CPU[jobs], 3),
                                load_avg_1min=round(os.getloadavg()[0], 2))
    if jobs >= 2:
        assert ratio >= TARGET, f"speed-up {ratio:.3f} with {jobs} jobs, target {TARGET}"
