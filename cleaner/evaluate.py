"""`clean eval`: score the cleaner (and references, and an older rule set) against gold.

A corpus is a JSONL file (plain or gzip) of records shaped like the public benchmark
corpora (``id, gold_type, gold, with, without, html, text_recall, text_page``), or a folder
of fixture pairs (``name.txt|.html`` and ``name.expected.txt``). Documents are run in worker
processes (trafilatura is not thread-safe), scored with ``cleaner.metrics`` and compared.
"""

from __future__ import annotations

import gzip
import json
import multiprocessing as mp
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from .core import Cleaner
from .decode import HTML_SUFFIXES
from .metrics import Scorer

__all__ = ["EvalRun", "SystemRun", "check_floors", "evaluate", "read_corpus"]

INPUT_FIELDS = ("html", "text_recall", "text_page", "text")
BASELINES = ("identity", "trafilatura")


# --------------------------------------------------------------------------- corpora
def _fixture_records(folder: Path) -> Iterator[dict[str, Any]]:
    for expected in sorted(folder.rglob("*.expected.txt")):
        stem = expected.name[: -len(".expected.txt")]
        inputs = [p for p in expected.parent.glob(f"{stem}.*") if p != expected]
        if len(inputs) != 1:
            continue
        src = inputs[0]
        raw = src.read_text(encoding="utf-8")
        is_html = src.suffix.lower() in HTML_SUFFIXES
        yield {
            "id": str(src.relative_to(folder)),
            "gold_type": "full",
            "gold": expected.read_text(encoding="utf-8"),
            "with": [], "without": [],
            "text": raw,
            "format": "html" if is_html else "text",
            "html": raw if is_html else None,
            "text_page": _visible_lines(raw) if is_html else raw,
        }


def _visible_lines(html: str) -> str:
    from lxml import html as lxml_html

    root = lxml_html.fromstring(html)
    for bad in root.xpath("//script|//style|//head"):
        bad.getparent().remove(bad)
    blocks = root.xpath("//h1|//h2|//h3|//h4|//p|//li|//button|//blockquote|//footer|//nav|//a[not(ancestor::p|ancestor::li)]")
    return "\n".join(" ".join(el.text_content().split()) for el in blocks)


def read_corpus(path: str | Path, limit: int | None = None) -> Iterator[dict[str, Any]]:
    """The records of a JSONL corpus (``.jsonl`` or ``.jsonl.gz``) or of a fixture folder."""
    path = Path(path)
    if path.is_dir():
        records: Iterable[dict[str, Any]] = _fixture_records(path)
    else:
        opener = gzip.open if path.suffix == ".gz" else open
        records = (json.loads(line) for line in opener(path, "rt", encoding="utf-8") if line.strip())
    for i, rec in enumerate(records):
        if limit is not None and i >= limit:
            return
        yield rec


def input_of(record: dict[str, Any], field: str) -> tuple[str | None, str]:
    """The document text for ``field`` and its format."""
    if field == "text":
        return record.get("text"), record.get("format", "text")
    return record.get(field), "html" if field == "html" else "text"


# --------------------------------------------------------------------------- workers
_WORKER: dict[str, Any] = {}


def _init_worker(cleaners: dict[str, Cleaner], baselines: Sequence[str]) -> None:
    _WORKER["cleaners"] = cleaners
    _WORKER["baselines"] = tuple(baselines)


def _run_doc(task: tuple[str | None, str]) -> dict[str, tuple[str | None, list[tuple[str, str, str]]]]:
    text, fmt = task
    out: dict[str, tuple[str | None, list[tuple[str, str, str]]]] = {}
    for name, cleaner in _WORKER["cleaners"].items():
        try:
            if text is None:
                raise ValueError("no input")
            res = cleaner.clean(text, format=fmt)
            out[name] = (res.text, [(r.code, r.category, r.text) for r in res.removals])
        except Exception:  # a failure is scored as a failure, never a crash of the run
            out[name] = (None, [])
    for name in _WORKER["baselines"]:
        out[name] = (_baseline(name, text, fmt), [])
    return out


def _baseline(name: str, text: str | None, fmt: str) -> str | None:
    if text is None:
        return None
    if name == "identity":
        return text
    if fmt != "html":
        return None
    import trafilatura

    try:
        return trafilatura.extract(text)
    except Exception:
        return None


