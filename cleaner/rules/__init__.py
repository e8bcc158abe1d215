"""Rules as data: the rule model, loading TOML rule files, validation, select/ignore.

A rule file holds one ``[ruleset]`` table (category and code prefix) and ``[[rules]]``.
Block rules carry regex ``patterns`` matched case-insensitively against a block's text
(whitespace collapsed to single spaces, NBSP included); element rules carry CSS
``selectors`` applied to an HTML page before extraction. Every rule carries examples:
``must_remove`` and ``must_keep``, at least one of each.

Errors name the file, the line and the rule. Patterns are validated by translating them
for RE2 (``cleaner.patterns``): a pattern RE2 cannot run in linear time (backreferences,
lookarounds it cannot check) is refused here, not at match time. A built-in file that
loaded once is kept, with its translated patterns, in a cache checked against its path,
modification time and size and this loader's code (``$CLEANER_CACHE_DIR``, else
``$XDG_CACHE_HOME/cleaner``, else ``~/.cache/cleaner``; ``CLEANER_CACHE_DIR=off`` turns it
off), so a later start skips parsing and translation.
"""

from __future__ import annotations

import marshal
import os
import re
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Literal, Sequence

from ..patterns import Check, PatternError, Translation, remember, translate

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
Action = Literal["drop", "drop_zone", "open_thread", "close_thread", "mark_thread"]

_CODE_RE = re.compile(r"^[A-Z]{2}[0-9]{2,3}$")
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
    return sorted(Path(__file__).resolve().parent.glob("*.toml"))


def _rule_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(path.rglob("*.toml"))
    if not path.exists():
        raise RuleError(f"{path}: no such rule file or folder")
    return [path]


def load_rules(paths: Iterable[str | Path] | None = None, *, builtin: bool = True) -> list[Rule]:
    """Load the built-in rules (unless ``builtin=False``) plus every rule file under ``paths``.

    Raises RuleError naming the file, line and rule on a duplicate code, an invalid pattern
    or selector, a rule without examples, an unknown key or a wrong type.
    """
    files = list(builtin_rule_files()) if builtin else []
    builtins = set(files)
    for p in paths or ():
        files.extend(_rule_files(Path(p)))
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for f in files:
        for rule in _load_cached(f, builtin=f in builtins):
            if rule.code in seen:
                raise RuleError(f"{f}: rule {rule.code}: duplicate code (already defined in {seen[rule.code]})")
            seen[rule.code] = str(f)
            rules.append(rule)
    return rules


# ----------------------------------------------------------------------------- cache
_CACHE_VERSION = 3
_RULE_FIELDS = tuple(f for f in Rule.__dataclass_fields__)


def _cache_dir() -> Path | None:
    env = os.environ.get("CLEANER_CACHE_DIR")
    if env is not None:
        return None if env.strip().lower() in ("", "off", "0", "no") else Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "cleaner"


def _stamp(path: Path) -> str:
    st = path.stat()
    return f"{path.resolve()}:{st.st_mtime_ns}:{st.st_size}"


_FINGERPRINT: list[str] = []


def _fingerprint() -> str:
    """This loader's and the translator's code: a change to either invalidates the cache."""
    if not _FINGERPRINT:
        here = Path(__file__)
        _FINGERPRINT.append(f"{_CACHE_VERSION}|{sys.version}|{_stamp(here)}|{_stamp(here.parent.parent / 'patterns.py')}")
    return _FINGERPRINT[0]


