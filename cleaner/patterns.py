"""Rule patterns (Python regex syntax) translated for RE2, the linear-time engine.

Patterns are parsed with Python's own regex parser (syntax only; nothing is matched with
``re``) and written back in RE2 syntax with Python's Unicode meaning, as rules see it:

- ``\\w`` -> ``[\\pL\\pN_]``, ``\\W`` -> its complement, ``\\d`` -> ``\\p{Nd}``, ``\\s`` ->
  Unicode whitespace (``str.isspace``: NBSP, ``\\p{Z}``, ...). RE2's own are ASCII-only.
- ``\\b``/``\\B`` (RE2's are ASCII-only; RE2 has no lookaround): the characters on either
  side are worked out from the pattern. Where they are known the edge is decided at
  translation (``\\bread`` after ``^`` or a space needs nothing); where the edge stands at
  the outside of the match it consumes the neighbouring character (``(?:^|[^\\pL\\pN_])``)
  inside a capture group, so the reported match can leave it out; where neither works
  (a word *or* non-word character on both sides inside the pattern) it is refused.
- Text is searched as the blocks' normalised texts joined by ``\\n``, so nothing emitted
  ever matches ``\\n`` (negated classes, ``.`` and ranges exclude it) and ``^``/``$``
  (also ``\\A``/``\\Z``) are block edges (RE2 multi-line mode).
- Lookarounds are kept only where they can be checked once per match in linear time: in a
  pattern whose every branch is anchored at the block start, outside repeats, not in an
  exception. They become an empty capture group marking their position, checked after
  the match with an anchored RE2 match of their body. Backreferences, conditionals,
  atomic groups and possessive repeats are refused.
"""

from __future__ import annotations

import re._constants as C
import re._parser as P
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

__all__ = ["Check", "NOT_WORD", "PatternError", "Translation", "WORD", "remember", "translate"]

WORD = r"[\pL\pN_]"
NOT_WORD = r"[^\pL\pN_\n]"
_WORD_IN = r"\pL\pN_"
_SPACE_IN = r"\t\x{b}-\r\x{1c}-\x{1f}\x{85}\p{Z}"   # str.isspace() without \n
_NOT_SPACE = r"[^\t-\r\x{1c}-\x{1f}\x{85}\p{Z}]"      # \S (\n is whitespace: excluded)
_DIGIT_IN = r"\p{Nd}"
_NEVER = r"[^\x00-\x{10FFFF}]"

W, N, E, O = "W", "N", "E", "O"   # word char, non-word char (or block edge), nullable, outside


class PatternError(ValueError):
    """A pattern RE2 cannot take (or Python cannot parse); the message says why."""


@dataclass(frozen=True)
class Check:
    """A condition RE2 cannot express, checked after a match at the position marked by the
    empty capture group ``group``: a word edge (``kind`` "edge", or "lead"/"trail" at the
    match's outside, see _LightEmitter: ``\\b`` when ``positive``, else ``\\B``) between
    characters the pattern leaves open, or a lookaround ("ahead":
    ``body`` matches anchored at the mark; "behind": ``body`` matches the ``width``
    characters before it; ``positive`` False for ``(?!...)``/``(?<!...)``)."""

    group: int
    kind: str
    positive: bool
    body: str = ""
    width: int = 0


@dataclass(frozen=True)
class Translation:
    """``pattern`` in RE2 syntax (without flags); capture groups ``lead``/``trail`` hold
    characters consumed by word edges outside the match; ``checks`` run after a match."""

    source: str
    pattern: str
    lead: tuple[int, ...]
    trail: tuple[int, ...]
    checks: tuple[Check, ...]
    groups: int
    anchored: bool
    loose: str = ""   # a superset for the prefilter scan: see _LooseEmitter
    light: str = ""   # when the pattern has edges at the match's outside: see _LightEmitter
    light_checks: tuple[Check, ...] = ()
    light_groups: int = 0
    foreign: bool = False   # every match of ``loose`` holds a character of another script (foreign_ranges)


@lru_cache(maxsize=4096)
def _is_word(ch: int) -> bool:
    c = chr(ch)
    return c == "_" or unicodedata.category(c)[0] in "LN"


