from __future__ import annotations

import pytest

from cleaner.blocks import render_text, split_text
from cleaner.matching import normalize


def test_short_lines_inside_a_paragraph_are_blocks_with_exact_offsets():
    text = "First para\nwraps here.\n\n\nSecond.\n"
    blocks = split_text(text)
    assert [b.text for b in blocks] == ["First para", "wraps here.", "Second."]
    for b in blocks:
        assert text[b.start:b.end] == b.text


def test_hard_wrapped_paragraph_stays_one_block():
    para = ("The committee heard evidence from eleven witnesses over two days\n"
            "before it adjourned on Thursday evening without reaching a verdict\n"
            "on the matter.")
    text = para + "\n\nNext paragraph.\n"
    blocks = split_text(text)
    assert blocks[0].text == para
    assert len(blocks) == 2
    assert blocks[0].norm == normalize(para)   # one line for the rules, however plain the text


@pytest.mark.parametrize("text", [
    "Plain line one.\nPlain line two.\n",
    "Hard-wrapped text of the committee heard evidence from eleven\nwitnesses over two days before it adjourned on Thursday\n\nNext.",
    "Tabs\tand  double spaces\u00a0here.\r\nNext line\u2028there.\n",
    "Decomposed u\u0308 and an icon \ue093 Share\n\nGrüße.",
])
def test_every_norm_is_the_normal_form_of_its_text(text):
    for b in split_text(text):
        assert b.norm == normalize(b.text)


def test_line_layout_gives_lines():
    text = "Title\nFirst paragraph.\nSecond paragraph."
    assert [b.text for b in split_text(text)] == ["Title", "First paragraph.", "Second paragraph."]


@pytest.mark.parametrize("text, keep, expected", [
    ("a\n\nb\n\nc", [True, False, True], "a\n\nc"),
    ("a\n\nb\n\nc", [True, True, False], "a\n\nb\n"),
    ("a\nb\nc\n", [False, True, True], "b\nc\n"),
    ("  a\r\n\r\nb\r\n\r\nc", [True, True, False], "  a\r\n\r\nb\r\n"),
    ("a\n\nb", [False, False], ""),
])
def test_render_deletes_whole_blocks_only(text, keep, expected):
    blocks = split_text(text)
    assert render_text(text, blocks, keep) == expected


def test_nbsp_and_unicode_whitespace_are_collapsed_for_matching():
    blocks = split_text("Become\u00a0a  Patron!\u2009\n")
    assert blocks[0].norm == "Become a Patron!"