# --------------------------------------------------------------------------- runs
@dataclass
class SystemRun:
    """The scores of one system (the cleaner, a baseline, the older rule set) on a corpus."""

    name: str
    scorer: Scorer = field(default_factory=Scorer)
    hits: Counter[str] = field(default_factory=Counter)

    def summary(self) -> dict[str, Any]:
        return {**self.scorer.summary(), "rule_hits": dict(sorted(self.hits.items()))}


@dataclass
class Change:
    """One document whose output differs between the new and the old rule set."""

    id: str
    removed_now: list[tuple[str, str]]  # (code, text) removed by new only
    kept_now: list[tuple[str, str]]     # (code, text) removed by old only


@dataclass
class EvalRun:
    corpus: str
    input: str
    systems: dict[str, SystemRun]
    changes: list[Change]
    docs: int


def evaluate(corpus: str | Path, *, cleaner: Cleaner, input_field: str | None = None,
             baselines: Sequence[str] = (), against: Cleaner | None = None,
             limit: int | None = None, jobs: int = 1,
             progress: Callable[[int], None] | None = None,
             records: list[dict[str, Any]] | None = None) -> EvalRun:
    """Run and score every document of ``corpus`` (or the ``records`` already read from it);
    ``against`` is the older rule set."""
    path = Path(corpus)
    field_ = input_field or ("text" if path.is_dir() else "html")
    if field_ not in INPUT_FIELDS:
        raise ValueError(f"unknown input field {field_!r}; one of {', '.join(INPUT_FIELDS)}")
    cleaners = {"cleaner": cleaner}
    if against is not None:
        cleaners["against"] = against
    systems = {name: SystemRun(name) for name in [*cleaners, *baselines]}
    changes: list[Change] = []
    if records is None:
        records = list(read_corpus(path, limit))
    tasks = [input_of(r, field_) for r in records]
    if jobs > 1:
        ctx = mp.get_context("spawn")
        with ctx.Pool(jobs, _init_worker, (cleaners, baselines)) as pool:
            outputs = pool.imap(_run_doc, tasks, chunksize=2)
            _score(records, outputs, systems, changes, progress)
    else:
        _init_worker(cleaners, baselines)
        _score(records, map(_run_doc, tasks), systems, changes, progress)
    return EvalRun(str(corpus), field_, systems, changes, len(records))


def _score(records: list[dict[str, Any]], outputs: Iterable[dict], systems: dict[str, SystemRun],
           changes: list[Change], progress: Callable[[int], None] | None) -> None:
    for rec, out in zip(records, outputs):
        rec = {k: v for k, v in rec.items() if k != "html"}
        for name, (text, removals) in out.items():
            systems[name].scorer.add(rec, text)
            systems[name].hits.update(code for code, _, _ in removals)
        if "against" in out and out["cleaner"][0] != out["against"][0]:
            new = {(c, t) for c, _, t in out["cleaner"][1]}
            old = {(c, t) for c, _, t in out["against"][1]}
            changes.append(Change(str(rec.get("id")), sorted(new - old), sorted(old - new)))
        if progress:
            progress(1)


# --------------------------------------------------------------------------- floors
def check_floors(summary: dict[str, Any], floors: dict[str, Any]) -> list[str]:
    """What crosses a floor: ``f1``/``precision``/``recall`` below their floor, or a
    category's leak rate above its ceiling (``leak`` maps category to the highest rate)."""
    failures = []
    for key in ("f1", "precision", "recall"):
        if key in floors and (summary.get(key) or 0.0) < floors[key]:
            failures.append(f"{key} {summary.get(key) or 0.0:.4f} is below its floor {floors[key]:.4f}")
    for cat, ceiling in floors.get("leak", {}).items():
        rate = summary["leak_by_category"].get(cat, {}).get("rate") or 0.0
        if rate > ceiling:
            failures.append(f"leak rate of {cat} {rate:.4f} is above its ceiling {ceiling:.4f}")
    return failures


def floors_from(summary: dict[str, Any]) -> dict[str, Any]:
    """Floors pinned at the figures of ``summary`` (rounded down / up by 1e-4)."""
    import math

    floors: dict[str, Any] = {k: math.floor(summary[k] * 1e4) / 1e4 for k in ("f1", "precision", "recall")
                              if summary.get(k) is not None}
    floors["leak"] = {cat: math.ceil(v["rate"] * 1e4) / 1e4 for cat, v in summary["leak_by_category"].items()
                      if v["rate"] is not None}
    return floors


