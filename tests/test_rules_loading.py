from __future__ import annotations

import pytest

from cleaner import Cleaner, RuleError, load_rules
from cleaner.rules import select_rules

GOOD = '''
[ruleset]
category = "donation"
prefix = "XD"

[[rules]]
code = "XD01"
name = "tip-jar"
summary = "Tip-jar appeals."
patterns = ['^tip the author\\b']
max_chars = 80
must_remove = ["Tip the author!"]
must_keep = ["Tip the author of the report, said the editor, was a former officer."]
'''


def write(tmp_path, text, name="extra.toml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_user_rule_file_adds_rules(tmp_path):
    p = write(tmp_path, GOOD)
    c = Cleaner([p])
    assert "XD01" in {r.code for r in c.rules}
    res = c.clean("A first paragraph of the story.\n\nTip the author!\n")
    assert [r.code for r in res.removals] == ["XD01"]
    assert res.text == "A first paragraph of the story.\n"


@pytest.mark.parametrize("mutation, message", [
    (lambda s: s.replace('code = "XD01"', 'code = "DN01"').replace('prefix = "XD"', 'prefix = "DN"'), "duplicate code"),
    (lambda s: s.replace("['^tip the author\\b']", "['^tip (the author']"), "invalid pattern"),
    (lambda s: s.replace('must_keep = ["Tip the author of the report, said the editor, was a former officer."]', ''), "needs examples"),
    (lambda s: s.replace('max_chars = 80', 'max_chars = 80\ncolour = "red"'), "unknown key"),
    (lambda s: s.replace('max_chars = 80', 'max_chars = "80"'), "max_chars"),
    (lambda s: s.replace('[[rules]]', '[[rules'), "invalid TOML"),
    (lambda s: s.replace("['^tip the author\\b']", "['(a)\\1']"), "backreferences"),
])
def test_load_errors_name_the_file_and_rule(tmp_path, mutation, message):
    bad = mutation(GOOD)
    assert bad != GOOD
    p = write(tmp_path, bad)
    with pytest.raises(RuleError) as err:
        load_rules([p])
    assert message in str(err.value)
    assert str(p) in str(err.value)


def test_select_and_ignore_by_code_prefix_and_category():
    rules = load_rules()
    assert {r.category for r in select_rules(rules, ["donation"])} == {"donation"}
    assert all(r.code.startswith("DN") for r in select_rules(rules, ["DN"]))
    assert "DN01" not in {r.code for r in select_rules(rules, ignore=["DN01"])}
    assert [r.code for r in select_rules(rules, ["DN01"])] == ["DN01"]
    with pytest.raises(RuleError):
        select_rules(rules, ["ZZ99"])


def test_ignoring_a_category_keeps_its_boilerplate():
    text = "The council met on Monday to vote on the budget.\n\nComments are closed.\n"
    assert Cleaner().clean(text).text == "The council met on Monday to vote on the budget.\n"
    assert Cleaner(ignore=["comments"]).clean(text).text == text