def _data(items) -> list:
    """A parsed sequence as a plain list (a SubPattern indexes slowly)."""
    return items.data if isinstance(items, P.SubPattern) else items


def _char(ch: int) -> str:
    if ch < 0x80 and chr(ch).isalnum():
        return chr(ch)
    return "\\x{%x}" % ch


_UNROLL_MAX = 4
_MAX_PATTERN = 5000
_MAX_COUNT = 1000   # RE2's limit on {n,m}


class _Emitter:
    def __init__(self) -> None:
        self.groups = 0
        self.lead: list[int] = []
        self.trail: list[int] = []
        self.checks: list[Check] = []
        self.repeat_depth = 0
        self.open_above: int | None = None
        self._first: dict[int, tuple[object, set[str]]] = {}
        self._last: dict[int, tuple[object, set[str]]] = {}

    # ------------------------------------------------------------ character kinds
    def first(self, items) -> set[str]:
        return self._edge_kinds(items, self._first, self.node_first, False)

    def last(self, items) -> set[str]:
        return self._edge_kinds(items, self._last, self.node_last, True)

    @staticmethod
    def _edge_kinds(items, memo: dict[int, tuple[object, set[str]]], node, backwards: bool) -> set[str]:
        """The kinds of character ``items`` can start (or, backwards, end) with; E when it can be empty."""
        got = memo.get(id(items))
        if got is None or got[0] is not items:
            out: set[str] = set()
            data = _data(items)
            for op, av in (reversed(data) if backwards else data):
                f = node(op, av)
                out |= f - {E}
                if E not in f:
                    break
            else:
                out.add(E)
            got = memo[id(items)] = (items, out)   # (the key object kept alive)
        return got[1]

    def node_first(self, op, av) -> set[str]:
        if op is C.AT:
            return {N} if av in (C.AT_END, C.AT_END_STRING) else {E}
        return self._node(op, av, self.first)

    def node_last(self, op, av) -> set[str]:
        if op is C.AT:
            return {N} if av in (C.AT_BEGINNING, C.AT_BEGINNING_STRING) else {E}
        return self._node(op, av, self.last)

    def _node(self, op, av, seq) -> set[str]:
        if op is C.LITERAL:
            return {W} if _is_word(av) else {N}
        if op in (C.NOT_LITERAL, C.ANY):
            return {W, N}
        if op is C.IN:
            return _class_kinds(av)
        if op is C.BRANCH:
            out: set[str] = set()
            for alt in av[1]:
                out |= seq(alt)
            return out
        if op is C.SUBPATTERN:
            return seq(av[3])
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            f = seq(av[2])
            return f | {E} if av[0] == 0 else f
        if op in (C.ASSERT, C.ASSERT_NOT):
            return {E}
        return {W, N, E}

    # ------------------------------------------------------------ emission
    def seq(self, items, left: set[str], right: set[str]) -> str:
        items = _merge_edges(_data(items))
        n = len(items)
        lefts: list[set[str]] = [left] * n
        acc = set(left)
        for i, (op, av) in enumerate(items):
            lefts[i] = acc
            f = self.node_last(op, av)
            acc = (f - {E}) | acc if E in f else f
        rights: list[set[str]] = [right] * n
        acc = set(right)
        for i in range(n - 1, -1, -1):
            rights[i] = acc
            op, av = items[i]
            f = self.node_first(op, av)
            acc = (f - {E}) | acc if E in f else f
        out: list[str] = []
        i = 0
        while i < n:
            special = None
            if _is_edge(items[i]) and i + 1 < n:
                # only when the edge goes into the repeat; else it is emitted on its own
                special = self.edged_repeat(items, i + 1, lefts, rights, True)
            else:
                special = self.edged_repeat(items, i, lefts, rights, False)
            if special is not None:
                out.append(special[0])
                i = special[1]
                continue
            op, av = items[i]
            out.append(self.node(op, av, lefts[i], rights[i]))
            i += 1
        return "".join(out)

    def edged_repeat(self, items, i: int, lefts, rights, allow_first: bool) -> tuple[str, int, bool] | None:
        """A repeat of one character with a word edge known on its outer side right before
        and/or after it (``word\\b.{0,40}``, ``.{0,250}\\bword``): the edge becomes a
        condition on the repeat's first/last character, exact without lookaround.
        Returns (regex, index after the consumed items, whether the edge before was
        consumed), or None."""
        op, av = items[i]
        if op not in (C.MAX_REPEAT, C.MIN_REPEAT) or len(av[2]) != 1 or av[1] == 0:
            return None
        cop, cav = av[2][0]
        if cop not in (C.ANY, C.IN, C.LITERAL, C.NOT_LITERAL):
            return None
        lo, hi = av[0], av[1]
        if lo > _MAX_COUNT or hi != C.MAXREPEAT and hi > _MAX_COUNT:
            return None
        kf = kl = None
        e1 = e2 = None
        if allow_first and i > 0 and _is_edge(items[i - 1]):
            outer = lefts[i - 1]
            if outer in ({W}, {N}):
                e1 = items[i - 1][1] is C.AT_BOUNDARY
                kf = ({W, N} - outer) if e1 else outer
        if i + 1 < len(items) and _is_edge(items[i + 1]):
            outer = rights[i + 1]
            if outer in ({W}, {N}):
                e2 = items[i + 1][1] is C.AT_BOUNDARY
                kl = ({W, N} - outer) if e2 else outer
        if kf is None and (allow_first or kl is None):
            return None   # (called at the edge before: it must go into the repeat)
        x = self.node(cop, cav, {W, N}, {W, N})
        xf = _restrict(cop, cav, kf) if kf else x
        xl = _restrict(cop, cav, kl) if kl else x
        both = _restrict(cop, cav, kf & kl) if kf and kl and kf & kl else (_NEVER if kf and kl else (xf if kf else xl))
        if xf is None or xl is None or both is None:
            return None
        lz = "?" if op is C.MIN_REPEAT else ""
        big = hi == C.MAXREPEAT

        def rep(a: int, b: int | None) -> str:
            if b is not None and b <= 0:
                return ""
            if b is None:
                return "(?:" + x + ")" + {0: "*", 1: "+"}.get(a, "{%d,}" % a) + lz
            return "(?:" + x + ")" + ("{%d}" % a if a == b else "{%d,%d}" % (a, b)) + lz

        alts: list[str] = []
        if kf and kl:
            if hi >= 2:
                alts.append(xf + rep(max(lo - 2, 0), None if big else hi - 2) + xl)
            if lo <= 1:
                alts.append(both)
        elif kf:
            alts.append(xf + rep(max(lo - 1, 0), None if big else hi - 1))
        else:
            alts.append(rep(max(lo - 1, 0), None if big else hi - 1) + xl)
        last = i + 1 if kl else i
        if lo == 0:
            empty = ""
            if kf and kl is None and i + 1 < len(items) and _is_edge(items[i + 1]):
                # an edge of its own stands just after: both at one position, where that
                # one decides (a \b with a \B: never); consuming both would take two characters
                empty += "" if e1 == (items[i + 1][1] is C.AT_BOUNDARY) else _NEVER
            elif kf:
                empty += self.edge(bool(e1), lefts[i - 1], rights[i])
            if kl:
                if kf is None and i > 0 and _is_edge(items[i - 1]):
                    # an edge of its own stands just before: both at one position, which a
                    # consuming edge would not see; checked after the match instead
                    empty += self.mark(Check(0, "edge", bool(e2)))
                else:
                    empty += self.edge(bool(e2), lefts[i], rights[i + 1])
            alts = [empty] + alts if lz else alts + [empty]
        return "(?:" + "|".join(alts) + ")", last + 1, kf is not None

    def node(self, op, av, left: set[str], right: set[str]) -> str:
        if op is C.LITERAL:
            return _NEVER if av == 10 else _char(av)
        if op is C.NOT_LITERAL:
            return "[^" + _char(av) + "\\n]"
        if op is C.ANY:
            return "[^\\n]"
        if op is C.IN:
            return _class(av)
        if op is C.BRANCH:
            return "(?:" + "|".join(self.seq(alt, left, right) for alt in av[1]) + ")"
        if op is C.SUBPATTERN:
            _group, add, drop, items = av
            flags = ("i" if add & C.SRE_FLAG_IGNORECASE else "") + ("-i" if drop & C.SRE_FLAG_IGNORECASE else "")
            return "(?" + flags + ":" + self.seq(items, left, right) + ")"
        if op in (C.MAX_REPEAT, C.MIN_REPEAT):
            return self.repeat(op is C.MIN_REPEAT, av, left, right)
        if op is C.AT:
            if av in (C.AT_BEGINNING, C.AT_BEGINNING_STRING):
                return "^"
            if av in (C.AT_END, C.AT_END_STRING):
                return "$"
            return self.edge(av is C.AT_BOUNDARY, left, right)
        if op in (C.ASSERT, C.ASSERT_NOT):
            return self.lookaround(op is C.ASSERT, av)
        if op in (C.GROUPREF, C.GROUPREF_EXISTS):
            raise PatternError("backreferences are not supported (no linear-time engine can match them)")
        if op in (C.ATOMIC_GROUP, C.POSSESSIVE_REPEAT):
            raise PatternError("atomic groups and possessive repeats are not supported")
        raise PatternError(f"unsupported construct {op}")

    def repeat(self, lazy: bool, av, left: set[str], right: set[str]) -> str:
        lo, hi, items = av
        if hi == 0:
            return ""
        if lo > _MAX_COUNT or hi != C.MAXREPEAT and hi > _MAX_COUNT:
            raise PatternError(f"repeat counts over {_MAX_COUNT} are not supported")
        if self.open_above is not None and hi != C.MAXREPEAT and hi > self.open_above:
            hi = C.MAXREPEAT
        inner_l, inner_r = left, right
        if hi != 1:
            inner_l = left | (self.last(items) - {E})
            inner_r = right | (self.first(items) - {E})
        before = len(self.checks)
        self.repeat_depth += 1
        body = self.seq(items, inner_l, inner_r)
        self.repeat_depth -= 1
        lz = "?" if lazy else ""
        if len(self.checks) > before and hi != 1:
            if hi == C.MAXREPEAT or hi > _UNROLL_MAX:
                raise PatternError("a word edge or lookaround inside a repeat of more than "
                                   f"{_UNROLL_MAX} cannot be checked (RE2 has no lookaround)")
            # unrolled: every copy gets its own check groups
            copies = [body] + [self.seq(items, inner_l, inner_r) for _ in range(hi - 1)]
            out = "".join("(?:" + c + ")" for c in copies[:lo])
            tail = ""
            for c in reversed(copies[lo:]):
                tail = "(?:" + c + tail + ")?" + lz
            return out + tail
        if hi == C.MAXREPEAT:
            q = {0: "*", 1: "+"}.get(lo, "{%d,}" % lo)
        elif lo == hi:
            q = "{%d}" % lo
        elif (lo, hi) == (0, 1):
            q = "?"
        else:
            q = "{%d,%d}" % (lo, hi)
        return "(?:" + body + ")" + q + lz

    def edge(self, boundary: bool, left: set[str], right: set[str]) -> str:
        """``\\b`` (boundary) or ``\\B`` between ``left`` and ``right`` character kinds."""
        if left == {O} and right in ({W}, {N}):
            want_word_before = (right == {N}) == boundary
            self.groups += 1
            self.lead.append(self.groups)
            return "(" + WORD + ")" if want_word_before else "(?:^|(" + NOT_WORD + "))"
        if right == {O} and left in ({W}, {N}):
            want_word_after = (left == {N}) == boundary
            self.groups += 1
            self.trail.append(self.groups)
            return "(" + WORD + ")" if want_word_after else "(?:$|(" + NOT_WORD + "))"
        if left in ({W}, {N}) and right in ({W}, {N}):
            return "" if (left != right) == boundary else _NEVER
        return self.mark(Check(0, "edge", boundary))

    def mark(self, check: Check) -> str:
        self.groups += 1
        self.checks.append(Check(self.groups, check.kind, check.positive, check.body, check.width))
        return "()"

    def lookaround(self, positive: bool, av) -> str:
        direction, items = av
        sub = _Emitter()
        body = sub.seq(items, {O}, {O})
        if sub.checks or sub.lead or direction < 0 and sub.trail:
            raise PatternError("word edges or lookarounds at the edge of (or inside) a lookaround are not supported")
        width = 0
        if direction < 0:
            lo, hi = _width(items)
            if lo != hi:
                raise PatternError("lookbehind needs a fixed width")
            width = lo
        return self.mark(Check(0, "ahead" if direction > 0 else "behind", positive, body, width))