def _load_cached(path: Path, builtin: bool) -> list[Rule]:
    """The rules of ``path``; a built-in file comes from the cache when it and the loader
    are unchanged (same resolved path, modification time and size, as Python's own bytecode
    cache). User rule files are always read (and their patterns compiled by RE2 at once)."""
    folder = _cache_dir() if builtin else None
    entry = key = None
    if folder is not None:
        try:
            key = _fingerprint() + "|" + _stamp(path)
        except OSError:
            key = None
    if key is not None:
        where = str(path.resolve()).encode()
        entry = folder / f"rules-{zlib.crc32(where):08x}-{path.stem[:40]}.marshal"
        try:
            stored_key, rules_data, trans_data = marshal.loads(entry.read_bytes())
            if stored_key == key:
                remember(Translation(*t[:4], tuple(Check(*c) for c in t[4]), *t[5:9],
                                     tuple(Check(*c) for c in t[9]), *t[10:12]) for t in trans_data)
                return [Rule(**dict(zip(_RULE_FIELDS, r))) for r in rules_data]
        except Exception:  # missing, stale or unreadable: load from the source
            pass
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RuleError(f"{path}: cannot read rule file: {exc}") from None
    rules = _load_file(path, raw, compile_check=not builtin)
    if entry is not None:
        trans = [translate(p) for r in rules for p in r.patterns + r.exceptions]
        data = (key, [tuple(getattr(r, f) for f in _RULE_FIELDS) for r in rules],
                [(t.source, t.pattern, t.lead, t.trail,
                  tuple((c.group, c.kind, c.positive, c.body, c.width) for c in t.checks),
                  t.groups, t.anchored, t.loose, t.light,
                  tuple((c.group, c.kind, c.positive, c.body, c.width) for c in t.light_checks),
                  t.light_groups, t.foreign) for t in trans])
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            tmp = entry.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(marshal.dumps(data))
            os.replace(tmp, entry)
        except (OSError, ValueError):
            pass
    return rules


# ----------------------------------------------------------------------------- parsing
_TABLE_RE = re.compile(r"^\s*\[\[\s*rules\s*\]\]", re.M)


def _line(text: str, index: int | None, key: str | None) -> int | None:
    """The line of ``key`` in rule table ``index`` (or of the table's header), 1-based."""
    if index is None:
        if key is None:
            return None
        m = re.search(rf"^\s*{re.escape(key)}\s*=", text, re.M)
        return text.count("\n", 0, m.start()) + 1 if m else None
    heads = [m.start() for m in _TABLE_RE.finditer(text)]
    if index >= len(heads):
        return None
    start = heads[index]
    stop = heads[index + 1] if index + 1 < len(heads) else len(text)
    if key is not None:
        m = re.compile(rf"^\s*{re.escape(key)}\s*=", re.M).search(text, start, stop)
        if m:
            return text.count("\n", 0, m.start()) + 1
    return text.count("\n", 0, start) + 1


class _Bad(Exception):
    def __init__(self, where: str, message: str, key: str | None = None, index: int | None = None):
        super().__init__(message)
        self.where, self.message, self.key, self.index = where, message, key, index