def lowered(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """The floors ``new`` would lower (or leak ceilings it would raise) compared to ``old``."""
    out = [k for k in ("f1", "precision", "recall") if k in old and new.get(k, 0) < old[k]]
    out += [f"leak.{c}" for c, v in old.get("leak", {}).items() if new.get("leak", {}).get(c, 1.0) > v]
    return out


# --------------------------------------------------------------------------- rendering
def _fmt(v: Any) -> str:
    return "-" if v is None else f"{v:.3f}" if isinstance(v, float) else str(v)


def render(run: EvalRun, max_changes: int = 20) -> str:
    """The readable table printed by ``clean eval``."""
    sums = {name: s.summary() for name, s in run.systems.items()}
    lines = [f"corpus {run.corpus}: {run.docs} documents, input {run.input}", ""]
    cols = ["precision", "recall", "f1", "content_recall", "leak_rate", "failures", "empty"]
    snippet = any("snippets" in s for s in sums.values())
    if not snippet:
        cols = [c for c in cols if c not in ("content_recall", "leak_rate")]
    lines.append(f"{'system':<12}" + "".join(f"{c:>15}" for c in cols))
    for name, s in sums.items():
        lines.append(f"{name:<12}" + "".join(f"{_fmt(s.get(c)):>15}" for c in cols))
    lines += ["", "leak by category (survived / pieces)", f"{'category':<12}" + "".join(f"{n:>20}" for n in sums)]
    for cat in next(iter(sums.values()))["leak_by_category"]:
        cells = []
        for s in sums.values():
            c = s["leak_by_category"][cat]
            cells.append(f"{_fmt(c['rate'])} ({c['survived']}/{c['pieces']})")
        lines.append(f"{cat:<12}" + "".join(f"{c:>20}" for c in cells))
    hits = sums["cleaner"]["rule_hits"]
    lines += ["", "rule hits (cleaner): " + (", ".join(f"{k} {v}" for k, v in hits.items()) or "none")]
    if "against" in sums:
        new, old = sums["cleaner"], sums["against"]
        lines += ["", "cleaner - against:"]
        for c in ("precision", "recall", "f1", "content_recall", "leak_rate"):
            if new.get(c) is not None and old.get(c) is not None:
                lines.append(f"  {c:<16}{new[c] - old[c]:+.4f}")
        for cat, cell in new["leak_by_category"].items():
            o = old["leak_by_category"][cat]
            if cell["rate"] is not None and o["rate"] is not None and cell["rate"] != o["rate"]:
                lines.append(f"  leak {cat:<11}{cell['rate'] - o['rate']:+.4f}  ({o['survived']} -> {cell['survived']} survive)")
        old_hits = sums["against"]["rule_hits"]
        moved = {k: hits.get(k, 0) - old_hits.get(k, 0) for k in set(hits) | set(old_hits)}
        moved = {k: v for k, v in sorted(moved.items()) if v}
        lines.append("  rule hits: " + (", ".join(f"{k} {v:+d}" for k, v in moved.items()) or "unchanged"))
        lines += ["", f"{len(run.changes)} documents changed"]
        for ch in run.changes[:max_changes]:
            lines.append(f"  {ch.id}")
            for code, text in ch.removed_now:
                lines.append(f"    - removed now by {code}: {' '.join(text.split())[:100]}")
            for code, text in ch.kept_now:
                lines.append(f"    + kept now (was {code}): {' '.join(text.split())[:100]}")
        if len(run.changes) > max_changes:
            lines.append(f"  ... {len(run.changes) - max_changes} more (see --json)")
    return "\n".join(lines)


def to_json(run: EvalRun) -> dict[str, Any]:
    """Everything measured, for machines."""
    return {
        "corpus": run.corpus, "input": run.input, "docs": run.docs,
        "systems": {name: {**s.summary(), "per_doc": s.scorer.per_doc} for name, s in run.systems.items()},
        "changes": [{"id": c.id, "removed_now": c.removed_now, "kept_now": c.kept_now} for c in run.changes],
    }
