"""Bad input through the CLI: one line on stderr per failed file, no traceback, the other
files still cleaned, exit code 1, inputs never modified; legacy encodings decoded."""

from __future__ import annotations

import faulthandler
import json
import os
import struct
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner import InputError
from cleaner.cli import main
from cleaner.decode import decode
from cleaner.htmlload import MAX_DEPTH, MAX_HTML_CHARS, MAX_HTML_RAW_CHARS, content_chars

from .conftest import FIXTURES

GOOD = ("The harbour reopened on Monday after the storm, and the first boats left at dawn.\n\n"
        "Fishermen said the season could still be saved if the weather held until May.\n\n"
        "Comments are closed.\n")
GOOD_CLEAN = GOOD[: GOOD.index("Comments")].rstrip("\n") + "\n"

RU = ("Вчера в Москве прошло заседание городской думы, на котором депутаты обсудили бюджет на "
      "следующий год. Мэр заявил, что расходы на общественный транспорт вырастут почти на треть, "
      "а ремонт дорог начнётся весной.")
FR = ("Le conseil municipal a voté hier soir un budget en hausse pour les écoles et les crèches. "
      "« C'est une décision très attendue », a déclaré la maire, élue depuis deux ans à peine.")
JA = ("東京都は昨日、新しい交通計画を発表しました。市民の生活をより便利にするため、"
      "来年の春からバスと電車の運行本数を増やす予定です。")
PARAS = {"ru": RU, "fr": FR, "ja": JA}


def invoke(args: list[str]):
    return CliRunner().invoke(main, [*args, "-j", "1"])


def errors(res) -> list[str]:
    return [line for line in res.stderr.splitlines() if line.startswith("clean: error:")]


def run_with_good(tmp_path: Path, name: str, data: bytes, *extra: str):
    """Clean the file ``name`` holding ``data`` and a good file in one run, into out/."""
    bad = tmp_path / name
    bad.write_bytes(data)
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    res = invoke([str(bad), str(good), "-o", str(tmp_path / "out"), *extra])
    assert "Traceback" not in res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    assert all(line.startswith("clean: ") for line in res.stderr.splitlines()), res.stderr  # no log lines
    assert (tmp_path / "out" / "good.txt").read_text(encoding="utf-8") == GOOD_CLEAN
    assert bad.read_bytes() == data, "an input was modified"
    return res, bad


def assert_fails_alone(tmp_path: Path, name: str, data: bytes, reason: str, *extra: str) -> str:
    res, bad = run_with_good(tmp_path, name, data, *extra)
    assert res.exit_code == 1, res.output
    lines = errors(res)
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith(f"clean: error: {bad}: ") and reason in lines[0], lines[0]
    # nothing else on stderr (no log line, no traceback) but the run's summary
    others = [line for line in res.stderr.splitlines() if line not in lines]
    assert len(others) == 1 and others[0].startswith("clean: ") and "1 failed" in others[0], res.stderr
    assert not any((tmp_path / "out").glob(Path(name).stem + ".*")), "a failed file left an output"
    return lines[0]


def output_of(tmp_path: Path, name: str) -> str:
    return (tmp_path / "out" / Path(name).with_suffix(".txt").name).read_text(encoding="utf-8")


def tiny_png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    raw = zlib.compress(b"\x00\xff\x00\x00")
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