class _LightEmitter(_Emitter):
    """The pattern with the word edges at the match's outside checked after the match
    (kinds "lead" and "trail") instead of consuming a neighbour with a ``\\pL`` class,
    which takes RE2 milliseconds to compile. A failed "lead" check rules out every match
    starting there (nothing can come before such an edge), so the search goes on one
    character later; a failed "trail" check sends the block to the strict pattern."""

    def edge(self, boundary: bool, left: set[str], right: set[str]) -> str:
        if left == {O} and right in ({W}, {N}):
            return self.mark(Check(0, "lead", boundary))
        if right == {O} and left in ({W}, {N}):
            return self.mark(Check(0, "trail", boundary))
        return super().edge(boundary, left, right)


class _LooseEmitter(_Emitter):
    """A superset of the pattern that RE2 compiles and scans fast, for the prefilter: no
    word edges or lookarounds, Unicode classes (``\\pL``, ``\\p{Z}``: slow to compile) as any
    character, long bounded repeats open, and only a prefix of the pattern (see _prefix)."""

    def __init__(self) -> None:
        super().__init__()
        self.open_above = 8

    def edged_repeat(self, items, i, lefts, rights, allow_first):
        return None

    def edge(self, boundary: bool, left: set[str], right: set[str]) -> str:
        return ""

    def mark(self, check: Check) -> str:
        return ""

    def lookaround(self, positive: bool, av) -> str:
        return ""

    def node(self, op, av, left: set[str], right: set[str]) -> str:
        if op is C.IN:
            cls = _class(av)
            return "[^\\n]" if "\\pL" in cls or "\\p{Z}" in cls else cls
        return super().node(op, av, left, right)


