"""Hostile and broken rule files (issue 6): catastrophic-backtracking patterns run in
linear time on RE2 and give the right answer; patterns RE2 cannot take are refused at load;
broken TOML, unknown keys and wrong types are one error naming file, line and rule."""

from __future__ import annotations

import pytest

from cleaner import Cleaner, RuleError, load_rules

TEMPLATE = '''[ruleset]
category = "donation"
prefix = "XH"

[[rules]]
code = "XH01"
name = "hostile"
summary = "A hostile pattern."
patterns = [{pattern}]
max_chars = 100000
must_remove = [{remove}]
must_keep = ["An ordinary sentence of the article, with nothing to remove."]
'''


def rule_file(tmp_path, pattern: str, remove: str = '"aaaa"', name: str = "hostile.toml"):
    p = tmp_path / name
    p.write_text(TEMPLATE.format(pattern=pattern, remove=remove), encoding="utf-8")
    return p


ARTICLE = "The council met on Monday to vote on the budget for next year.\n\n"


@pytest.mark.parametrize("pattern, block, removed", [
    ("'^(a+)+$'", "a" * 30000 + "!", False),          # exponential for a backtracking engine
    ("'^(a+)+$'", "a" * 30000, True),
    ("'^(x|x)*y$'", "x" * 30000, False),
    ("'^(x|x)*y$'", "x" * 30000 + "y", True),
    ("'^(a|aa)+$'", "a" * 30000 + "b", False),
    ("'(.*a){12}$'", "a" * 11 + "b" * 20000, False),
    ("'^(\\w+\\s?)*$'", "word " * 6000 + "!", False),
])
def test_catastrophic_patterns_finish_with_the_right_answer(tmp_path, pattern, block, removed):
    c = Cleaner([rule_file(tmp_path, pattern)], select=["XH01"])
    res = c.clean(ARTICLE + block + "\n", format="text")
    assert ("XH01" in [r.code for r in res.removals]) is removed
    assert res.text == (ARTICLE.rstrip() + "\n" if removed else ARTICLE + block + "\n")


@pytest.mark.parametrize("pattern, why", [
    ("'(a)\\1'", "backreferences"),
    ("'(?P<x>a)(?P=x)'", "backreferences"),
    ("'(?<=a+)b'", "fixed width"),
    ("'(?:(?=a)b)+'", "inside a repeat"),
    ("'(?>ab)'", "atomic"),
    ("'a++'", "possessive"),
    ("'a{5000}'", "repeat counts"),
    ("'(?:x\\b.)+'", "word edge or lookaround inside a repeat"),
    ("'^tip (the author'", "invalid pattern"),
])
def test_patterns_re2_cannot_take_are_refused_at_load(tmp_path, pattern, why):
    p = rule_file(tmp_path, pattern)
    with pytest.raises(RuleError) as err:
        load_rules([p], builtin=False)
    msg = str(err.value)
    assert why in msg
    assert str(p) in msg and "rule XH01" in msg
    assert f"{p}:9:" in msg          # the line of `patterns =`


def test_a_pattern_too_large_for_re2_is_refused_at_load(tmp_path):
    p = rule_file(tmp_path, "'((((a{100}){100}){100}){100})'")
    with pytest.raises(RuleError) as err:
        load_rules([p], builtin=False)
    assert "RE2 cannot compile" in str(err.value) and "rule XH01" in str(err.value)


def test_broken_toml_names_file_and_line(tmp_path):
    p = tmp_path / "broken.toml"
    p.write_text(TEMPLATE.format(pattern="'^tip'", remove='"tip"').replace('name = "hostile"', 'name = "hostile'),
                 encoding="utf-8")
    with pytest.raises(RuleError) as err:
        load_rules([p], builtin=False)
    assert str(err.value).startswith(f"{p}:7: invalid TOML")


def test_unknown_key_names_file_line_and_rule(tmp_path):
    text = TEMPLATE.format(pattern="'^tip'", remove='"tip"') + '''
[[rules]]
code = "XH02"
name = "second"
summary = "Second rule."
patterns = ['^give']
colour = "red"
must_remove = ["give"]
must_keep = ["They give the council a budget."]
'''
    p = tmp_path / "unknown.toml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(RuleError) as err:
        load_rules([p], builtin=False)
    lines = text.splitlines()
    assert lines[18] == 'colour = "red"'
    assert str(err.value) == f"{p}:19: rule XH02: unknown key(s) ['colour']"


def test_wrong_type_names_file_line_and_rule(tmp_path):
    text = TEMPLATE.format(pattern="'^tip'", remove='"tip"').replace("max_chars = 100000", 'max_chars = "many"')
    p = tmp_path / "types.toml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(RuleError) as err:
        load_rules([p], builtin=False)
    assert str(err.value) == f"{p}:10: rule XH01: 'max_chars' must be a positive integer"
    p.write_text(text.replace('max_chars = "many"', "max_chars = 10").replace("patterns = ['^tip']", "patterns = 3"),
                 encoding="utf-8")
    with pytest.raises(RuleError) as err:
        load_rules([p], builtin=False)
    assert str(err.value) == f"{p}:9: rule XH01: 'patterns' must be a string or a list of strings"


def test_cached_builtin_rules_see_an_edited_file(tmp_path, monkeypatch):
    from cleaner import rules as rules_module

    p = rule_file(tmp_path, "'^tip'", '"tip"')
    monkeypatch.setattr(rules_module, "builtin_rule_files", lambda: [p])
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path / "cache"))
    assert load_rules()[0].patterns == ("^tip",)
    assert len(list((tmp_path / "cache").iterdir())) == 1
    assert load_rules()[0].patterns == ("^tip",)      # from the cache
    p.write_text(TEMPLATE.format(pattern="'^give'", remove='"give"'), encoding="utf-8")
    assert load_rules()[0].patterns == ("^give",)     # edited: read again
    assert len(list((tmp_path / "cache").iterdir())) == 1