def tiny_pdf() -> bytes:
    stream = zlib.compress(b"BT /F1 12 Tf 72 712 Td (The harbour reopened) Tj ET")
    return (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            b"4 0 obj\n<< /Length " + str(len(stream)).encode() + b" /Filter /FlateDecode >>\nstream\n"
            + stream + b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")


# --------------------------------------------------------------------------- refused


@pytest.mark.parametrize("name, data, reason", [
    ("empty.txt", b"", "empty input"),
    ("blank.txt", b"  \n\t\n\r\n   \n", "empty input"),
    ("blank.html", b"\n\n   \n", "empty input"),
    ("picture.txt", tiny_png(), "PNG image"),
    ("scan.html", tiny_pdf(), "PDF document"),
    ("nul.txt", b"The harbour reopened on Monday.\x00\x00\x00 after the storm.\n", "NUL bytes"),
    ("controls.txt", bytes(range(1, 9)) * 40 + b"some text\n", "control characters"),
    ("archive.txt", b"\x1f\x8b\x08\x00" + bytes(range(40, 120)), "gzip-compressed"),
    ("broken.txt", "Le café de la gare a rouvert, a déclaré la maire à la presse.\n".encode().replace(b"\xc3\xa0", b"\xe0"),
     "invalid UTF-8"),
    ("cut.txt", "Der Bürgermeister sprach über die Straße".encode()[:-1] + "ß".encode()[:1], "cut in two"),
    ("bad16.txt", b"\xff\xfe" + "Hello".encode("utf-16-le") + b"\x00\xd8", "invalid utf-16"),
    ("nobody.html", b"<!DOCTYPE html><html><head><title>Budget</title></head></html>", "no body"),
    ("scripts.html", b"<html><head><script>var a = 1;</script></head><body><script>track('x');</script>"
     b"<style>p { color: red }</style><noscript>  </noscript></body></html>", "only scripts and styles"),
])
def test_bad_file_fails_alone(tmp_path, name, data, reason):
    assert_fails_alone(tmp_path, name, data, reason)


def test_several_bad_files_one_line_each(tmp_path):
    bad = {"a.txt": b"", "b.txt": tiny_png(), "c.html": b"<html><head></head></html>"}
    for name, data in bad.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    res = invoke([*(str(tmp_path / n) for n in bad), str(tmp_path / "good.txt"), "-o", str(tmp_path / "out")])
    assert res.exit_code == 1
    lines = errors(res)
    assert [line.split(": ")[2] for line in lines] == [str(tmp_path / n) for n in bad]
    assert (tmp_path / "out" / "good.txt").read_text(encoding="utf-8") == GOOD_CLEAN


def test_bad_file_to_stdout_keeps_the_good_output(tmp_path):
    (tmp_path / "bad.txt").write_bytes(tiny_png())
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    res = invoke([str(tmp_path / "bad.txt"), str(tmp_path / "good.txt")])
    assert res.exit_code == 1 and len(errors(res)) == 1
    assert res.stdout == GOOD_CLEAN


# --------------------------------------------------------------------------- decoded


@pytest.mark.parametrize("bom_encoding", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_utf16_with_bom_text(tmp_path, bom_encoding):
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff", "utf-32-le": b"\xff\xfe\x00\x00"}[bom_encoding]
    data = bom + (RU + "\n\n" + GOOD).encode(bom_encoding)
    res, _ = run_with_good(tmp_path, "wide.txt", data)
    assert res.exit_code == 0, res.output
    assert output_of(tmp_path, "wide.txt") == RU + "\n\n" + GOOD_CLEAN


def test_utf16_with_bom_html(tmp_path):
    page = f"<html><head><meta charset='utf-16'><title>T</title></head><body><article><p>{RU}</p><p>{FR}</p></article></body></html>"
    res, _ = run_with_good(tmp_path, "wide.html", "\ufeff".encode("utf-16-le") + page.encode("utf-16-le"))
    assert res.exit_code == 0, res.output
    out = output_of(tmp_path, "wide.html")
    assert RU in out and FR in out


def test_utf16_without_bom_latin_text_is_decoded():
    assert decode(GOOD.encode("utf-16-le")) == GOOD
    assert decode(GOOD.encode("utf-16-be")) == GOOD


LEGACY = [("ru", "cp1251"), ("ru", "koi8-r"), ("fr", "latin-1"), ("fr", "cp1252"), ("ja", "shift_jis")]


@pytest.mark.parametrize("lang, encoding", LEGACY)
def test_legacy_text_without_declaration(tmp_path, cleaner, lang, encoding):
    text = PARAS[lang] + "\n\n" + PARAS[lang] + "\n"
    res, _ = run_with_good(tmp_path, "legacy.txt", text.encode(encoding))
    assert res.exit_code == 0, res.output
    assert output_of(tmp_path, "legacy.txt") == text


@pytest.mark.parametrize("lang, encoding", LEGACY)
@pytest.mark.parametrize("declaration", ["<meta charset=\"{}\">", "<meta http-equiv=\"Content-Type\" "
                                         "content=\"text/html; charset={}\">", ""])
def test_legacy_html_with_and_without_declared_charset(tmp_path, lang, encoding, declaration):
    page = (f"<html><head>{declaration.format(encoding)}<title>T</title></head><body><article>"
            f"<h1>{PARAS[lang][:20]}</h1><p>{PARAS[lang]}</p></article></body></html>")
    res, _ = run_with_good(tmp_path, "legacy.html", page.encode(encoding))
    assert res.exit_code == 0, res.output
    assert PARAS[lang] in output_of(tmp_path, "legacy.html")


def test_wrong_declaration_is_overruled(tmp_path):
    utf8_declared_1251 = f"<html><head><meta charset=windows-1251></head><body><p>{RU}</p></body></html>"
    assert RU in decode(utf8_declared_1251.encode("utf-8"))  # valid UTF-8 wins over the label
    cp1251_declared_utf8 = f"<html><head><meta charset=utf-8></head><body><p>{RU}</p></body></html>"
    assert RU in decode(cp1251_declared_utf8.encode("cp1251"))
    koi8_declared_latin = f"<html><head><meta charset=iso-8859-1></head><body><p>{RU}</p></body></html>"
    assert RU in decode(koi8_declared_latin.encode("koi8-r"))  # latin-1 reads as nonsense: detected


def test_legacy_text_is_cleaned_deletion_only(tmp_path, cleaner):
    """A cp1251 text with a Russian boilerplate line: the same removals as the UTF-8 text."""
    boiler = next(ex for r in cleaner.rules if r.scope == "block" and "ru" in r.lang and r.where == "anywhere"
                  for ex in r.must_remove if any("а" <= c <= "я" for c in ex) and _encodable(ex, "cp1251"))
    text = f"{RU}\n\n{boiler}\n\n{RU}\n"
    expected = cleaner.clean(text).text
    assert expected != text and RU in expected
    res, _ = run_with_good(tmp_path, "ru.txt", text.encode("cp1251"))
    assert res.exit_code == 0, res.output
    assert output_of(tmp_path, "ru.txt") == expected


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _fixture_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "cases").glob("*.txt"))
            if not p.name.endswith(".expected.txt")]


