"""Benchmark corpora: generated deterministically from the project's own material, or JSONL
corpora with ``--corpus PATH`` (repeatable; a folder means every ``*/docs.jsonl.gz`` under
it, e.g. ``--corpus ../shared/corpora``). ``--bench-docs N`` takes the first N records of
each corpus; 0 takes them all."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def pytest_addoption(parser):
    parser.addoption("--corpus", action="append", default=None,
                     help="JSONL(.gz) corpus with html and text_recall fields, or a folder of "
                          "<name>/docs.jsonl.gz; repeatable")
    parser.addoption("--bench-docs", type=int, default=200,
                     help="documents per corpus and mode (default 200; 0: all)")


@dataclass
class Corpus:
    name: str
    texts: list[str]
    htmls: list[str]

    @staticmethod
    def mb(docs: list[str]) -> float:
        return sum(len(d.encode("utf-8")) for d in docs) / 1e6


def _generated(n: int) -> Corpus:
    """Articles rebuilt from the fixtures and seeds: paragraphs shuffled with a fixed seed,
    boilerplate kept, so every document differs but the material is the project's own."""
    rng = random.Random(20261122)
    cases = sorted((ROOT / "fixtures" / "cases").iterdir())
    texts_src = [p.read_text(encoding="utf-8") for p in cases
                 if p.suffix == ".txt" and not p.name.endswith(".expected.txt")]
    texts_src += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    html_src = [p.read_text(encoding="utf-8") for p in cases if p.suffix == ".html"]
    texts, htmls = [], []
    for i in range(n):
        a, b = rng.sample(texts_src, 2)
        pa, pb = a.split("\n\n"), b.split("\n\n")
        body = pa[: len(pa) // 2] + rng.sample(pb, len(pb)) + pa[len(pa) // 2:]
        texts.append("\n\n".join(body))
        htmls.append(html_src[i % len(html_src)].replace("<p>", f"<p data-n='{i}'>", 1))
    return Corpus(f"generated-{n}", texts, htmls)


def _from_jsonl(paths: list[str], n: int) -> Corpus:
    from cleaner.evaluate import read_corpus

    files: list[Path] = []
    for path in paths:
        p = Path(path)
        found = sorted(p.glob("*/docs.jsonl.gz")) if p.is_dir() else [p]
        if not found or not all(f.exists() for f in found):
            pytest.skip(f"benchmark corpus {path} is absent")
        files += found
    texts: list[str] = []
    htmls: list[str] = []
    for f in files:
        recs = list(read_corpus(str(f), limit=n or None))
        texts += [r["text_recall"] for r in recs if r.get("text_recall")]
        htmls += [r["html"] for r in recs if r.get("html")]
    return Corpus("+".join(f.parent.name or str(f) for f in files), texts, htmls)


@pytest.fixture(scope="session")
def corpus(request) -> Corpus:
    paths = request.config.getoption("--corpus")
    n = request.config.getoption("--bench-docs")
    return _from_jsonl(paths, n) if paths else _generated(n or 200)