_PREFIX_CHARS = 16


def _prefix(items, budget: int = _PREFIX_CHARS):
    """The leading items of a sequence that need at least ``budget`` characters (a prefix
    of a pattern matches wherever the pattern does); a top-level alternation branch-wise."""
    if len(items) == 1 and items[0][0] is C.BRANCH:
        return [(C.BRANCH, (None, [_prefix(alt, budget) for alt in items[0][1][1]]))]
    out = []
    need = budget
    for op, av in items:
        out.append((op, av))
        if op is not C.AT:
            need -= _width([(op, av)])[0]
            if need <= 0:
                break
    return out


def _merge_edges(items):
    """Runs of adjacent word edges as one: ``\\b\\b`` is ``\\b``; ``\\b\\B`` never holds."""
    if not any(_is_edge(a) and _is_edge(b) for a, b in zip(items, items[1:])):
        return items
    out: list = []
    for item in items:
        if out and _is_edge(item) and _is_edge(out[-1]):
            if item[1] is not out[-1][1]:
                out[-1] = (C.IN, [])      # an empty class: nothing matches
            continue
        out.append(item)
    return out


def _is_edge(item) -> bool:
    return item[0] is C.AT and item[1] in (C.AT_BOUNDARY, C.AT_NON_BOUNDARY)


