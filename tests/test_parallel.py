"""--jobs: a process pool gives the same outputs, in the same order, as one process."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import time

import pytest
from click.testing import CliRunner

import cleaner.parallel as parallel
from cleaner.cli import main
from cleaner.parallel import run_ordered
from cleaner.tasks import Job, Outcome

from .conftest import FIXTURES

CASES = FIXTURES / "cases"
POOL_MIN_TASKS = 16


@pytest.fixture
def pool_at_once(monkeypatch):
    """Start the pool after the first document (not after a second of work in-process)."""
    monkeypatch.setattr(parallel, "WARMUP_SECONDS", 0.0)


def invoke(args, **kw):
    return CliRunner().invoke(main, args, **kw)


def corpus(tmp_path, copies=1):
    """Fixture texts and pages (copies of each, more than POOL_MIN_TASKS) and one broken file."""
    src = tmp_path / "in"
    src.mkdir()
    inputs = [p for p in sorted(CASES.iterdir()) if p.suffix in (".txt", ".html")
              and not p.name.endswith(".expected.txt")]
    for i in range(copies):
        for p in inputs:
            shutil.copy(p, src / f"{i}_{p.name}")
    (src / "1_zz_broken.txt").write_bytes(b"\x00\x01binary\x00")
    assert len(inputs) * copies >= 2 * POOL_MIN_TASKS
    return src


def tree(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def errors(stderr):
    return [line for line in stderr.splitlines() if line.startswith("clean: error:")]


def test_jobs_2_writes_what_jobs_1_writes(tmp_path, pool_at_once):
    src = corpus(tmp_path)
    one = invoke([str(src), "-o", str(tmp_path / "one"), "--jobs", "1"])
    two = invoke([str(src), "-o", str(tmp_path / "two"), "--jobs", "2"])
    assert one.exit_code == two.exit_code == 1
    assert tree(tmp_path / "one") == tree(tmp_path / "two") and tree(tmp_path / "one")
    assert errors(one.stderr) == errors(two.stderr) and len(errors(two.stderr)) == 1
    assert one.stderr.splitlines()[-1] == two.stderr.splitlines()[-1]      # the same summary


def test_stdout_order_is_stable_with_a_pool(tmp_path, pool_at_once):
    src = corpus(tmp_path, copies=1)
    files = sorted(str(p) for p in src.iterdir() if p.suffix == ".txt" and "broken" not in p.name)
    files = (files * 3)[: 2 * POOL_MIN_TASKS]
    one = invoke([*files, "--jobs", "1"])
    two = invoke([*files, "--jobs", "2"])
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout and one.stdout


def test_jsonl_records_keep_their_order_with_a_pool(tmp_path, pool_at_once):
    texts = [p.read_text(encoding="utf-8") for p in sorted(CASES.glob("*.txt")) if not p.name.endswith(".expected.txt")]
    src = tmp_path / "in.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        for i in range(60):
            fh.write(json.dumps({"id": i, "text": texts[i % len(texts)]}) + "\n")
            if i % 17 == 5:
                fh.write("{broken\n")
    one = invoke([str(src), "--jobs", "1"])
    two = invoke([str(src), "--jobs", "2"])
    assert one.exit_code == two.exit_code == 1
    assert one.stdout == two.stdout
    assert [json.loads(line)["id"] for line in two.stdout.splitlines()] == list(range(60))
    assert errors(one.stderr) == errors(two.stderr) and len(errors(two.stderr)) == 4


class PidJob(Job):
    """Answers with the id of the process that ran the task, after ``pause`` seconds."""

    def __init__(self, pause: float = 0.0):
        super().__init__(cleaner=None)  # type: ignore[arg-type]
        self.pause = pause

    def run(self, task):
        time.sleep(self.pause)
        return Outcome(line=f"{task}:{os.getpid()}")


def test_a_pool_runs_tasks_elsewhere_and_keeps_order_and_local_items():
    items = [("task", i) if i % 5 else ("local", i) for i in range(1, 81)]
    out = list(run_ordered(PidJob(), items, lambda x: x[0] == "task", jobs=2, warmup=0))
    assert [item for item, _ in out] == items
    assert all(o is None for (kind, _), o in out if kind == "local")
    pids = [o.line.rsplit(":", 1)[1] for (kind, _), o in out if kind == "task"]
    assert pids[0] == str(os.getpid())                    # the first task ran here ...
    assert str(os.getpid()) not in pids[1:]                # ... the others in workers


def test_a_pool_only_after_the_warmup(monkeypatch):
    def no_pool(*a, **k):
        raise AssertionError("a pool was started")

    items = [("task", i) for i in range(POOL_MIN_TASKS)]
    with monkeypatch.context() as m:
        m.setattr(parallel, "_pooled", no_pool)
        out = list(run_ordered(PidJob(), items, lambda x: True, jobs=2, warmup=5))
    assert [o.line.rsplit(":", 1)[1] for _, o in out] == [str(os.getpid())] * len(items)
    out = list(run_ordered(PidJob(0.05), items, lambda x: True, jobs=2, warmup=0.2))
    here = [o.line.endswith(f":{os.getpid()}") for _, o in out]
    assert here[0] and not here[-1] and here == sorted(here, reverse=True)


def test_the_input_is_read_only_as_fast_as_it_is_cleaned():
    """Back-pressure: with an endless input, taking N results reads a bounded number of items."""
    read = itertools.count()

    def endless():
        for i in itertools.count():
            next(read)
            yield ("task", i)

    results = run_ordered(PidJob(), endless(), lambda x: True, jobs=2, window=4, warmup=0)
    taken = list(itertools.islice(results, 100))
    results.close()
    assert [item for item, _ in taken] == [("task", i) for i in range(100)]
    consumed = next(read)
    assert consumed <= 100 + 4 * parallel.CHUNK_TASKS + 1, consumed


@pytest.mark.parametrize("jobs", ["0", "-1"])
def test_jobs_must_be_positive(jobs):
    assert invoke(["x.txt", "--jobs", jobs]).exit_code == 2


def test_an_unexpected_error_fails_that_document_only(tmp_path, monkeypatch):
    import cleaner.extract as extract

    def broken(*a, **k):
        raise TypeError("extractor bug")

    monkeypatch.setattr(extract, "parse_page", broken)
    (tmp_path / "a.html").write_text("<html><body><p>Text of the page.</p></body></html>", encoding="utf-8")
    (tmp_path / "b.txt").write_text("The ferry ran late on Sunday.\n", encoding="utf-8")
    res = invoke([str(tmp_path / "a.html"), str(tmp_path / "b.txt"), "--jobs", "1"])
    assert res.exit_code == 1 and res.stdout == "The ferry ran late on Sunday.\n"
    assert f"clean: error: {tmp_path / 'a.html'}: internal error: TypeError: extractor bug" in res.stderr


def test_spawned_workers_rebuild_the_cleaner(tmp_path, monkeypatch, cleaner):
    """Where fork is not safe (other threads, not Linux) workers are spawned and get the
    Cleaner by pickling; results are the same."""
    import multiprocessing

    from cleaner.tasks import DocTask

    monkeypatch.setattr(parallel, "_context", lambda: multiprocessing.get_context("spawn"))
    paths = [p for p in sorted(CASES.glob("*.txt")) if not p.name.endswith(".expected.txt")][:12]
    items = [DocTask(str(p), str(p)) for p in paths]
    out = list(run_ordered(Job(cleaner), items, lambda x: True, jobs=2, warmup=0))
    assert [o.result.text for _, o in out] == [cleaner.clean(p.read_bytes(), source=str(p)).text for p in paths]
