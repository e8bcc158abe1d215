"""CSS selectors of element rules, compiled once to lxml XPath."""

from __future__ import annotations

from functools import lru_cache

from cssselect import HTMLTranslator
from lxml.etree import XPath

__all__ = ["compile_selector"]

_TRANSLATOR = HTMLTranslator()


@lru_cache(maxsize=None)
def compile_selector(css: str) -> XPath:
    """An lxml XPath for a CSS selector (raises on an invalid selector)."""
    return XPath(_TRANSLATOR.css_to_xpath(css))