@pytest.mark.parametrize("encoding", ["cp1251", "cp1252", "latin-1", "cp1250", "iso8859-2", "gb18030"])
def test_fixture_texts_round_trip_through_legacy_encodings(encoding):
    """Every fixture text written in a legacy encoding's script (20 letters beyond ASCII or
    more: a lone "£" in English text says nothing about the encoding; for gb18030, which
    encodes every script, 20 Chinese characters: Thai is never sent in it) comes back as it was."""
    script = (lambda c: "\u4e00" <= c <= "\u9fff") if encoding == "gb18030" else (lambda c: c >= "\x80")
    texts = [t for t in _fixture_texts() if _encodable(t, encoding)
             and sum(1 for c in t if script(c) and c.isalpha()) >= 20]
    assert texts, f"no fixture text fits {encoding}"
    wrong = [t[:60] for t in texts if decode(t.encode(encoding)) != t]
    assert not wrong, wrong


# --------------------------------------------------------------------------- big and deep


@pytest.fixture(scope="module")
def huge_page(tmp_path_factory) -> Path:
    """A 50 MB HTML page of article paragraphs, generated once."""
    para = ("<p>The council met on Tuesday evening to discuss the new budget for schools, roads and the "
            "harbour, and residents asked about the timetable of the works. {}</p>\n")
    parts = ["<!DOCTYPE html><html><head><meta charset='utf-8'><title>Big</title></head><body><article>"]
    size, i = len(parts[0]), 0
    while size < 50_000_000:
        parts.append(para.format(i))
        size += len(parts[-1])
        i += 1
    parts.append("</article></body></html>")
    path = tmp_path_factory.mktemp("huge") / "huge.html"
    path.write_text("".join(parts), encoding="utf-8")
    return path


def test_50mb_page_is_refused_for_its_size(tmp_path, huge_page):
    data = huge_page.read_bytes()
    line = assert_fails_alone(tmp_path, "huge.html", data, "too large")
    assert f"{MAX_HTML_RAW_CHARS:,}" in line


