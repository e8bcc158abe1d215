"""Throughput of text mode, HTML mode and trafilatura's extract in the same run, and the
start-up time of the ``clean`` command.

    pytest benchmarks/ --benchmark-only
    pytest benchmarks/ --benchmark-only --corpus ../shared/corpora/scrapinghub/docs.jsonl.gz
    pytest benchmarks/ --benchmark-only -k text --corpus ../shared/corpora --bench-docs 0

docs/s and MB/s are in each benchmark's ``extra_info``. The HTML benchmark times
trafilatura's extract on the same documents, interleaved with it, and records the ratio;
text mode records its ratio to the target of 50 MB/s per core (``ratio_to_target`` >= 1
meets it), the start-up benchmark its ratio to the target of 0.3 s for ``clean file.txt``
as a whole process.
"""

from __future__ import annotations

import gc
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleaner import Cleaner

TEXT_TARGET_MB_S = 50.0
STARTUP_TARGET_S = 0.3
ROOT = Path(__file__).resolve().parents[1]

def _record(benchmark, name: str, docs: list[str], mb: float) -> None:
    mean = benchmark.stats.stats.mean
    benchmark.extra_info.update(docs=len(docs), mb=round(mb, 3), docs_per_s=round(len(docs) / mean, 1),
                                mb_per_s=round(mb / mean, 2))


@pytest.fixture(scope="module")
def cleaner():
    return Cleaner()


def test_text_mode(benchmark, corpus, cleaner, request):
    """All built-in rules, end to end in the library (``Cleaner.clean``); the warm-up round
    compiles the rule regexes that fire and fills RE2's DFA caches, as a long run does.
    The objects already alive (pytest's, the corpus) are frozen out of the garbage
    collector, which stays on: otherwise every full collection walks pytest's heap, which
    a ``clean`` process does not have (a fifth of the time on the shared corpora)."""
    docs = corpus.texts
    cpu: list[float] = []
    gc.collect()
    gc.freeze()
    request.addfinalizer(gc.unfreeze)

    def run():
        t = time.process_time()
        for d in docs:
            cleaner.clean(d, format="text")
        cpu.append(time.process_time() - t)

    benchmark.pedantic(run, rounds=3, warmup_rounds=1)
    _record(benchmark, "text", docs, corpus.mb(docs))
    mb = corpus.mb(docs)
    rate = mb / benchmark.stats.stats.mean
    cpu_rate = mb / (sum(cpu[1:]) / len(cpu[1:]))   # CPU time of this process: less sensitive to a busy machine
    benchmark.extra_info.update(corpus=corpus.name, target_mb_per_s=TEXT_TARGET_MB_S,
                                ratio_to_target=round(rate / TEXT_TARGET_MB_S, 3),
                                cpu_mb_per_s=round(cpu_rate, 2),
                                cpu_ratio_to_target=round(cpu_rate / TEXT_TARGET_MB_S, 3),
                                load_average=round(os.getloadavg()[0], 2))


def _clean_command() -> list[str]:
    script = Path(sys.executable).with_name("clean")
    return [str(script)] if script.exists() else [sys.executable, "-m", "cleaner.cli"]


@pytest.mark.parametrize("cache", ["warm-cache", "no-cache"])
def test_startup_clean_text_file(benchmark, tmp_path, cache):
    """``clean file.txt`` as a whole process (interpreter, imports, rules, matching, output).
    ``warm-cache``: as an installed package runs after its first start: Python's bytecode
    cache (kept under tmp_path, so the tree stays clean, even where PYTHONDONTWRITEBYTECODE
    is set) and the rules cache filled by the warm-up round. ``no-cache``: neither."""
    seed = sorted((ROOT / "seeds").glob("*.txt"))[0]
    env = dict(os.environ)
    if cache == "warm-cache":
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env.update(PYTHONPYCACHEPREFIX=str(tmp_path / "pycache"), CLEANER_CACHE_DIR=str(tmp_path / "cache"))
    else:
        env.update(PYTHONDONTWRITEBYTECODE="1", CLEANER_CACHE_DIR="off")
    cmd = _clean_command() + [str(seed)]

    cpu: list[float] = []

    def run():
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        assert out.stdout.strip()

    benchmark.pedantic(run, rounds=5, warmup_rounds=1)
    mean = benchmark.stats.stats.mean
    cpu_mean = sum(cpu[1:]) / len(cpu[1:])   # the warm-up round left out, as in the timing
    benchmark.extra_info.update(seconds=round(mean, 4), target_s=STARTUP_TARGET_S,
                                ratio_to_target=round(STARTUP_TARGET_S / mean, 3),
                                cpu_seconds=round(cpu_mean, 4), load_average=round(os.getloadavg()[0], 2),
                                cache=cache, input=seed.name)


def test_html_mode(benchmark, corpus, cleaner):
    """HTML mode against trafilatura's ``extract`` (default settings) on the same documents
    in the same process, interleaved document by document, so that a virtual machine whose
    speed drifts over minutes slows both alike; each side's time is summed apart. The
    first documents warm both up (imports, rule regexes)."""
    import trafilatura

    docs = corpus.htmls
    spent = {"html": 0.0, "trafilatura": 0.0}
    for d in docs[:20]:
        trafilatura.extract(d)
        _clean_html(cleaner, d)

    def run():
        for d in docs:
            t0 = time.perf_counter()
            trafilatura.extract(d)
            t1 = time.perf_counter()
            _clean_html(cleaner, d)
            t2 = time.perf_counter()
            spent["trafilatura"] += t1 - t0
            spent["html"] += t2 - t1

    rounds = 2
    benchmark.pedantic(run, rounds=rounds, warmup_rounds=0)
    mb = corpus.mb(docs)
    per_side = {k: v / rounds for k, v in spent.items()}
    benchmark.extra_info.update(docs=len(docs), mb=round(mb, 3),
                                docs_per_s=round(len(docs) / per_side["html"], 1),
                                mb_per_s=round(mb / per_side["html"], 2),
                                trafilatura_docs_per_s=round(len(docs) / per_side["trafilatura"], 1),
                                ratio_to_trafilatura_extract=round(per_side["trafilatura"] / per_side["html"], 3),
                                load_average=round(os.getloadavg()[0], 2))


def _clean_html(cleaner: Cleaner, doc: str) -> None:
    try:
        cleaner.clean(doc, format="html")
    except ValueError:   # InputError: a page without article text counts its time all the same
        pass


@pytest.mark.parametrize("ruleset", ["builtin", "builtin-without-related"])
def test_ruleset_against_ruleset(benchmark, corpus, ruleset):
    """One rule set against another on the same text documents (here: one category less)."""
    c = Cleaner() if ruleset == "builtin" else Cleaner(ignore=["related"])
    docs = corpus.texts
    benchmark.pedantic(lambda: [c.clean(d, format="text") for d in docs], rounds=3, warmup_rounds=1)
    _record(benchmark, f"rules-{ruleset}", docs, corpus.mb(docs))
    benchmark.extra_info["rules"] = len(c.rules)
