"""HTML to blocks: one parse per page, element rules, then trafilatura's extraction.

The page is parsed once (trafilatura's ``load_html``); element rules (CSS selectors for
donation boxes, related-link containers, comment sections, newsletter forms, share bars,
cookie banners) remove their elements from that tree, each reported; trafilatura's
``bare_extraction`` then extracts the article from the pruned tree, comments excluded, links
kept so that the link density of every block is known. The blocks are the children of
``Document.body`` (``head``, ``p``, ``quote``, ``table``...; a ``list`` gives one block per
item). This is the only module that imports trafilatura.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from lxml import etree
from trafilatura import bare_extraction
from trafilatura.settings import Extractor
from trafilatura.utils import load_html
from trafilatura.xml import xmltotxt

from .blocks import Block
from .decode import InputError
from .matching import normalize
from .report import Note, Removal
from .rules import Rule
from .selectors import compile_selector

__all__ = ["HtmlPage", "parse_page", "render_html"]

# an element rule never removes an element holding this share of the page's text
ELEMENT_GUARD_SHARE = 0.5
_OPTIONS = Extractor(output_format="txt", comments=False, links=True, tables=True, formatting=False)
_SPACES = re.compile(r"[^\S\n]+")


@dataclass
class HtmlPage:
    """The extracted article as blocks, plus the element removals made before extraction."""

    blocks: list[Block]
    elements: list[etree._Element]
    body: etree._Element
    removals: list[Removal]
    notes: list[Note]


def _text(el: etree._Element) -> str:
    return normalize("".join(el.itertext()))


def _remove_keep_tail(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def apply_element_rules(tree: etree._Element, rules: Sequence[Rule]) -> tuple[list[Removal], list[Note]]:
    """Remove the elements matched by element rules from ``tree``; report each."""
    removals: list[Removal] = []
    notes: list[Note] = []
    body = tree.find(".//body")
    page_chars = len(_text(body if body is not None else tree)) or 1
    for rule in rules:
        for css in rule.selectors:
            for el in compile_selector(css)(tree):
                if el is tree or el.getroottree().getroot() is not tree:
                    continue  # the root itself, or already removed with an ancestor
                text = _text(el)
                if el.tag in ("html", "body") or (len(text) > 1000 and len(text) / page_chars >= ELEMENT_GUARD_SHARE):
                    notes.append(Note("GUARD", None, f"{rule.code} matched {css!r} but the element holds "
                                      f"{len(text) / page_chars:.0%} of the page's text", text[:200]))
                    continue
                removals.append(Removal(rule.code, rule.name, rule.category, f"element {css}", text,
                                        stage="element"))
                _remove_keep_tail(el)
    return removals, notes


def _link_density(el: etree._Element, text: str) -> float:
    if not text:
        return 0.0
    linked = sum(len(normalize("".join(r.itertext()))) for r in el.iter("ref"))
    return min(1.0, linked / len(text))


def parse_page(html: str, element_rules: Sequence[Rule]) -> HtmlPage:
    """Parse, prune by element rules, extract; raise InputError when there is no article."""
    tree = load_html(html)
    if tree is None:
        raise InputError("not parseable as HTML")
    removals, notes = apply_element_rules(tree, element_rules)
    doc = bare_extraction(tree, options=_OPTIONS)
    if doc is None or doc.body is None:
        raise InputError("no article text found in the HTML")
    if doc.body.text and doc.body.text.strip():  # loose text directly in the body: a block of its own
        loose = etree.Element("p")
        loose.text, doc.body.text = doc.body.text, None
        doc.body.insert(0, loose)
    if len(doc.body) == 0:
        raise InputError("no article text found in the HTML")
    elements: list[etree._Element] = []
    for child in doc.body:
        if child.tag == "list" and len(child):
            elements.extend(child)
        else:
            elements.append(child)
    pairs = [(el, t) for el in elements if (t := _text(el))]
    blocks = [Block(i, t, t, kind=el.tag, link_density=_link_density(el, t)) for i, (el, t) in enumerate(pairs)]
    return HtmlPage(blocks, [el for el, _ in pairs], doc.body, removals, notes)


def render_html(page: HtmlPage, keep: Sequence[bool]) -> str:
    """The kept blocks as text, rendered as trafilatura renders its body (links as text)."""
    for el, k in zip(page.elements, keep):
        if not k:
            _remove_keep_tail(el)
    etree.strip_tags(page.body, "ref")
    lines = (_SPACES.sub(" ", line).strip() for line in xmltotxt(page.body, False).splitlines())
    return "\n".join(line for line in lines if line)