def test_size_cap_is_on_the_page_not_the_text(cleaner):
    with pytest.raises(InputError, match="too large: 5,000,0.. characters of markup and text"):
        cleaner.clean("<html><body>" + "<p>x</p>" * (MAX_HTML_CHARS // 8) + "</body></html>", format="html")
    # scripts do not count (trafilatura drops them at once): a page heavy with inline data is cleaned
    script = "<script>window.__DATA__ = {'k': '" + "v" * MAX_HTML_CHARS + "'}</script>"
    page = (f"<html><head>{script}</head><body><article><p>{FR}</p><p>{RU}</p></article></body></html>")
    out = cleaner.clean(page, format="html").text
    assert FR in out and RU in out
    with pytest.raises(InputError, match=f"too large: .* over the limit of {MAX_HTML_RAW_CHARS:,}"):
        cleaner.clean("<script>" + " " * MAX_HTML_RAW_CHARS + "</script>", format="html")
    long_text = ("The council met on Tuesday evening to discuss the budget. " * 200 + "\n\n") * 1000
    assert len(long_text) > MAX_HTML_CHARS
    assert cleaner.clean(long_text, format="text").text == long_text


def test_content_chars_leaves_out_scripts_styles_and_comments():
    assert content_chars("<p>a</p><script>if (a < b) x();</script><p>b</p>") == len("<p>a</p>" + ">" + "<p>b</p>")
    assert content_chars("<!-- note --><STYLE media=x>p {}</style >text") == len(" >text")
    assert content_chars("text<script>" * 1000) == 4  # unclosed: the rest is script, and the scan stays linear


def _deep(depth: int, tag: str = "div") -> str:
    return ("<html><body><article><p>Before the nesting: the council met on Tuesday to discuss the budget.</p>"
            + f"<{tag}>" * depth + "<p>Inside the nesting: the works on the harbour will start in May.</p>"
            + f"</{tag}>" * depth + "<p>After the nesting: residents asked about the timetable.</p>"
            "</article></body></html>")


@pytest.mark.parametrize("depth, tag", [(200_000, "div"), (MAX_DEPTH + 5, "div"), (50_000, "b"), (3_000, "table")])
def test_deep_nesting_keeps_all_the_text(tmp_path, depth, tag):
    res, _ = run_with_good(tmp_path, "deep.html", _deep(depth, tag).encode())
    assert res.exit_code == 0, res.output
    out = output_of(tmp_path, "deep.html")
    for words in ("Before the nesting", "Inside the nesting", "After the nesting"):
        assert words in out


def test_fragments_and_xml_declaration_are_pages(cleaner):
    p = "<p>The council met on Tuesday evening to discuss the new budget for schools and roads.</p>"
    for html in (p, f"<body>{p}</body>", f"<?xml version='1.0' encoding='utf-8'?>\n<html><body>{p}</body></html>"):
        assert "discuss the new budget" in cleaner.clean(html, format="html").text, html


def test_10mb_single_line_text(tmp_path):
    line = "The council met on Tuesday evening to discuss the budget, and share this article. " * 125_000
    assert len(line) >= 10_000_000 and "\n" not in line
    res, _ = run_with_good(tmp_path, "line.txt", line.encode())
    assert res.exit_code == 0, res.output
    assert output_of(tmp_path, "line.txt") == line


# --------------------------------------------------------------------------- empty result


@pytest.mark.parametrize("name", ["boiler.txt", "boiler.html"])
def test_all_boilerplate_gives_empty_output_and_an_empty_note(tmp_path, name):
    lines = ["Comments are closed.", "Share this article", "Sign up for our daily newsletter", "Donate now"]
    if name.endswith(".txt"):
        data = "\n\n".join(lines) + "\n"
    else:
        data = "<html><body><article>" + "".join(f"<p>{line}</p>" for line in lines) + "</article></body></html>"
    report = tmp_path / "report.jsonl"
    res, _ = run_with_good(tmp_path, name, data.encode(), "--report", str(report))
    assert res.exit_code == 0 and not errors(res), res.output
    assert output_of(tmp_path, name) == ""
    records = [json.loads(r) for r in report.read_text(encoding="utf-8").splitlines()]
    mine = [r for r in records if r["file"].endswith(name)]
    assert [r for r in mine if r["code"] == "EMPTY" and r["kind"] == "note"]
    assert sorted(r["text"] for r in mine if r["kind"] == "removal") == sorted(lines)


# --------------------------------------------------------------------------- folder walk


def test_symlink_loop_in_a_folder_walk(tmp_path):
    src = tmp_path / "in"
    (src / "a" / "b").mkdir(parents=True)
    (src / "a" / "b" / "story.txt").write_text(GOOD, encoding="utf-8")
    (src / "top.txt").write_text(GOOD, encoding="utf-8")
    os.symlink(src, src / "a" / "b" / "loop")
    os.symlink(src / "a", src / "a" / "b" / "up")
    os.symlink(src / "self", src / "self")  # a link to itself
    faulthandler.dump_traceback_later(120, exit=True)  # a hang kills the run instead of the CI job's cap
    try:
        res = invoke([str(src), "-o", str(tmp_path / "out")])
    finally:
        faulthandler.cancel_dump_traceback_later()
    assert "Traceback" not in res.output
    assert (tmp_path / "out" / "top.txt").read_text(encoding="utf-8") == GOOD_CLEAN
    assert (tmp_path / "out" / "a" / "b" / "story.txt").read_text(encoding="utf-8") == GOOD_CLEAN
