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
from copy import deepcopy
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
from .selectors import AttributeIndex, compile_selector


# --------------------------------------------------------------------------- loading
# trafilatura's extraction grows faster than the page (paragraphs only: 5 MB 3.72 s, 10 MB
# 13.08 s, 20 MB 35.06 s, 50 MB 454.99 s and 1.5 GB), scripts and styles aside (dropped at
# once): a page with more markup and text than MAX_HTML_CHARS, or bigger than
# MAX_HTML_RAW_CHARS in all, is refused before parsing
MAX_HTML_CHARS = 5_000_000
MAX_HTML_RAW_CHARS = 30_000_000
_SKIPPED = {"<script": "</script", "<style": "</style", "<!--": "-->"}
# libxml2's HTML parser stops at this nesting depth and drops the rest of the page
MAX_DEPTH = 255
_TOO_DEEP = etree.XPath("/*" + "/*" * (MAX_DEPTH - 1))
_XML_DECLARATION = re.compile(r"^\ufeff?\s*<\?xml[^>]*>", re.I)
_SURROGATE = re.compile("[\ud800-\udfff]")
_NOT_TEXT = frozenset({"script", "style", "noscript", "template"})
_INLINE = frozenset({"a", "b", "i", "u", "s", "em", "strong", "span", "font", "small", "big", "sub", "sup",
                     "code", "tt", "mark", "abbr", "cite", "q", "label", "nobr"})


def _parse(html: str) -> etree._Element | None:
    tree = load_html(html)
    if tree is None or tree.tag != "html":  # a fragment ("<p>..</p>", "<body>..</body>"): give it a page
        tree = load_html(f"<html><body>{html}</body></html>")
    return tree


def _deep_tags(tree: etree._Element) -> set[str]:
    """The tags nested down to the parser's depth limit (empty when the page is shallower)."""
    deepest = _TOO_DEEP(tree)
    if not deepest:
        return set()
    return {str(el.tag) for el in deepest[0].iterancestors()} - {"html", "body"} | {str(deepest[0].tag)}


def _flatten(html: str, tags: set[str]) -> str:
    """The page without the tags of ``tags``, their text kept: a run of them becomes one
    line break (nothing when they are all inline tags)."""
    names = "|".join(sorted(re.escape(t) for t in tags))
    run = re.compile(rf"(?:</?(?:{names})(?=[\s/>])[^>]*>\s*)+", re.I)
    tag = re.compile(r"</?\s*([a-zA-Z0-9]+)")
    return run.sub(lambda m: "" if {t.lower() for t in tag.findall(m.group())} <= _INLINE else "<br>", html)


def _has_text(body: etree._Element) -> bool:
    for el in body.iter():
        if el.tag not in _NOT_TEXT and el.text and el.text.strip():
            return True
        if el is not body and el.tail and el.tail.strip():
            return True
    return False


def content_chars(html: str) -> int:
    """Characters of the page outside scripts, styles and comments (one linear scan)."""
    lower = html.lower()
    following = {o: lower.find(o) for o in _SKIPPED}
    skipped = 0
    while live := [(at, o) for o, at in following.items() if at != -1]:
        at, opening = min(live)
        end = lower.find(_SKIPPED[opening], at + len(opening))
        end = len(lower) if end == -1 else end + len(_SKIPPED[opening])
        skipped += end - at
        for o, pos in following.items():
            if pos != -1 and pos < end:
                following[o] = lower.find(o, end)
    return len(html) - skipped


def _check_size(html: str) -> None:
    if len(html) > MAX_HTML_RAW_CHARS:
        raise InputError(f"HTML page too large: {len(html):,} characters, over the limit of {MAX_HTML_RAW_CHARS:,}")
    if len(html) > MAX_HTML_CHARS and (n := content_chars(html)) > MAX_HTML_CHARS:
        raise InputError(f"HTML page too large: {n:,} characters of markup and text (scripts and styles not "
                         f"counted), over the limit of {MAX_HTML_CHARS:,}")


def load_page(html: str) -> etree._Element:
    """trafilatura's ``load_html``, made safe for bad pages: too big (``MAX_HTML_CHARS`` of
    markup and text, ``MAX_HTML_RAW_CHARS`` in all) is refused; an XML declaration is
    dropped; a fragment gets a page around it; nesting that reaches libxml2's depth limit
    (where the parser drops the rest of the page) is flattened (the nested tags removed,
    their text kept); a page without a body, or whose body holds only scripts and
    styles, is refused. Raises InputError."""
    _check_size(html)
    if _SURROGATE.search(html):
        raise InputError("lone surrogates (U+D800-U+DFFF) in the HTML: not valid Unicode text")
    html = _XML_DECLARATION.sub("", html, count=1)
    tree = _parse(html)
    for _ in range(3):
        tags = _deep_tags(tree) if tree is not None else set()
        if not tags:
            break
        html = _flatten(html, tags)
        tree = _parse(html)
    else:
        if tree is not None and _deep_tags(tree):
            raise InputError(f"HTML nested deeper than {MAX_DEPTH} levels, even with its nested tags removed")
    if tree is None:
        raise InputError("not parseable as HTML")
    body = tree.find("body")
    if body is None:
        raise InputError("no text in the HTML: it has no body")
    if not _has_text(body):
        raise InputError("no text in the HTML: its body is empty or holds only scripts and styles")
    return tree

