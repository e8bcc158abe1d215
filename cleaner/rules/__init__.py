"""Rules as data: the rule model, loading TOML rule files, validation, select/ignore.

A rule file holds one ``[ruleset]`` table (category and code prefix) and ``[[rules]]``.
Block rules carry regex ``patterns`` matched case-insensitively against a block's text
(whitespace collapsed to single spaces, NBSP included); element rules carry CSS
``selectors`` applied to an HTML page before extraction. Every rule carries examples:
``must_remove`` and ``must_keep``, at least one of each.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Iterable, Literal, Sequence

__all__ = [
    "CATEGORIES",
    "Rule",
    "RuleError",
    "builtin_rule_files",
    "load_rules",
    "select_rules",
]

CATEGORIES = ("donation", "related", "comments", "newsletter", "share", "cookie")
Scope = Literal["block", "element"]
Where = Literal["anywhere", "head", "tail"]
Action = Literal["drop", "drop_zone"]

_CODE_RE = re.compile(r"^[A-Z]{2}[0-9]{2,3}$")
_BACKREF_RE = re.compile(r"\\[1-9]|\(\?P=")
_RULESET_KEYS = {"category", "prefix", "description"}
_RULE_KEYS = {
    "code", "name", "category", "summary", "scope", "where", "action", "patterns",
    "exceptions", "selectors", "max_chars", "lang", "must_remove", "must_keep",
}


class RuleError(ValueError):
    """A rule file that cannot be loaded; the message names the file and the rule."""


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    category: str
    summary: str
    scope: Scope = "block"
    where: Where = "anywhere"
    action: Action = "drop"
    patterns: tuple[str, ...] = ()
    exceptions: tuple[str, ...] = ()
    selectors: tuple[str, ...] = ()
    max_chars: int | None = None
    lang: tuple[str, ...] = ()
    must_remove: tuple[str, ...] = ()
    must_keep: tuple[str, ...] = ()
    source: str = field(default="", compare=False)


def builtin_rule_files() -> list[Path]:
    """The rule files shipped inside the package, one per category."""
    folder = resources.files("cleaner.rules")
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".toml"))


def _rule_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(path.rglob("*.toml"))
    if not path.exists():
        raise RuleError(f"{path}: no such rule file or folder")
    return [path]


def load_rules(paths: Iterable[str | Path] | None = None, *, builtin: bool = True) -> list[Rule]:
    """Load the built-in rules (unless ``builtin=False``) plus every rule file under ``paths``.

    Raises RuleError naming the file and rule on a duplicate code, an invalid pattern or
    selector, a rule without examples, an unknown key or a wrong type.
    """
    files = list(builtin_rule_files()) if builtin else []
    for p in paths or ():
        files.extend(_rule_files(Path(p)))
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for f in files:
        for rule in _load_file(f):
            if rule.code in seen:
                raise RuleError(f"{f}: rule {rule.code}: duplicate code (already defined in {seen[rule.code]})")
            seen[rule.code] = str(f)
            rules.append(rule)
    return rules


def _load_file(path: Path) -> list[Rule]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"{path}: invalid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(f"{path}: cannot read rule file: {exc}") from None
    unknown = set(data) - {"ruleset", "rules"}
    if unknown:
        raise RuleError(f"{path}: unknown top-level key(s) {sorted(unknown)}")
    head = data.get("ruleset", {})
    if not isinstance(head, dict):
        raise RuleError(f"{path}: [ruleset] must be a table")
    bad = set(head) - _RULESET_KEYS
    if bad:
        raise RuleError(f"{path}: [ruleset]: unknown key(s) {sorted(bad)}")
    entries = data.get("rules", [])
    if not isinstance(entries, list) or not entries:
        raise RuleError(f"{path}: no [[rules]] defined")
    return [_build_rule(path, head, i, entry) for i, entry in enumerate(entries)]


def _strings(path: Path, where: str, key: str, value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RuleError(f"{path}: {where}: '{key}' must be a string or a list of strings")
    return tuple(value)


def _build_rule(path: Path, head: dict, index: int, entry: object) -> Rule:
    where = f"rule #{index + 1}"
    if not isinstance(entry, dict):
        raise RuleError(f"{path}: {where}: must be a table")
    code = entry.get("code")
    if isinstance(code, str):
        where = f"rule {code}"
    bad = set(entry) - _RULE_KEYS
    if bad:
        raise RuleError(f"{path}: {where}: unknown key(s) {sorted(bad)}")
    if not isinstance(code, str) or not _CODE_RE.match(code):
        raise RuleError(f"{path}: {where}: 'code' must look like DN01 (two capitals, two or three digits)")
    prefix = head.get("prefix")
    if prefix and not code.startswith(prefix):
        raise RuleError(f"{path}: {where}: code does not start with the ruleset prefix {prefix!r}")
    fields: dict[str, object] = {"code": code, "source": str(path)}
    for key in ("name", "summary"):
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            raise RuleError(f"{path}: {where}: '{key}' must be a non-empty string")
        fields[key] = value
    category = entry.get("category", head.get("category"))
    if not isinstance(category, str) or not category:
        raise RuleError(f"{path}: {where}: no category (set it in [ruleset] or on the rule)")
    fields["category"] = category
    for key, allowed in (("scope", ("block", "element")), ("where", ("anywhere", "head", "tail")),
                         ("action", ("drop", "drop_zone"))):
        if key in entry:
            if entry[key] not in allowed:
                raise RuleError(f"{path}: {where}: '{key}' must be one of {', '.join(allowed)}")
            fields[key] = entry[key]
    for key in ("patterns", "exceptions", "selectors", "lang", "must_remove", "must_keep"):
        if key in entry:
            fields[key] = _strings(path, where, key, entry[key])
    if "max_chars" in entry:
        mc = entry["max_chars"]
        if not isinstance(mc, int) or isinstance(mc, bool) or mc <= 0:
            raise RuleError(f"{path}: {where}: 'max_chars' must be a positive integer")
        fields["max_chars"] = mc
    rule = Rule(**fields)  # type: ignore[arg-type]
    _validate(path, where, rule)
    return rule


def _validate(path: Path, where: str, rule: Rule) -> None:
    if not rule.must_remove or not rule.must_keep:
        raise RuleError(f"{path}: {where}: needs examples: at least one 'must_remove' and one 'must_keep'")
    if rule.scope == "block":
        if not rule.patterns:
            raise RuleError(f"{path}: {where}: a block rule needs 'patterns'")
        if rule.selectors:
            raise RuleError(f"{path}: {where}: 'selectors' belong to element rules (scope = \"element\")")
    else:
        if not rule.selectors:
            raise RuleError(f"{path}: {where}: an element rule needs 'selectors'")
        if rule.patterns or rule.where != "anywhere" or rule.action != "drop":
            raise RuleError(f"{path}: {where}: element rules take 'selectors' only (no patterns, where or action)")
        from ..selectors import compile_selector  # local: lxml only where element rules exist

        for sel in rule.selectors:
            try:
                compile_selector(sel)
            except Exception as exc:  # cssselect raises several error types
                raise RuleError(f"{path}: {where}: invalid selector {sel!r}: {exc}") from None
    for key in ("patterns", "exceptions"):
        for pat in getattr(rule, key):
            if _BACKREF_RE.search(pat):
                raise RuleError(f"{path}: {where}: {key} {pat!r}: backreferences are not supported")
            try:
                re.compile(pat)
            except re.error as exc:
                raise RuleError(f"{path}: {where}: invalid pattern {pat!r}: {exc}") from None


def _matches_token(rule: Rule, token: str) -> bool:
    return rule.code == token or rule.category == token or (token.isalpha() and rule.code.startswith(token))


def select_rules(rules: Sequence[Rule], select: Iterable[str] | None = None,
                 ignore: Iterable[str] | None = None) -> list[Rule]:
    """Keep the rules named by ``select`` (codes, code prefixes such as ``DN`` or categories;
    all when empty), then drop those named by ``ignore``. Unknown tokens are an error."""
    sel = [t.strip() for t in select or () if t.strip()]
    ign = [t.strip() for t in ignore or () if t.strip()]
    for token in sel + ign:
        if not any(_matches_token(r, token) for r in rules):
            raise RuleError(f"--select/--ignore: {token!r} names no rule, prefix or category")
    out = [r for r in rules if not sel or any(_matches_token(r, t) for t in sel)]
    return [r for r in out if not any(_matches_token(r, t) for t in ign)]