def _restrict(op, av, kinds: set[str]) -> str | None:
    """The single-character node (op, av) limited to word (W) or non-word (N) characters,
    or None when RE2 cannot say it as one class."""
    if kinds == {W, N}:
        return None
    want_word = kinds == {W}
    if op is C.ANY:
        return WORD if want_word else NOT_WORD
    if op is C.LITERAL:
        return _char(av) if _is_word(av) == want_word else _NEVER
    if op is C.NOT_LITERAL:
        if not want_word:
            return "[^" + _char(av) + _WORD_IN + "\\n]"
        return WORD if not _is_word(av) else None
    kinds_in = _class_kinds([it for it in av if it[0] is not C.NEGATE])
    if any(it[0] is C.NEGATE for it in av):
        if not want_word:
            if any(it[0] is C.CATEGORY and it[1] not in _CATEGORY_IN for it in av):
                return None
            return "[^" + _class(list(av))[2:-3] + _WORD_IN + "\\n]"   # [^...\\n] with word chars too
        return WORD if kinds_in <= {N} else None
    if kinds_in <= ({W} if want_word else {N}):
        return _class(list(av))
    if want_word and all(it[0] is C.CATEGORY and it[1] is C.CATEGORY_NOT_SPACE or
                         it[0] in (C.LITERAL, C.RANGE) and _class_kinds([it]) <= {N} for it in av):
        return WORD if any(it[0] is C.CATEGORY for it in av) else _NEVER
    return None


