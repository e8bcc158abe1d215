"""Throughput of text mode, HTML mode and trafilatura's extract in the same run.

    pytest benchmarks/ --benchmark-only
    pytest benchmarks/ --benchmark-only --corpus ../shared/corpora/scrapinghub/docs.jsonl.gz

docs/s and MB/s are in each benchmark's ``extra_info``; the HTML benchmark also records its
ratio to trafilatura's extract measured in the same session.
"""

from __future__ import annotations

import pytest

from cleaner import Cleaner

RATES: dict[str, float] = {}


def _record(benchmark, name: str, docs: list[str], mb: float) -> None:
    mean = benchmark.stats.stats.mean
    RATES[name] = len(docs) / mean
    benchmark.extra_info.update(docs=len(docs), mb=round(mb, 3), docs_per_s=round(len(docs) / mean, 1),
                                mb_per_s=round(mb / mean, 2))


@pytest.fixture(scope="module")
def cleaner():
    return Cleaner()


def test_text_mode(benchmark, corpus, cleaner):
    docs = corpus.texts
    benchmark.pedantic(lambda: [cleaner.clean(d, format="text") for d in docs], rounds=3, warmup_rounds=1)
    _record(benchmark, "text", docs, corpus.mb(docs))


def test_trafilatura_extract_reference(benchmark, corpus):
    import trafilatura

    docs = corpus.htmls
    benchmark.pedantic(lambda: [trafilatura.extract(d) for d in docs], rounds=2, warmup_rounds=0)
    _record(benchmark, "trafilatura", docs, corpus.mb(docs))


def test_html_mode(benchmark, corpus, cleaner):
    docs = corpus.htmls

    def run():
        for d in docs:
            try:
                cleaner.clean(d, format="html")
            except ValueError:
                pass

    benchmark.pedantic(run, rounds=2, warmup_rounds=0)
    _record(benchmark, "html", docs, corpus.mb(docs))
    if "trafilatura" in RATES:
        benchmark.extra_info["ratio_to_trafilatura_extract"] = round(RATES["html"] / RATES["trafilatura"], 3)


@pytest.mark.parametrize("ruleset", ["builtin", "builtin-without-related"])
def test_ruleset_against_ruleset(benchmark, corpus, ruleset):
    """One rule set against another on the same text documents (here: one category less)."""
    c = Cleaner() if ruleset == "builtin" else Cleaner(ignore=["related"])
    docs = corpus.texts
    benchmark.pedantic(lambda: [c.clean(d, format="text") for d in docs], rounds=3, warmup_rounds=1)
    _record(benchmark, f"rules-{ruleset}", docs, corpus.mb(docs))
    benchmark.extra_info["rules"] = len(c.rules)
