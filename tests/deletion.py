"""Deletion only, checked from the outside: what a text-mode result may differ from its input by."""

from __future__ import annotations

from cleaner.blocks import render_text, split_text


def kept(text: str, result) -> list[bool]:
    blocks = split_text(text)
    removed = {r.block for r in result.removals}
    return [b.index not in removed for b in blocks]


def assert_deletion_only(text: str, result, label: str = "") -> None:
    """The first pass names whole blocks of the input with their own text and offsets, and
    the output is the kept blocks with the separators that stood before them; later passes
    (on the text the pass before left) name whole blocks of that text, placed in the input.
    In every case the output is the input without the removed text: nothing added, nothing
    else taken (compared without whitespace, independently of render_text)."""
    blocks = split_text(text)
    later = [r for r in result.removals if r.block is None]
    for r in result.removals:
        if r.block is not None:
            b = blocks[r.block]
            assert (r.text, r.start, r.end) == (b.text, b.start, b.end), label
    if not later:
        assert result.text == render_text(text, blocks, kept(text, result)), label
    for r in later:
        assert r.start is not None and r.end is not None and r.start < r.end, label
        assert "".join(r.text.split()) in "".join(text[r.start:r.end].split()), label
    assert "".join(result.text.split()) == without(text, result.removals), label


def without(text: str, removals) -> str:
    """The input's non-space characters with every removed block's taken out."""
    gone = [False] * len(text)
    for r in removals:
        sub = text[r.start:r.end]
        # a later pass's block sits in the input with earlier removals inside its span: mark
        # only its own characters, found in order
        at = 0
        for ch in r.text:
            if ch.isspace():
                continue
            while at < len(sub) and (sub[at] != ch or gone[r.start + at]):
                at += 1
            assert at < len(sub), "a removal's text is not in the input where the report puts it"
            gone[r.start + at] = True
            at += 1
    return "".join(c for c, g in zip(text, gone) if not g and not c.isspace())