def _load_file(path: Path, raw: bytes, compile_check: bool = True) -> list[Rule]:
    import tomllib

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RuleError(f"{path}: cannot read rule file: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"at line (\d+)", str(exc))
        raise RuleError(f"{path}{':' + m.group(1) if m else ''}: invalid TOML: {exc}") from None
    try:
        unknown = set(data) - {"ruleset", "rules"}
        if unknown:
            raise _Bad("", f"unknown top-level key(s) {sorted(unknown)}", sorted(unknown)[0])
        head = data.get("ruleset", {})
        if not isinstance(head, dict):
            raise _Bad("", "[ruleset] must be a table", "ruleset")
        bad = set(head) - _RULESET_KEYS
        if bad:
            raise _Bad("[ruleset]", f"unknown key(s) {sorted(bad)}", sorted(bad)[0])
        entries = data.get("rules", [])
        if not isinstance(entries, list) or not entries:
            raise _Bad("", "no [[rules]] defined")
        rules = [_build_rule(path, head, i, entry) for i, entry in enumerate(entries)]
        if compile_check:
            for i, rule in enumerate(rules):
                _compile_check(rule, i)
        return rules
    except _Bad as exc:
        line = _line(text, exc.index, exc.key)
        where = f"{path}:{line}" if line else f"{path}"
        raise RuleError(f"{where}: {exc.where + ': ' if exc.where else ''}{exc.message}") from None


def _compile_check(rule: Rule, index: int) -> None:
    """A user rule's patterns compiled by RE2 now, so a pattern too large for it fails at load."""
    import re2

    opts = re2.Options()
    opts.max_mem = 64 << 20
    opts.log_errors = False
    for key in ("patterns", "exceptions"):
        for pat in getattr(rule, key):
            t = translate(pat)
            try:
                for src in [t.pattern, t.loose] + [c.body for c in t.checks if c.body]:
                    re2.compile("(?im)" + src, opts)
            except re2.error as exc:
                raise _Bad(f"rule {rule.code}", f"{key} {pat!r}: RE2 cannot compile it: {exc}", key, index) from None


def _strings(index: int, where: str, key: str, value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _Bad(where, f"'{key}' must be a string or a list of strings", key, index)
    return tuple(value)


def _build_rule(path: Path, head: dict, index: int, entry: object) -> Rule:
    where = f"rule #{index + 1}"
    if not isinstance(entry, dict):
        raise _Bad(where, "must be a table", None, index)
    code = entry.get("code")
    if isinstance(code, str):
        where = f"rule {code}"
    bad = set(entry) - _RULE_KEYS
    if bad:
        raise _Bad(where, f"unknown key(s) {sorted(bad)}", sorted(bad)[0], index)
    if not isinstance(code, str) or not _CODE_RE.match(code):
        raise _Bad(where, "'code' must look like DN01 (two capitals, two or three digits)", "code", index)
    prefix = head.get("prefix")
    if prefix and not code.startswith(prefix):
        raise _Bad(where, f"code does not start with the ruleset prefix {prefix!r}", "code", index)
    fields: dict[str, object] = {"code": code, "source": str(path)}
    for key in ("name", "summary"):
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            raise _Bad(where, f"'{key}' must be a non-empty string", key, index)
        fields[key] = value
    category = entry.get("category", head.get("category"))
    if not isinstance(category, str) or not category:
        raise _Bad(where, "no category (set it in [ruleset] or on the rule)", "category", index)
    fields["category"] = category
    for key, allowed in (("scope", ("block", "element")), ("where", ("anywhere", "head", "tail")),
                         ("action", ("drop", "drop_zone", "open_thread", "close_thread", "mark_thread"))):
        if key in entry:
            if entry[key] not in allowed:
                raise _Bad(where, f"'{key}' must be one of {', '.join(allowed)}", key, index)
            fields[key] = entry[key]
    for key in ("patterns", "exceptions", "selectors", "lang", "must_remove", "must_keep"):
        if key in entry:
            fields[key] = _strings(index, where, key, entry[key])
    if "max_chars" in entry:
        mc = entry["max_chars"]
        if not isinstance(mc, int) or isinstance(mc, bool) or mc <= 0:
            raise _Bad(where, "'max_chars' must be a positive integer", "max_chars", index)
        fields["max_chars"] = mc
    rule = Rule(**fields)  # type: ignore[arg-type]
    _validate(index, where, rule)
    return rule


def _validate(index: int, where: str, rule: Rule) -> None:
    if not rule.must_remove or not rule.must_keep:
        raise _Bad(where, "needs examples: at least one 'must_remove' and one 'must_keep'", None, index)
    if rule.scope == "block":
        if not rule.patterns:
            raise _Bad(where, "a block rule needs 'patterns'", "scope", index)
        if rule.selectors:
            raise _Bad(where, "'selectors' belong to element rules (scope = \"element\")", "selectors", index)
    else:
        if not rule.selectors:
            raise _Bad(where, "an element rule needs 'selectors'", "scope", index)
        if rule.patterns or rule.where != "anywhere" or rule.action != "drop":
            raise _Bad(where, "element rules take 'selectors' only (no patterns, where or action)", "scope", index)
        from ..selectors import compile_selector  # local: lxml only where element rules exist

        for sel in rule.selectors:
            try:
                compile_selector(sel)
            except Exception as exc:  # cssselect raises several error types
                raise _Bad(where, f"invalid selector {sel!r}: {exc}", "selectors", index) from None
    for key in ("patterns", "exceptions"):
        for pat in getattr(rule, key):
            try:
                translate(pat)
            except PatternError as exc:
                kind = "invalid pattern" if str(exc).startswith("invalid pattern") else f"{key} {pat!r}"
                detail = str(exc).removeprefix("invalid pattern: ")
                raise _Bad(where, f"{kind} {pat!r}: {detail}" if kind == "invalid pattern" else f"{kind}: {detail}",
                           key, index) from None


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
