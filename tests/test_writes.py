"""Safe writes: atomic outputs, never into the inputs, interrupts and vanishing files."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import cleaner.tasks as tasks
from cleaner.cli import main
from cleaner.core import Cleaner

from .conftest import FIXTURES, ROOT
from .test_cli import CLEAN, TEXT


def invoke(args, **kw):
    return CliRunner().invoke(main, args, **kw)


def make_inputs(tmp_path, n=4):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(n):
        (src / f"{i}.txt").write_text(TEXT, encoding="utf-8")
    return src


def files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_output_folder_inside_the_input_is_refused_unless_allowed(tmp_path):
    src = make_inputs(tmp_path, 2)
    res = invoke([str(src), "-o", str(src / "clean")])
    assert res.exit_code == 2 and "--allow-nested-output" in res.stderr
    assert not (src / "clean").exists()
    res = invoke([str(src), "-o", str(src)])
    assert res.exit_code == 2 and "is the input folder" in res.stderr
    for _ in range(2):   # a second run does not walk into the outputs of the first
        res = invoke([str(src), "-o", str(src / "clean"), "--allow-nested-output"])
        assert res.exit_code == 0, res.output
        assert files(src) == ["0.txt", "1.txt", "clean/0.txt", "clean/1.txt"]
    assert (src / "clean" / "0.txt").read_text(encoding="utf-8") == CLEAN
    assert (src / "0.txt").read_text(encoding="utf-8") == TEXT


def test_never_into_an_input_folder_nor_over_an_input(tmp_path):
    out = tmp_path / "out"
    (out / "sub").mkdir(parents=True)
    (out / "sub" / "sub").mkdir()
    (out / "sub" / "sub" / "a.txt").write_text(TEXT, encoding="utf-8")
    res = invoke([str(out / "sub"), "-o", str(out)])     # would write out/sub/a.txt, inside the input folder
    assert res.exit_code == 1 and "refusing to write into the input folder" in res.stderr
    assert files(out) == ["sub/sub/a.txt"]
    rep = invoke([str(out / "sub" / "sub" / "a.txt"), "--report", str(out / "sub" / "sub" / "a.txt")])
    assert rep.exit_code == 2
    assert (out / "sub" / "sub" / "a.txt").read_text(encoding="utf-8") == TEXT


def test_unreadable_and_vanishing_files_fail_alone(tmp_path, monkeypatch):
    src = make_inputs(tmp_path, 4)
    (src / "1.txt").chmod(0)
    real = tasks.read_bytes

    def read(path):
        if path.name == "0.txt":
            (src / "2.txt").unlink()          # disappears after the walk listed it
        if path.name == "1.txt" and os.geteuid() == 0:   # root reads through chmod 000
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(tasks, "read_bytes", read)
    res = invoke([str(src), "-o", str(tmp_path / "out"), "--jobs", "1"])
    assert res.exit_code == 1
    errs = [line for line in res.stderr.splitlines() if line.startswith("clean: error:")]
    assert errs == [f"clean: error: {src / '1.txt'}: Permission denied",
                    f"clean: error: {src / '2.txt'}: No such file or directory"]
    assert files(tmp_path / "out") == ["0.txt", "3.txt"]
    assert "2 failed" in res.stderr
    (src / "1.txt").chmod(0o644)


def test_symlink_loops_do_not_hang(tmp_path):
    src = make_inputs(tmp_path, 1)
    (src / "sub").mkdir()
    (src / "sub" / "up").symlink_to(src, target_is_directory=True)     # a folder loop
    (src / "x.txt").symlink_to(src / "y.txt")
    (src / "y.txt").symlink_to(src / "x.txt")                           # a file loop
    proc = subprocess.run([sys.executable, "-m", "cleaner.cli", str(src), "-o", str(tmp_path / "out"), "-j", "1"],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 1, proc.stderr
    errs = [line for line in proc.stderr.splitlines() if line.startswith("clean: error:")]
    assert len(errs) == 2 and all("Too many levels of symbolic links" in e for e in errs)
    assert files(tmp_path / "out") == ["0.txt"]


def interrupt_on(n):
    real = Cleaner.clean
    calls = []

    def clean(self, *a, **k):
        calls.append(1)
        if len(calls) == n:
            raise KeyboardInterrupt
        return real(self, *a, **k)
    return clean


def test_ctrl_c_leaves_no_partial_files_and_says_what_was_done(tmp_path, monkeypatch):
    src = make_inputs(tmp_path, 5)
    monkeypatch.setattr(Cleaner, "clean", interrupt_on(3))
    res = invoke([str(src), "-o", str(tmp_path / "out"), "--jobs", "1", "--report", str(tmp_path / "r.jsonl")])
    assert res.exit_code == 130
    assert "clean: interrupted after 2 files" in res.stderr
    assert files(tmp_path / "out") == ["0.txt", "1.txt"]          # no temporary files either
    assert not (tmp_path / "r.jsonl").exists() and not list(tmp_path.glob(".r.jsonl*"))


def test_ctrl_c_in_a_jsonl_leaves_no_output_file(tmp_path, monkeypatch):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"text": TEXT}) + "\n" for _ in range(5)), encoding="utf-8")
    monkeypatch.setattr(Cleaner, "clean", interrupt_on(4))
    res = invoke([str(src), "-o", str(tmp_path / "out.jsonl"), "--jobs", "1"])
    assert res.exit_code == 130 and "interrupted after 0 files (3 documents" in res.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]


@pytest.mark.skipif(not hasattr(signal, "SIGINT") or sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_sigint_to_a_real_process(tmp_path, jobs):
    texts = [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "cases").glob("*.txt"))]
    src = tmp_path / "in.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        for i in range(10_000):
            fh.write(json.dumps({"id": i, "text": texts[i % len(texts)]}) + "\n")
    out = tmp_path / "out" / "clean.jsonl"
    proc = subprocess.Popen([sys.executable, "-m", "cleaner.cli", str(src), "-o", str(out), "-j", jobs],
                            stderr=subprocess.PIPE, text=True, cwd=ROOT)
    deadline = time.monotonic() + 60
    while not list(out.parent.glob(".clean.jsonl.*.tmp")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.5)      # past the work done in-process (WARMUP_SECONDS): -j 2 has its pool by now
    assert proc.poll() is None, "finished before it could be interrupted"
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    workers = children.read_text().split() if children.exists() else []
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "clean: interrupted after 0 files" in err and "Traceback" not in err
    assert list(out.parent.iterdir()) == []
    time.sleep(0.5)
    assert not [w for w in workers if Path(f"/proc/{w}").exists()], "worker processes left running"
