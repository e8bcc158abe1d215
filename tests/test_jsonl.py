"""JSON Lines in and out: fields kept, clean text added, bad records reported by line."""

from __future__ import annotations

import gzip
import json

from click.testing import CliRunner

from cleaner.cli import main
from cleaner.records import container_kind, container_output_name, sniff_container

from .conftest import FIXTURES
from .test_cli import CLEAN, TEXT
from .test_html import PAGE

CASES = FIXTURES / "cases"


def invoke(args, **kw):
    return CliRunner().invoke(main, args, **kw)


def case_texts():
    return [p for p in sorted(CASES.glob("*.txt")) if not p.name.endswith(".expected.txt")]


def write_jsonl(path, records):
    data = "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records)
    if path.name.endswith(".gz"):
        path.write_bytes(gzip.compress(data.encode("utf-8")))
    else:
        path.write_text(data, encoding="utf-8")


def read_jsonl(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_records_keep_their_fields_and_get_the_library_clean_text(tmp_path, cleaner):
    paths = case_texts()[:6]
    records = [{"id": i, "meta": {"src": p.name}, "text": p.read_text(encoding="utf-8")} for i, p in enumerate(paths)]
    src = tmp_path / "in.jsonl"
    write_jsonl(src, records)
    before = src.read_bytes()
    res = invoke([str(src), "-o", str(tmp_path / "out.jsonl"), "--jobs", "1"])
    assert res.exit_code == 0, res.output
    out = read_jsonl((tmp_path / "out.jsonl").read_text(encoding="utf-8"))
    assert [o["id"] for o in out] == list(range(len(paths)))
    for rec, o in zip(records, out):
        assert {k: o[k] for k in rec} == rec                      # every input field, unchanged
        assert o["clean_text"] == cleaner.clean(rec["text"], format="text").text
        assert "removals" not in o
    assert any(o["clean_text"] != o["text"] for o in out)         # the cases do hold boilerplate
    assert src.read_bytes() == before
    assert "clean: 1 file, 6 documents, removed" in res.stderr


def test_with_removals_and_html_field_first(tmp_path):
    src = tmp_path / "in.jsonl"
    write_jsonl(src, [{"text": TEXT}, {"html": PAGE, "text": "ignored: the HTML field comes first"}])
    res = invoke([str(src), "--with-removals"])
    assert res.exit_code == 0, res.output
    first, second = read_jsonl(res.stdout)
    assert first["clean_text"] == CLEAN
    (rem,) = first["removals"]
    assert rem["code"] == "CM01" and TEXT[rem["start"]:rem["end"]] == "Comments are closed."
    assert "Council passes budget" in second["clean_text"] and "ignored" not in second["clean_text"]


def test_naming_one_field_uses_only_that_field(tmp_path):
    src = tmp_path / "in.jsonl"
    write_jsonl(src, [{"html": PAGE, "body": TEXT}, {"html": PAGE}])
    res = invoke([str(src), "--text-field", "body"])
    assert res.exit_code == 1
    out = read_jsonl(res.stdout)
    assert [o["clean_text"] for o in out] == [CLEAN]
    assert "in.jsonl:2: missing field: the record has no 'body'" in res.stderr
    res = invoke([str(src), "--html-field", "html"])
    assert res.exit_code == 0 and len(read_jsonl(res.stdout)) == 2


def test_bad_records_are_one_line_each_and_the_run_goes_on(tmp_path):
    src = tmp_path / "in.jsonl"
    lines = [json.dumps({"id": 1, "text": TEXT}), "{not json", "", json.dumps({"id": 4}),
             json.dumps({"id": 5, "text": 42}), json.dumps([1, 2]), json.dumps({"id": 7, "text": "   "}),
             json.dumps({"id": 8, "text": TEXT})]
    src.write_bytes(("\n".join(lines) + "\n").encode() + b'{"id": 9, "text": "caf\xe9"}\n')
    res = invoke([str(src), "-o", str(tmp_path / "out.jsonl"), "--jobs", "1"])
    assert res.exit_code == 1
    errors = [line for line in res.stderr.splitlines() if line.startswith("clean: error:")]
    assert [e.split(": ")[2] for e in errors] == [f"{src}:{n}" for n in (2, 4, 5, 6, 7, 9)]
    assert "invalid JSON" in errors[0] and "missing field" in errors[1] and "not a string" in errors[2]
    assert "not a JSON object" in errors[3] and "empty input" in errors[4] and "not UTF-8" in errors[5]
    out = read_jsonl((tmp_path / "out.jsonl").read_text(encoding="utf-8"))
    assert [o["id"] for o in out] == [1, 8]
    assert "2 documents" in res.stderr and "6 failed" in res.stderr
    assert not res.exception or isinstance(res.exception, SystemExit)


def test_gzip_in_and_out_by_name(tmp_path):
    src = tmp_path / "in.jsonl.gz"
    write_jsonl(src, [{"id": 1, "text": TEXT}])
    out = tmp_path / "out.jsonl.gz"
    res = invoke([str(src), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert out.read_bytes()[:2] == b"\x1f\x8b"
    (rec,) = read_jsonl(gzip.decompress(out.read_bytes()).decode("utf-8"))
    assert rec["clean_text"] == CLEAN
    res = invoke([str(src), "-o", str(tmp_path / "plain.jsonl")])
    assert read_jsonl((tmp_path / "plain.jsonl").read_text(encoding="utf-8")) == [rec]


def test_stdin_to_stdout_by_detection_or_flag():
    data = json.dumps({"id": 1, "text": TEXT}) + "\n"
    for args in (["-"], ["-", "--input-format", "jsonl"]):
        res = invoke(args, input=data)
        assert res.exit_code == 0, res.output
        (rec,) = read_jsonl(res.stdout)
        assert rec["clean_text"] == CLEAN and rec["id"] == 1
    res = invoke(["-"], input=gzip.compress(data.encode()))
    assert res.exit_code == 0 and read_jsonl(res.stdout)[0]["clean_text"] == CLEAN
    res = invoke(["-"], input=TEXT)                       # plain text is still plain text
    assert res.exit_code == 0 and res.stdout == CLEAN


def test_folder_walk_takes_jsonl_files(tmp_path):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    write_jsonl(src / "sub" / "a.jsonl.gz", [{"text": TEXT}])
    (src / "b.txt").write_text(TEXT, encoding="utf-8")
    res = invoke([str(src), "-o", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "out" / "b.txt").read_text(encoding="utf-8") == CLEAN
    recs = read_jsonl(gzip.decompress((tmp_path / "out" / "sub" / "a.jsonl.gz").read_bytes()).decode())
    assert recs[0]["clean_text"] == CLEAN
    assert "clean: 2 files, 2 documents, removed 2 blocks (comments 2), 0 failed" in res.stderr


def test_naming_and_sniffing():
    assert container_kind("x.JSONL.gz") == "jsonl" and container_kind("a.warc.gz") == "warc"
    assert container_kind("a.txt") is None and container_kind("a.json") is None
    assert container_output_name("cc.warc.gz") == "cc.jsonl.gz" and container_output_name("a.warc") == "a.jsonl"
    assert sniff_container(b'{"a": 1}\n{"a": 2}\n') == "jsonl"
    assert sniff_container(gzip.compress(b'{"a": 1}\n')) == "jsonl"
    assert sniff_container(b"WARC/1.0\r\n") == "warc"
    assert sniff_container(b"{curly} braces open this article.\n") is None
    assert sniff_container(b'["a"]\n') is None and sniff_container(TEXT.encode()) is None


def test_input_format_text_reads_a_jsonl_file_as_one_document(tmp_path):
    src = tmp_path / "notes.jsonl"
    src.write_text('{"text": "a"}\n\nComments are closed.\n', encoding="utf-8")
    res = invoke([str(src), "--input-format", "text"])
    assert res.exit_code == 0 and res.stdout == '{"text": "a"}\n'


def test_a_lone_surrogate_in_another_field_stays_escaped(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"title": "broken \\ud800 title", "text": "The ferry ran late on Sunday.\\n"}\n', encoding="utf-8")
    res = invoke([str(src), "-o", str(tmp_path / "out.jsonl")])
    assert res.exit_code == 0, res.output
    (rec,) = read_jsonl((tmp_path / "out.jsonl").read_text(encoding="utf-8"))
    assert rec["title"] == "broken \ud800 title" and rec["clean_text"] == "The ferry ran late on Sunday.\n"