def _width(items: list) -> tuple[int, int]:
    sp = P.SubPattern(P.State(), items)
    return sp.getwidth()


def _class_kinds(items: list) -> set[str]:
    negate = any(op is C.NEGATE for op, _ in items)
    kinds: set[str] = set()
    for op, av in items:
        if op is C.LITERAL:
            kinds.add(W if _is_word(av) else N)
        elif op is C.RANGE:
            lo, hi = av
            if hi - lo > 512:
                kinds |= {W, N}
            else:
                kinds |= {W if _is_word(c) else N for c in range(lo, hi + 1)}
        elif op is C.CATEGORY:
            kinds |= {C.CATEGORY_DIGIT: {W}, C.CATEGORY_WORD: {W}, C.CATEGORY_SPACE: {N},
                      C.CATEGORY_NOT_WORD: {N}}.get(av, {W, N})
    if negate:
        if kinds == {N} and any(op is C.CATEGORY and av is C.CATEGORY_NOT_WORD for op, av in items):
            return {W}
        return {W, N}
    return kinds


_CATEGORY_IN = {
    C.CATEGORY_DIGIT: _DIGIT_IN,
    C.CATEGORY_WORD: _WORD_IN,
    C.CATEGORY_SPACE: _SPACE_IN,
}
_CATEGORY_NOT = {
    C.CATEGORY_NOT_DIGIT: "[^" + _DIGIT_IN + "\\n]",
    C.CATEGORY_NOT_WORD: NOT_WORD,
    C.CATEGORY_NOT_SPACE: _NOT_SPACE,
}


def _range(lo: int, hi: int) -> str:
    if lo <= 10 <= hi:   # never \n (the block separator)
        return "".join(_range(a, b) for a, b in ((lo, 9), (11, hi)) if a <= b)
    return _char(lo) if lo == hi else _char(lo) + "-" + _char(hi)


def _class(items: list) -> str:
    negate = False
    parts: list[str] = []
    alts: list[str] = []
    for op, av in items:
        if op is C.NEGATE:
            negate = True
        elif op is C.LITERAL:
            if av != 10:
                parts.append(_char(av))
        elif op is C.RANGE:
            parts.append(_range(*av))
        elif op is C.CATEGORY:
            if av in _CATEGORY_IN:
                parts.append(_CATEGORY_IN[av])
            elif negate:
                raise PatternError("a negated class holding \\W, \\S or \\D cannot be expressed in RE2")
            else:
                alts.append(_CATEGORY_NOT[av])
        else:
            raise PatternError(f"unsupported class item {op}")
    if negate:
        return "[^" + "".join(parts) + "\\n]"
    if parts:
        alts.insert(0, "[" + "".join(parts) + "]")
    if not alts:
        return _NEVER
    return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"


def _anchored(items: list) -> bool:
    """Every branch of the pattern starts with ``^`` (or ``\\A``)."""
    if not items:
        return False
    op, av = items[0]
    if op is C.AT:
        return av in (C.AT_BEGINNING, C.AT_BEGINNING_STRING)
    if op is C.BRANCH:
        return all(_anchored(alt) for alt in av[1])
    if op is C.SUBPATTERN:
        return _anchored(av[3])
    return False


_TRANSLATED: dict[str, Translation] = {}


# ------------------------------------------------------------------ other scripts
# A "foreign" character: Greek, and from U+0400 (Cyrillic) on, less the blocks that Latin text uses
# too or whose letters fold (RE2's case-insensitive matching) to or from letters below
# U+0400: Latin Extended Additional and Greek Extended; punctuation, letterlike symbols
# (the Kelvin and Ohm signs), arrows and other symbols; Latin Extended-C, -D and -E;
# variation selectors; emoji.
_SHARED = ((0x1E00, 0x1FFF), (0x2000, 0x2BFF), (0x2C60, 0x2C7F), (0xA720, 0xA7FF), (0xAB30, 0xAB6F),
           (0xFE00, 0xFE0F), (0x1F000, 0x1FAFF))


