from __future__ import annotations

import json

from click.testing import CliRunner

from cleaner.cli import main

from .conftest import SEEDS
from .test_html import PAGE

TEXT = "The harbour reopened on Monday after the storm.\n\nFishermen returned to work at dawn.\n\nComments are closed.\n"
CLEAN = "The harbour reopened on Monday after the storm.\n\nFishermen returned to work at dawn.\n"


def invoke(args, **kw):
    return CliRunner().invoke(main, args, **kw)


def tree(tmp_path):
    src = tmp_path / "in"
    (src / "news" / "deep").mkdir(parents=True)
    (src / "a.txt").write_text(TEXT, encoding="utf-8")
    (src / "news" / "page.html").write_text(PAGE, encoding="utf-8")
    (src / "news" / "deep" / "b.md").write_text(TEXT, encoding="utf-8")
    (src / "news" / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (src / "skip.json").write_text("{}", encoding="utf-8")
    return src


def test_folder_is_mirrored_and_a_broken_file_fails_alone(tmp_path):
    src = tree(tmp_path)
    before = {p: p.read_bytes() for p in src.rglob("*") if p.is_file()}
    res = invoke([str(src), "-o", str(tmp_path / "out")])
    assert res.exit_code == 1
    errors = [line for line in res.stderr.splitlines() if line.startswith("clean: error:")]
    assert len(errors) == 1 and "broken.txt" in errors[0] and "binary" in errors[0]
    out = tmp_path / "out"
    assert (out / "a.txt").read_text(encoding="utf-8") == CLEAN
    assert (out / "news" / "deep" / "b.md").read_text(encoding="utf-8") == CLEAN
    assert "Council passes budget" in (out / "news" / "page.txt").read_text(encoding="utf-8")
    assert not (out / "news" / "broken.txt").exists() and not (out / "skip.json").exists()
    assert {p: p.read_bytes() for p in src.rglob("*") if p.is_file()} == before


def test_include_and_exclude_globs(tmp_path):
    src = tree(tmp_path)
    res = invoke([str(src), "-o", str(tmp_path / "out"), "--include", "*.txt", "--exclude", "broken*"])
    assert res.exit_code == 0, res.output
    files = sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert files == ["a.txt"]


def test_file_to_stdout_and_stdin():
    res = invoke(["-"], input=TEXT)
    assert res.exit_code == 0 and res.stdout == CLEAN
    res = invoke(["-", "--input-format", "html"], input=PAGE)
    assert res.exit_code == 0 and "Council passes budget" in res.output


def test_several_files_to_a_folder_and_never_over_an_input(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text(TEXT, encoding="utf-8")
    res = invoke([str(a), "-o", str(a)])
    assert res.exit_code == 1 and "refusing to overwrite" in res.stderr
    assert a.read_text(encoding="utf-8") == TEXT
    res = invoke([str(a), str(SEEDS / "001_e753e79d64e0d335.txt"), "-o", str(tmp_path / "o")])
    assert res.exit_code == 0
    assert (tmp_path / "o" / "a.txt").read_text(encoding="utf-8") == CLEAN


def test_report_and_explain(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text(TEXT, encoding="utf-8")
    rep = tmp_path / "r.jsonl"
    res = invoke([str(a), "--report", str(rep), "--explain"])
    assert res.exit_code == 0
    (rec,) = [json.loads(line) for line in rep.read_text(encoding="utf-8").splitlines()]
    assert rec["code"] == "CM01" and rec["category"] == "comments" and rec["file"] == str(a)
    assert TEXT[rec["start"]:rec["end"]] == "Comments are closed."
    assert "CM01" in res.stderr and "Comments are closed." in res.stderr


def test_all_boilerplate_is_empty_output_not_an_error(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text("Become a Patron!\n\nComments are closed.\n", encoding="utf-8")
    rep = tmp_path / "r.jsonl"
    res = invoke([str(a), "--report", str(rep)])
    assert res.exit_code == 0 and res.stdout == ""
    assert any(json.loads(line)["code"] == "EMPTY" for line in rep.read_text(encoding="utf-8").splitlines())


def test_usage_errors_exit_2(tmp_path):
    assert invoke([str(tmp_path)]).exit_code == 2          # a folder without -o
    assert invoke(["x.txt", "--select", "ZZ99"]).exit_code == 2
    assert invoke([]).exit_code == 2


def test_missing_file_is_a_one_line_error(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text(TEXT, encoding="utf-8")
    res = invoke([str(tmp_path / "nope.txt"), str(a)])
    assert res.exit_code == 1
    assert res.stdout == CLEAN
    assert res.stderr.count("clean: error:") == 1 and "nope.txt" in res.stderr


def test_rules_list_and_check(tmp_path):
    res = invoke(["rules", "list"])
    assert res.exit_code == 0 and "DN01" in res.output and "CODE" in res.output
    res = invoke(["rules", "check"])
    assert res.exit_code == 0 and "0 failed" in res.output
    bad = tmp_path / "bad.toml"
    bad.write_text('''[ruleset]
category = "donation"
prefix = "XD"
[[rules]]
code = "XD01"
name = "tip"
summary = "Tip jar."
patterns = ['^tip\\b']
must_remove = ["Please tip the author"]
must_keep = ["Tip-off led police to the flat."]
''', encoding="utf-8")
    res = invoke(["rules", "check", str(bad)])
    assert res.exit_code == 1
    assert "does not remove its example 'Please tip the author'" in res.output
    assert "removes its keep example 'Tip-off" in res.output
