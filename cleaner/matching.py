"""Block rules compiled into one linear-time matcher (RE2).

Patterns see a block's text with every whitespace run (NBSP and other Unicode spaces
included) collapsed to a single space and stripped, so ``^``/``$`` anchor at the block's
edges and a literal space in a pattern matches any whitespace. Matching is
case-insensitive, and ``\\b``, ``\\w``, ``\\s``, ``\\d`` keep Python's Unicode meaning
(word edges hold for Cyrillic and accented letters; see ``cleaner.patterns``).

Every pattern runs on RE2, whose time is linear in the text whatever the pattern: no user
rule can stall a run. The blocks of a document are searched at once, their normalised
texts joined by ``\\n``: a scan with a few ``RE2::Set``s (each pattern loosened into a
superset that compiles and scans fast: a prefix of it, without word edges or Unicode
classes; see ``cleaner.patterns``) tells which patterns can match anywhere in the
document; only the rules of those patterns are then searched, exactly (with only those
patterns), and their exceptions tried on the blocks they hit. Exact regexes are compiled on first use, so start-up compiles the sets only.

What RE2 cannot say (a word edge at the match's outside, an edge between characters the
pattern leaves open, a lookaround) is checked after a match at the position an empty group
marks (``cleaner.patterns.Check``). A failed check moves the search on by one character a
bounded number of times per block; then an edge at the match's outside goes to the strict
regex (edges consuming their neighbour), and any other check gives the block up (no match
there). So a rule costs a bounded number of linear scans per block.

Entry points: ``hits(norm)`` for one block, ``hits_by_block(norms)`` for the blocks of one
document at once (the fast path: one scan per document instead of one per block).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from typing import Sequence

from .patterns import Check, PatternError, Translation, foreign_ranges, remember, translate
from .rules import Rule, RuleError

__all__ = ["BlockMatcher", "Hit", "normalize"]


_ICONS = re.compile("[\ue000-\uf8ff]+")   # the Private Use Area: icon fonts' glyphs, never text


def normalize(text: str) -> str:
    """The form rules match: Unicode NFC (a "ü" typed as "u" plus a combining diaeresis
    is one character, as in the rules), icon-font glyphs (Private Use Area) read as
    spaces, whitespace runs (Unicode spaces included) collapsed to one space, stripped."""
    if not text.isascii():
        text = _ICONS.sub(" ", unicodedata.normalize("NFC", text))
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class Hit:
    """A block rule that matched a block, and the text it matched."""

    rule: Rule
    matched: str


_RETRIES = 8          # per rule and block, when a post-match check fails on an unanchored pattern
_LEAD_RETRIES = 64    # per rule and block, failed "lead" edges before the strict regex takes over
_SET_SIZE = 500       # patterns to a set at most: at 822 anchored patterns in one set, the DFA
                      # outgrew _MAX_MEM on the corpora and scanned 25 times slower (2 s, not 0.08)
_MAX_MEM = 64 << 20   # per RE2 object: at 8 or 32 MB the set scan's DFA cache thrashes on news text
_UNSET = (-1, -1)


def _re2():
    import re2
    from re2 import _re2 as low

    return re2, low


def _options():
    re2, _ = _re2()
    opts = re2.Options()
    opts.max_mem = _MAX_MEM
    opts.log_errors = False
    return opts


class _Exact:
    """Some of a rule's patterns (or exceptions) as one RE2 regex, with what to do after a
    match. ``strict``: edges at the match's outside consume their neighbour (exact, slow to
    compile); otherwise they are checked after the match (see patterns._LightEmitter)."""

    __slots__ = ("rx", "lead", "trail", "checks", "anchored", "light")

    def __init__(self, trs: Sequence[Translation], opts, strict: bool):
        _, low = _re2()
        parts, lead, trail, checks = [], [], [], []
        offset = 0
        self.light = False
        for t in trs:
            if not strict and t.light:
                self.light = True
                parts.append("(?:" + t.light + ")")
                checks += [Check(c.group + offset, c.kind, c.positive, c.body, c.width) for c in t.light_checks]
                offset += t.light_groups
                continue
            parts.append("(?:" + t.pattern + ")")
            lead += [g + offset for g in t.lead]
            trail += [g + offset for g in t.trail]
            checks += [Check(c.group + offset, c.kind, c.positive, c.body, c.width) for c in t.checks]
            offset += t.groups
        self.rx = low.RE2(("(?im)" + "|".join(parts)).encode(), opts)
        if not self.rx.ok():
            raise PatternError(self.rx.error().decode(errors="replace"))
        self.lead, self.trail, self.checks = lead, trail, checks
        self.anchored = all(t.anchored for t in trs)


class BlockMatcher:
    """All block rules of a rule set, compiled once (the exact regexes lazily)."""

    def __init__(self, rules: Sequence[Rule]):
        self.rules = [r for r in rules if r.scope == "block"]
        self._trs: list[tuple[list[Translation], list[Translation]]] = []
        for r in self.rules:
            try:
                self._trs.append(([translate(p) for p in r.patterns], [translate(p) for p in r.exceptions]))
            except PatternError as exc:
                raise RuleError(f"{r.source}: rule {r.code}: {exc}") from None
        self._exact: dict[tuple[int, tuple[int, ...] | None], _Exact] = {}
        self._sets: dict[bool, list[tuple[object, list[tuple[int, int]]]] | None] = {}   # by foreign
        self._groups: dict[bool, tuple[list[tuple[int, int]], list[tuple[int, int]]]] = {}
        self._bodies: dict[str, object] = {}
        self._foreign_rx = None   # finds a character of another script (patterns.foreign_ranges)
        self._opts = None
        self._compiled = False

    def __reduce__(self):
        # rebuilt in the worker from its rules; their translations travel along, so a fresh
        # (spawned) process does not translate every pattern again
        return (_rebuild, (self.rules, [t for pats, excs in self._trs for t in pats + excs]))

    # ------------------------------------------------------------ compiling
    def _compile_set(self):
        """The prefilter: the patterns' loose forms in RE2 sets, those anchored at the block
        start apart from the others (and at most _SET_SIZE to a set). On the corpora one set
        for all took about three times as long to warm up (its DFA states hold every
        pattern) and scanned no faster than the two; three sets scanned slower. A group over
        _SET_SIZE patterns is split in even parts: a set's lazy DFA that outgrows its memory
        is rebuilt again and again, which is far slower than one more scan. The patterns
        that only match text of another script (``Translation.foreign``: Cyrillic, Arabic,
        CJK...) have sets of their own, compiled when the first such document comes and
        scanned on such documents only: rules for more scripts cost a Latin text nothing."""
        self._opts = _options()
        groups: dict[bool, tuple[list[tuple[int, int]], list[tuple[int, int]]]] = {False: ([], []), True: ([], [])}
        for i, (pats, _) in enumerate(self._trs):
            for j, t in enumerate(pats):
                anchored, floating = groups[t.foreign]
                (anchored if t.loose.startswith("^") else floating).append((i, j))
        self._groups = groups
        self._sets = {False: self._build_sets(*groups[False]), True: None}
        self._compiled = True

    def _build_sets(self, *groups: list[tuple[int, int]]) -> list[tuple[object, list[tuple[int, int]]]]:
        re2, low = _re2()
        sets = []
        for group in groups:
            parts = -(-len(group) // _SET_SIZE)             # as few sets as _SET_SIZE allows,
            size = -(-len(group) // parts) if parts else 1   # of even sizes
            for k in range(0, len(group), size):
                entries = group[k:k + size]
                s = low.Set(re2._Anchor.UNANCHORED, self._opts)
                for i, j in entries:
                    t = self._trs[i][0][j]
                    if s.Add(("(?im)" + t.loose).encode()) < 0:
                        r = self.rules[i]
                        raise RuleError(f"{r.source}: rule {r.code}: pattern {t.source!r} cannot be compiled by RE2")
                if not s.Compile():
                    raise RuleError("the block rules cannot be compiled together by RE2 (out of memory)")
                sets.append((s, entries))
        return sets

    def _sets_for(self, text: str, doc: bytes) -> list[tuple[object, list[tuple[int, int]]]]:
        """The sets to scan ``doc`` (``text`` encoded) with: those of the other scripts'
        patterns too when it holds a character of another script (an RE2 scan: Python's
        ``re`` took 0.1 s over the corpora's 8 MB)."""
        if text.isascii():
            return self._sets[False]
        re2, low = _re2()
        if self._foreign_rx is None:
            ranges = "".join(f"\\x{{{lo:x}}}-\\x{{{hi:x}}}" for lo, hi in foreign_ranges())
            self._foreign_rx = low.RE2(f"[{ranges}]".encode(), self._opts)
        if self._foreign_rx.Match(re2._Anchor.UNANCHORED, doc, 0, len(doc))[0] == _UNSET:
            return self._sets[False]
        foreign = self._sets[True]
        if foreign is None:
            foreign = self._sets[True] = self._build_sets(*self._groups[True])
        return self._sets[False] + foreign

    def _rule_rx(self, i: int, exceptions: bool, which: tuple[int, ...], strict: bool = False) -> _Exact:
        """Rule ``i``'s patterns (or exceptions) numbered ``which`` in the rule's order, as
        one regex (for patterns: those the set scan saw; the others cannot match)."""
        key = (i, exceptions, which, strict)
        ex = self._exact.get(key)
        if ex is None:
            r = self.rules[i]
            trs = self._trs[i][1 if exceptions else 0]
            try:
                ex = _Exact([trs[j] for j in which], self._opts, strict)
            except PatternError as exc:
                raise RuleError(f"{r.source}: rule {r.code}: RE2 cannot compile the "
                                f"{'exceptions' if exceptions else 'patterns'}: {exc}") from None
            self._exact[key] = ex
        return ex

    def _body(self, body: str):
        rx = self._bodies.get(body)
        if rx is None:
            _, low = _re2()
            rx = low.RE2(("(?im)" + body).encode(), self._opts)
            self._bodies[body] = rx
        return rx

    # ------------------------------------------------------------ matching
    def hits(self, text: str) -> list[Hit]:
        """Every rule whose patterns match ``text`` (normalized) and whose exceptions do not."""
        return self.hits_by_block([text]).get(0, [])

    def hits_by_block(self, texts: Sequence[str]) -> dict[int, list[Hit]]:
        """The hits of every text (normalized blocks of one document), by index; texts
        without hits are left out. Rules come in rule-set order, as ``hits`` gives them."""
        if not self.rules or not texts:
            return {}
        if not self._compiled:
            self._compile_set()
        text = "\n".join(texts) if len(texts) > 1 else texts[0]
        doc = text.encode("utf-8")
        fired = [entries[k] for s, entries in self._sets_for(text, doc) for k in s.Match(doc)]
        if not fired:
            return {}
        starts = [0]
        if len(texts) > 1:
            pos = doc.find(b"\n")
            while pos >= 0:
                starts.append(pos + 1)
                pos = doc.find(b"\n", pos + 1)
        by_rule: dict[int, list[int]] = {}
        for i, j in sorted(fired):
            by_rule.setdefault(i, []).append(j)
        out: dict[int, list[Hit]] = {}
        for i, which in by_rule.items():
            rule = self.rules[i]
            found = self._first_matches(i, False, tuple(which), doc, starts)
            if found and rule.exceptions:
                every = tuple(range(len(rule.exceptions)))
                found = {b: m for b, m in found.items()
                         if not self._first_matches(i, True, every, doc, starts, only=b)}
            for b, (_, m) in found.items():
                out.setdefault(b, []).append(Hit(rule, m))
        return {b: out[b] for b in sorted(out)}

    def _first_matches(self, i: int, exceptions: bool, which: tuple[int, ...], doc: bytes,
                       starts: list[int], only: int | None = None) -> dict[int, tuple[int, str]]:
        """The first match (start, text) of rule ``i``'s patterns (or exceptions) ``which``
        in each block (or in block ``only``)."""
        found, doubtful, strict = self._search(self._rule_rx(i, exceptions, which), doc, starts, only)
        for b in strict - found.keys():   # a trailing edge failed its check: the strict regex decides
            f, d, _ = self._search(self._rule_rx(i, exceptions, which, strict=True), doc, starts, b)
            found.update(f)
            doubtful |= d
        if len(which) > 1:
            # a check after the match failed on the path RE2 chose through the patterns:
            # another pattern may still match there; try them one by one
            for b in doubtful - found.keys():
                tries = [self._search(self._rule_rx(i, exceptions, (j,), strict=True), doc, starts, b)[0].get(b)
                         for j in which]
                tries = [t for t in tries if t is not None]
                if tries:
                    found[b] = min(tries, key=lambda t: t[0])
        return found

    def _search(self, ex: _Exact, doc: bytes, starts: list[int], only: int | None = None
                ) -> tuple[dict[int, tuple[int, str]], set[int], set[int]]:
        """The first match (start, text) of ``ex`` in each block (or in block ``only``);
        the blocks where a check after a match failed; the blocks to search again with the
        strict regex (a failed "trail" check, or too many failed "lead" checks)."""
        re2, _ = _re2()
        unanchored = re2._Anchor.UNANCHORED
        n = len(doc)
        found: dict[int, tuple[int, str]] = {}
        doubtful: set[int] = set()
        strict: set[int] = set()
        block = 0 if only is None else only
        pos = starts[block]
        end = n if only is None else (starts[only + 1] - 1 if only + 1 < len(starts) else n)
        failures = leads = 0
        while pos <= end:
            spans = ex.rx.Match(unanchored, doc, pos, end)
            s, e = spans[0]
            if s < 0:
                break
            for g in ex.lead:
                if spans[g] != _UNSET and spans[g][0] == s:
                    s = spans[g][1]
            for g in ex.trail:
                if spans[g] != _UNSET and spans[g][1] == e:
                    e = spans[g][0]
            b = bisect_right(starts, s) - 1
            b_end = starts[b + 1] - 1 if b + 1 < len(starts) else n
            if b != block:
                block, failures, leads = b, 0, 0
            failed = self._failed_check(ex, doc, spans, starts[b], b_end) if ex.checks else None
            if failed is None:
                found[b] = (s, doc[s:e].decode("utf-8"))
                pos = b_end + 1       # the first match of a block is the one reported
                continue
            if failed.kind == "lead" and leads < _LEAD_RETRIES:
                leads += 1            # no match starts here: go on one character later
            elif failed.kind in ("lead", "trail"):
                strict.add(b)
                pos = b_end + 1
                continue
            else:
                doubtful.add(b)
                failures += 1
                if ex.anchored or failures > _RETRIES:
                    pos = b_end + 1
                    continue
            pos = spans[0][0] + 1
            while pos < n and doc[pos] & 0xC0 == 0x80:
                pos += 1
        return found, doubtful, strict

    def _failed_check(self, ex: _Exact, doc: bytes, spans, b_start: int, b_end: int) -> Check | None:
        """The first check of ``ex`` that does not hold for this match, or None."""
        re2, _ = _re2()
        for c in ex.checks:
            span = spans[c.group]
            if span == _UNSET:
                continue
            p = span[0]
            if c.kind in ("edge", "lead", "trail"):
                ok = _word_before(doc, p, b_start) != _word_at(doc, p, b_end)
                if not c.positive:
                    ok = not ok
            elif c.kind == "ahead":
                got = self._body(c.body).Match(re2._Anchor.ANCHOR_START, doc, p, b_end)[0] != _UNSET
                ok = got == c.positive
            else:
                before = doc[b_start:p].decode("utf-8")
                if len(before) < c.width:
                    got = False
                else:
                    q = p - len(before[len(before) - c.width:].encode("utf-8"))
                    got = self._body(c.body).Match(re2._Anchor.ANCHOR_BOTH, doc, q, p)[0] != _UNSET
                ok = got == c.positive
            if not ok:
                return c
        return None


def _rebuild(rules: list[Rule], translations: list[Translation]) -> BlockMatcher:
    remember(translations)
    return BlockMatcher(rules)


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _word_before(doc: bytes, p: int, b_start: int) -> bool:
    if p <= b_start:
        return False
    ch = doc[max(b_start, p - 4):p].decode("utf-8", "ignore")[-1:]
    return _is_word(ch)


def _word_at(doc: bytes, p: int, b_end: int) -> bool:
    if p >= b_end:
        return False
    return _is_word(doc[p:p + 4].decode("utf-8", "ignore")[:1])
