"""The project's own labelled cases: each input must come out as its expected output.

Text cases are compared byte for byte (deletion only); HTML cases after collapsing
whitespace (the layout of extracted text is trafilatura's, the content is ours).
"""

from __future__ import annotations

import pytest

from .conftest import FIXTURES

CASES = sorted(p for p in (FIXTURES / "cases").iterdir()
               if p.suffix in (".txt", ".html") and not p.name.endswith(".expected.txt"))


def _expected(path):
    return path.with_name(path.name[: -len(path.suffix)] + ".expected.txt")


def test_there_are_enough_cases():
    assert len(CASES) >= 30
    assert {p.name.split("_")[0] for p in CASES} >= {"donation", "related", "comments", "newsletter", "share",
                                                     "cookie", "trap"}


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_fixture(cleaner, path):
    expected = _expected(path).read_text(encoding="utf-8")
    data = path.read_bytes()
    result = cleaner.clean(data, source=str(path))
    if path.suffix == ".html":
        assert " ".join(result.text.split()) == " ".join(expected.split())
    else:
        assert result.text == expected
        text = data.decode("utf-8")
        for r in result.removals:
            assert text[r.start:r.end] == r.text