__all__ = ["HtmlPage", "parse_page", "render_html"]

# an element rule never removes an element holding this share of the page's text
ELEMENT_GUARD_SHARE = 0.5
_OPTIONS = Extractor(output_format="txt", comments=False, links=True, tables=True, formatting=False)
_SPACES = re.compile(r"[^\S\n]+")
BREAK_SPLIT_TAGS = frozenset({"p", "item", "quote"})
BLOCK_TAGS = frozenset({"p", "head", "list", "quote", "table", "div", "code"})


@dataclass
class HtmlPage:
    """The extracted article as blocks, plus the element removals made before extraction."""

    blocks: list[Block]
    elements: list[etree._Element]
    body: etree._Element
    removals: list[Removal]
    notes: list[Note]
    titles: tuple[str, ...] = ()


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
    index = AttributeIndex(tree)
    for rule in rules:
        for css in rule.selectors:
            if not index.may_match(css):
                continue
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


_TITLES = etree.XPath('//head/title/text() | //meta[@property="og:title" or @name="twitter:title"]/@content')


def page_titles(tree: etree._Element) -> tuple[str, ...]:
    """The page's own titles: ``<title>``, ``og:title``, ``twitter:title``."""
    return tuple(dict.fromkeys(t for t in (normalize(str(v)) for v in _TITLES(tree)) if t))


def block_elements(el: etree._Element) -> list[etree._Element]:
    """The elements that are blocks: a list gives its items, a ``div`` that trafilatura kept
    whole gives its children, a paragraph with line breaks gives its lines."""
    if el.tag == "list" and len(el):
        return [part for item in list(el) for part in split_at_breaks(item)]
    if el.tag == "div" and any(child.tag in BLOCK_TAGS for child in el):
        return [part for child in list(el) for part in block_elements(child)]
    return split_at_breaks(el)


def split_at_breaks(el: etree._Element) -> list[etree._Element]:
    """A paragraph or item whose lines are separated by ``<lb/>`` (``<br>`` in the page) becomes
    one sibling element per line, so that a rule can remove one line (a "Read also" link at the
    end of the last paragraph) without the rest. Rendered, the lines come out as before."""
    if el.tag not in BREAK_SPLIT_TAGS or el.find("lb") is None:
        return [el]
    parts: list[etree._Element] = []
    current = etree.Element(el.tag, el.attrib)
    current.text = el.text
    for child in list(el):
        if child.tag == "lb":
            parts.append(current)
            current = etree.Element(el.tag, el.attrib)
            current.text = child.tail
        else:
            current.append(deepcopy(child))  # a copy (its tail with it): ``el`` stays whole until replaced
    parts.append(current)
    parts = [p for p in parts if _text(p)]
    if len(parts) < 2:
        return [el]
    parent = el.getparent()
    at = parent.index(el)
    tail = el.tail
    parent.remove(el)
    for offset, part in enumerate(parts):
        parent.insert(at + offset, part)
    parts[-1].tail = tail
    return parts


def parse_page(html: str, element_rules: Sequence[Rule]) -> HtmlPage:
    """Parse, prune by element rules, extract; raise InputError when there is no article."""
    tree = load_page(html)
    titles = page_titles(tree)
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
    elements = [el for child in list(doc.body) for el in block_elements(child)]
    pairs = [(el, t) for el in elements if (t := _text(el))]
    blocks = [Block(i, t, t, kind=el.tag, link_density=_link_density(el, t)) for i, (el, t) in enumerate(pairs)]
    return HtmlPage(blocks, [el for el, _ in pairs], doc.body, removals, notes, titles)


def render_html(page: HtmlPage, keep: Sequence[bool]) -> str:
    """The kept blocks as text, rendered as trafilatura renders its body (links as text)."""
    for el, k in zip(page.elements, keep):
        if not k:
            _remove_keep_tail(el)
    etree.strip_tags(page.body, "ref")
    lines = (_SPACES.sub(" ", line).strip() for line in xmltotxt(page.body, False).splitlines())
    return "\n".join(line for line in lines if line)
