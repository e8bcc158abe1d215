"""`clean DIR -o OUT --jobs N` on a folder of HTML files: the speed-up of a process pool.

The folder (2,000 files by default; ``CLEAN_BENCH_FILES`` to change) is generated from the
fixture pages, each file made distinct. Both runs are real CLI processes (start-up
included), timed in the same test, alternately ``ROUNDS`` times each; the best time of each
counts, since a virtual machine's neighbours only ever add time. ``extra_info`` records files/s, MB/s, the ratio, the CPU
seconds of both runs (workers included: what the pool costs beyond the work) and the load
average (other processes on the machine take cores from the pool). The CPU seconds are those of
the last round. For scale it also times ``jobs`` independent sequential processes
on shares of the folder, run at once (``independent_speedup``): on a virtual machine two
busy cores are each slower than one, and no pool can beat processes that share nothing.
The target is a
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
ROUNDS = int(os.environ.get("CLEAN_BENCH_ROUNDS", "3"))


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


def run_independent(folder: Path, out: Path, jobs: int) -> float:
    """Wall seconds of ``jobs`` sequential CLI processes run at once, each on its share of
    the subfolders: what the machine gives to processes that share nothing, the bound a
    pool can reach here."""
    parts = sorted(p for p in folder.iterdir() if p.is_dir())
    start = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-m", "cleaner.cli", *map(str, parts[k::jobs]), "-o", str(out / str(k)),
                               "-q", "-j", "1"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
             for k in range(jobs)]
    failed = [p.communicate()[1] for p in procs if p.wait() != 0]
    elapsed = time.perf_counter() - start
    assert not failed, failed[0][-2000:]
    return elapsed


@pytest.mark.skipif(cpus() < 2, reason="the speed-up needs at least 2 CPUs")
def test_jobs_speedup(benchmark, html_folder, tmp_path):
    folder, mb = html_folder
    jobs = min(cpus(), 2)
    sequential_runs: list[float] = []
    parallel_runs: list[float] = []
    independent_runs: list[float] = []

    def setup() -> None:   # untimed by pytest-benchmark: the sequential run and the bound
        sequential_runs.append(run_cli(folder, tmp_path / "one", 1))
        independent_runs.append(run_independent(folder, tmp_path / "split", jobs))

    benchmark.pedantic(lambda: parallel_runs.append(run_cli(folder, tmp_path / "two", jobs)),
                       setup=setup, rounds=ROUNDS, iterations=1)
    sequential, parallel = min(sequential_runs), min(parallel_runs)
    independent = min(independent_runs)
    outputs = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*.txt"))
    assert len(outputs) == FILES
    assert all((tmp_path / "one" / p).read_bytes() == (tmp_path / "two" / p).read_bytes() for p in outputs)
    ratio = sequential / parallel
    benchmark.extra_info.update(files=FILES, mb=round(mb, 3), jobs=jobs,
                                sequential_s=round(sequential, 3), parallel_s=round(parallel, 3),
                                sequential_runs=[round(t, 3) for t in sequential_runs],
                                parallel_runs=[round(t, 3) for t in parallel_runs],
                                independent_s=round(independent, 3),
                                independent_runs=[round(t, 3) for t in independent_runs],
                                independent_speedup=round(sequential / independent, 3),
                                pool_vs_independent=round(independent / parallel, 3),
                                files_per_s_1=round(FILES / sequential, 1), files_per_s_n=round(FILES / parallel, 1),
                                mb_per_s_n=round(mb / parallel, 3), speedup=round(ratio, 3),
                                cpu_s_1=round(CPU[1], 3), cpu_s_n=round(CPU[jobs], 3),
                                load_avg_1min=round(os.getloadavg()[0], 2))
    if jobs >= 2:
        assert ratio >= TARGET, f"speed-up {ratio:.3f} with {jobs} jobs, target {TARGET}"