# Greek (U+0370-U+03FF) is another script too, less the letters RE2 folds to characters
# outside the block: Ι ι (to U+0345, U+1FBE), Μ μ (the micro sign), Ω ω (the Ohm sign),
# ΐ ΰ (to Greek Extended).
_GREEK = (0x370, 0x3FF)
_GREEK_FOLDING_OUT = (0x390, 0x399, 0x39C, 0x3A9, 0x3B0, 0x3B9, 0x3BC, 0x3C9)


def _foreign(cp: int) -> bool:
    if cp < 0x400:
        return _GREEK[0] <= cp <= _GREEK[1] and cp not in _GREEK_FOLDING_OUT
    return not any(lo <= cp <= hi for lo, hi in _SHARED)


def foreign_ranges() -> list[tuple[int, int]]:
    """The code point ranges of ``_foreign`` characters (surrogates left out: never text).
    A text holding none of them cannot match a pattern whose ``foreign`` is true."""
    out, lo = [], _GREEK[0]
    for cp in _GREEK_FOLDING_OUT:
        if lo < cp:
            out.append((lo, cp - 1))
        lo = cp + 1
    out.append((lo, _GREEK[1]))
    lo = 0x400
    for a, b in sorted((*_SHARED, (0xD800, 0xDFFF))):
        if lo < a:
            out.append((lo, a - 1))
        lo = max(lo, b + 1)
    out.append((lo, 0x10FFFF))
    return out


_FOREIGN_RANGES = tuple(foreign_ranges())


def _foreign_range(first: int, last: int) -> bool:
    """Every character from ``first`` to ``last`` is foreign."""
    return any(lo <= first and last <= hi for lo, hi in _FOREIGN_RANGES)


def _needs_foreign(items) -> bool:
    """Whether every match of the parsed sequence holds a character for which ``_foreign``
    is true: one item of the sequence always matches one (a literal, a class of them only,
    a group, alternatives that all do, a repeat at least once of one that does)."""
    for op, av in _data(items):
        if op is C.LITERAL and _foreign(av):
            return True
        if op is C.IN and av and all((o is C.LITERAL and _foreign(a)) or (o is C.RANGE and _foreign_range(*a))
                                     for o, a in av):
            return True
        if op is C.BRANCH and all(_needs_foreign(alt) for alt in av[1]):
            return True
        if op is C.SUBPATTERN and _needs_foreign(av[3]):
            return True
        if op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] >= 1 and _needs_foreign(av[2]):
            return True
    return False


def remember(translations: Iterable[Translation]) -> None:
    """Seed the translation cache (with translations the rule loader kept from a past run)."""
    for t in translations:
        _TRANSLATED.setdefault(t.source, t)


def translate(pattern: str) -> Translation:
    """``pattern`` (Python syntax, matched case-insensitively on normalised text) for RE2.
    Raises PatternError when it cannot be parsed or expressed."""
    t = _TRANSLATED.get(pattern)
    if t is None:
        t = _TRANSLATED[pattern] = _translate(pattern)
    return t


def _translate(pattern: str) -> Translation:
    if len(pattern) > _MAX_PATTERN:
        raise PatternError(f"pattern longer than {_MAX_PATTERN} characters")
    try:
        parsed = P.parse(pattern, 0)
    except Exception as exc:   # re.error and the parser's RecursionError/OverflowError
        raise PatternError(f"invalid pattern: {exc}") from None
    items = parsed.data
    em = _Emitter()
    body = em.seq(items, {O}, {O})
    prefix = _prefix(items)
    loose = _LooseEmitter().seq(prefix, {O}, {O})
    light, light_checks, light_groups = "", (), 0
    if em.lead or em.trail:
        lem = _LightEmitter()
        light, light_checks, light_groups = lem.seq(items, {O}, {O}), tuple(lem.checks), lem.groups
    return Translation(pattern, body, tuple(em.lead), tuple(em.trail), tuple(em.checks), em.groups,
                       _anchored(items), loose, light, light_checks, light_groups, _needs_foreign(prefix))
