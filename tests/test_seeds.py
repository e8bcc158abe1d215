"""The two seed articles, pinned exactly."""

from __future__ import annotations

from click.testing import CliRunner

from cleaner.cli import main

from .conftest import SEEDS

SEED0 = SEEDS / "000_45a56da15ac2ea27.txt"
SEED1 = SEEDS / "001_e753e79d64e0d335.txt"


def test_seed0_ends_with_the_article(cleaner):
    text = SEED0.read_text(encoding="utf-8")
    end = text.index("on 28 October.", text.index("Rutte announced")) + len("on 28 October.")
    result = cleaner.clean(text, source=str(SEED0))
    assert result.text == text[:end] + "\n"
    for gone in ("Read also:", "Become a Patron!", "Comments are closed.", "cup of coffee", "close this page"):
        assert gone not in result.text
    assert [r.category for r in result.removals] == ["related", "donation", "donation", "donation", "donation", "comments"]
    assert all(r.code and r.reason for r in result.removals)
    for r in result.removals:
        assert text[r.start:r.end] == r.text


def test_seed1_is_unchanged(cleaner):
    text = SEED1.read_text(encoding="utf-8")
    result = cleaner.clean(text)
    assert result.text == text
    assert result.removals == []


def test_seed_cli_prints_the_article():
    out = CliRunner().invoke(main, [str(SEED0)])
    assert out.exit_code == 0
    assert out.output.rstrip("\n").endswith("Rustem Umerov on 28 October.")
    out1 = CliRunner().invoke(main, [str(SEED1)])
    assert out1.output == SEED1.read_text(encoding="utf-8")
