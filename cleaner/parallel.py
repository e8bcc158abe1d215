"""Run a Job over a stream of tasks, in this process or in a pool of worker processes
(trafilatura is not thread-safe), results in input order, memory bounded.

The stream may hold local items (markers the caller handles itself) between tasks; they
come back in place, unprocessed. Tasks go to the workers in chunks; at most ``window``
chunks are in flight, so a long input is read only as fast as it is cleaned.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections import deque
from typing import Any, Callable, Iterable, Iterator, TypeVar

from .tasks import Job, Outcome

__all__ = ["WARMUP_SECONDS", "cpu_count", "run_ordered"]

T = TypeVar("T")
WARMUP_SECONDS = 0.5         # work done here before a pool is started (none if the input ends first)
CHUNK_TASKS = 8
CHUNK_BYTES = 1 << 20

_job: Job | None = None


def cpu_count() -> int:
    """CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:
        return os.cpu_count() or 1


def _stop(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)      # unwinds: a file being written removes its temporary


def _init_worker(job: Job) -> None:
    global _job
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, _stop)
    _job = job


def _run_chunk(tasks: list[Any]) -> list[Outcome]:
    assert _job is not None
    return [_job.run(t) for t in tasks]


def _size(task: Any) -> int:
    data = getattr(task, "line", None) or getattr(task, "data", None)
    if data is None and hasattr(task, "doc"):
        data = task.doc.body
    return len(data) if data is not None else 4096


def _context():
    import multiprocessing as mp

    # fork is fast and shares the compiled rules; only safe without other threads
    if sys.platform == "linux" and threading.active_count() == 1:
        return mp.get_context("fork")
    return mp.get_context("spawn")


def run_ordered(job: Job, items: Iterable[T], is_task: Callable[[T], bool], jobs: int = 1,
                window: int | None = None, warmup: float | None = None) -> Iterator[tuple[T, Outcome | None]]:
    """``(item, outcome)`` for every item, in order; local items (``is_task`` false) get
    None. With ``jobs`` > 1 the first ``warmup`` seconds (default WARMUP_SECONDS) of work
    run here: a small input ends within them and never pays for a pool, and a pool forked
    afterwards inherits the rules already compiled and the modules already imported. What
    is left goes to ``jobs`` worker processes."""
    it = iter(items)
    if jobs > 1:
        deadline = time.monotonic() + (WARMUP_SECONDS if warmup is None else warmup)
        for item in it:
            yield item, (job.run(item) if is_task(item) else None)  # type: ignore[arg-type]
            if time.monotonic() >= deadline:
                break
        else:
            return
        yield from _pooled(job, it, is_task, jobs, window or 4 * jobs)
        return
    for item in it:
        yield item, (job.run(item) if is_task(item) else None)  # type: ignore[arg-type]


def _pooled(job: Job, it: Iterator[T], is_task: Callable[[T], bool], jobs: int,
            window: int) -> Iterator[tuple[T, Outcome | None]]:
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(jobs, mp_context=_context(), initializer=_init_worker, initargs=(job,))
    pending: deque[tuple[list[T], Any]] = deque()   # (items, future or None for a local item)
    in_flight = 0
    chunk: list[T] = []
    chunk_bytes = 0
    clean_exit = False

    def submit() -> None:
        nonlocal chunk, chunk_bytes, in_flight
        if chunk:
            pending.append((chunk, pool.submit(_run_chunk, chunk)))
            in_flight += 1
            chunk, chunk_bytes = [], 0

    def head() -> Iterator[tuple[T, Outcome | None]]:
        nonlocal in_flight
        items, future = pending.popleft()
        if future is None:
            yield items[0], None
            return
        in_flight -= 1
        yield from zip(items, future.result())

    try:
        for item in it:
            if is_task(item):
                chunk.append(item)
                chunk_bytes += _size(item)
                if len(chunk) >= CHUNK_TASKS or chunk_bytes >= CHUNK_BYTES:
                    submit()
            else:
                submit()
                pending.append(([item], None))
            while pending and (in_flight >= window or pending[0][1] is None or pending[0][1].done()):
                yield from head()
        submit()
        while pending:
            yield from head()
        clean_exit = True
    finally:
        if clean_exit:
            pool.shutdown(wait=True)
        else:   # interrupted or failed: drop the queue and stop the workers now
            pool.shutdown(wait=False, cancel_futures=True)
            procs = list((getattr(pool, "_processes", None) or {}).values())
            for proc in procs:
                proc.terminate()
            for proc in procs:
                proc.join(2)       # each removes the temporary file it was writing
