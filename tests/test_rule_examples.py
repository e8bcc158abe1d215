"""Every built-in rule's examples, each its own test case (a rule's examples are its tests)."""

from __future__ import annotations

import pytest

from cleaner.checks import check_example, example_cases
from cleaner.rules import CATEGORIES, load_rules

RULES = load_rules()
CASES = list(example_cases(RULES))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rule_example(case):
    assert check_example(case, RULES) is None


def test_every_rule_has_both_kinds_of_example():
    for rule in RULES:
        assert rule.must_remove and rule.must_keep, rule.code


def test_every_category_has_rules():
    assert {r.category for r in RULES} >= set(CATEGORIES)
