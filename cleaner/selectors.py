"""CSS selectors of element rules, compiled once to lxml XPath, and a cheap test that a
selector cannot match a page (so its XPath, a walk over the whole tree, is skipped)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

from cssselect import HTMLTranslator
from lxml import etree
from lxml.etree import XPath

__all__ = ["AttributeIndex", "compile_selector", "required_names", "requirements"]

_TRANSLATOR = HTMLTranslator()
_NOT = re.compile(r":not\([^()]*\)")
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")
_ATTR = re.compile(r"\[\s*([\w-]+)\s*(?:[~|^$*]?=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\]\s]+))\s*)?\]")
_SHORTHAND = re.compile(r"([#.])([\w-]+)")

Requirement = tuple[str, str | None]  # (attribute, literal its value must contain) or (attribute, None): present


@lru_cache(maxsize=None)
def compile_selector(css: str) -> XPath:
    """An lxml XPath for a CSS selector (raises on an invalid selector)."""
    return XPath(_TRANSLATOR.css_to_xpath(css))


@lru_cache(maxsize=None)
def requirements(css: str) -> tuple[Requirement, ...] | None:
    """What a page must hold somewhere for ``css`` to match: attributes, and literals their
    values contain (``[class*="share"]``, ``#comments``, ``.promo``); ``:not(...)`` parts
    require nothing. None for a selector group (``a, b``), where no single part is required."""
    if "," in _QUOTED.sub("", css):
        return None
    positive = _NOT.sub("", css)
    reqs: list[Requirement] = []
    for name, dq, sq, bare in _ATTR.findall(positive):
        value = dq or sq or bare
        reqs.append((name.lower(), value or None))
    for kind, value in _SHORTHAND.findall(_ATTR.sub("", positive)):
        reqs.append(("id" if kind == "#" else "class", value))
    return tuple(reqs)


@lru_cache(maxsize=None)
def _values_of(name: str) -> XPath:
    return XPath(f"//@{name}", smart_strings=False)


def required_names(selectors: Iterable[str]) -> frozenset[str]:
    """The attribute names the ``selectors`` require (what an AttributeIndex must gather)."""
    return frozenset(name for css in selectors for name, _ in (requirements(css) or ()))


class AttributeIndex:
    """The values of the attributes ``names`` on a page (each gathered by one XPath, in C).
    HTML attribute names are lower case once parsed, as the selectors' requirements are."""

    def __init__(self, tree: etree._Element, names: Iterable[str]):
        self._text = {}
        for name in names:
            values = _values_of(name)(tree)
            if values:
                self._text[name] = "\n".join(values)

    def may_match(self, css: str) -> bool:
        """False when the page lacks something ``css`` requires (then it cannot match)."""
        reqs = requirements(css)
        if reqs is None:
            return True
        for name, literal in reqs:
            text = self._text.get(name)
            if text is None or (literal is not None and literal not in text):
                return False
        return True
