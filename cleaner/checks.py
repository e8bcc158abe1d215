"""A rule's examples are its tests: run every ``must_remove`` and ``must_keep``.

Block examples are tested as one block standing where the rule applies (anywhere: alone;
head: first of many; tail: last of many); element examples are HTML fragments in which
the rule's selectors must (or must not) find an element. A ``must_keep`` example must
also survive every other rule of the set: a keep example is article text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator, Sequence

from .core import rule_applies
from .heuristics import DEFAULT_MAX_CHARS
from .matching import BlockMatcher, normalize
from .rules import Rule

__all__ = ["ExampleCase", "example_cases", "check_example"]

_FILLER_BLOCKS = 12


@dataclass(frozen=True)
class ExampleCase:
    rule: Rule
    kind: str  # "must_remove" or "must_keep"
    text: str

    @property
    def id(self) -> str:
        return f"{self.rule.code}-{'remove' if self.kind == 'must_remove' else 'keep'}-{normalize(self.text)[:40]}"


def example_cases(rules: Sequence[Rule]) -> Iterator[ExampleCase]:
    for rule in rules:
        for kind in ("must_remove", "must_keep"):
            for text in getattr(rule, kind):
                yield ExampleCase(rule, kind, text)


def _block_removed_by(rule: Rule, text: str, matcher: BlockMatcher) -> bool:
    norm = normalize(text)
    n = _FILLER_BLOCKS
    index = {"anywhere": 0, "head": 0, "tail": n - 1}[rule.where]
    return any(h.rule.code == rule.code and rule_applies(h, index, n)
               and len(norm) <= (h.rule.max_chars or DEFAULT_MAX_CHARS)
               for h in matcher.hits(norm))


def _element_removed_by(rule: Rule, html: str) -> bool:
    from lxml import html as lxml_html

    from .selectors import compile_selector

    tree = lxml_html.fromstring(f"<html><body><div>{html}</div></body></html>")
    return any(compile_selector(css)(tree) for css in rule.selectors)


@lru_cache(maxsize=4)
def _matcher(rules: tuple[Rule, ...]) -> BlockMatcher:
    return BlockMatcher(rules)


def check_example(case: ExampleCase, all_rules: Sequence[Rule] | None = None) -> str | None:
    """None when the example holds, else a one-line failure message."""
    rule = case.rule
    if rule.scope == "element":
        removed = _element_removed_by(rule, case.text)
    else:
        removed = _block_removed_by(rule, case.text, _matcher((rule,)))
    if case.kind == "must_remove" and not removed:
        return f"{rule.code} ({rule.source}): does not remove its example {case.text!r}"
    if case.kind == "must_keep":
        if removed:
            return f"{rule.code} ({rule.source}): removes its keep example {case.text!r}"
        if all_rules is not None and rule.scope == "block":
            others = _matcher(tuple(r for r in all_rules if r.scope == "block"))
            norm = normalize(case.text)
            for h in others.hits(norm):
                if h.rule.where == "anywhere" and len(norm) <= (h.rule.max_chars or DEFAULT_MAX_CHARS):
                    return f"{rule.code} ({rule.source}): keep example {case.text!r} is removed by {h.rule.code}"
    return None
