"""HTML to blocks: one parse per page, element rules, then trafilatura's extraction.

The page is parsed once (``htmlload.load_page``); element rules (CSS selectors for hidden
elements, donation boxes, related-link containers, comment sections, newsletter forms,
share bars, cookie banners) remove their elements from that tree, and so do teaser
lists (``cleaner.teasers``), each reported; trafilatura's ``bare_extraction`` then
extracts the article from the pruned tree, comments excluded, links kept so that the
link density of every block is known. The blocks are the children of ``Document.body``
(``head``, ``p``, ``quote``, ``table``...; a ``list`` gives one block per item, a ``div``
kept whole its children, a paragraph with ``<lb/>`` its lines, text loose in the body a
paragraph); the copies of a paragraph the page repeats in a row, which trafilatura drops, are
put back. With ``htmlload``, the only modules that import trafilatura.
"""

from __future__ import annotations

import re
import unicodedata
from copy import deepcopy
from dataclasses import dataclass
from typing import Sequence

from lxml import etree
from trafilatura import bare_extraction
from trafilatura.settings import Extractor
from trafilatura.xml import xmltotxt

from .blocks import Block
from .decode import InputError
from .htmlload import load_page
from .matching import normalize
from .report import Note, Removal
from .rules import Rule
from .selectors import selector_filter
from .teasers import TEASER, teaser_lists


__all__ = ["HtmlPage", "parse_page", "prune", "render_html"]

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


def _attached(el: etree._Element, tree: etree._Element) -> bool:
    """Whether ``el`` is still inside ``tree`` (a removed element keeps its document, and
    ``getroottree()`` still leads to the page: only the ancestors tell)."""
    top = el
    for top in el.iterancestors():
        pass
    return top is tree


class _Pruner:
    """Removes elements from a page, each reported, with the guard: an element holding
    ``ELEMENT_GUARD_SHARE`` of the page's text (over 1000 characters) is kept, in a note."""

    def __init__(self, tree: etree._Element):
        self.tree = tree
        self.removals: list[Removal] = []
        self.notes: list[Note] = []
        self._page_chars = 0   # the page's text: measured when the guard first needs it, removals added back
        self._removed_chars = 0

    def remove(self, el: etree._Element, code: str, name: str, category: str, reason: str, stage: str) -> None:
        if el is self.tree or not _attached(el, self.tree):
            return  # the root itself, or already removed with an ancestor
        text = _text(el)
        whole = el.tag in ("html", "body")
        if (whole or len(text) > 1000) and not self._page_chars:
            body = self.tree.find(".//body")
            self._page_chars = len(_text(body if body is not None else self.tree)) + self._removed_chars or 1
        if whole or (len(text) > 1000 and len(text) / self._page_chars >= ELEMENT_GUARD_SHARE):
            self.notes.append(Note("GUARD", None, f"{code} ({reason}) would remove an element holding "
                                   f"{len(text) / self._page_chars:.0%} of the page's text", text[:200]))
            return
        self.removals.append(Removal(code, name, category, reason, text, stage=stage))
        self._removed_chars += len(text)
        _remove_keep_tail(el)


def prune(tree: etree._Element, rules: Sequence[Rule]) -> tuple[list[Removal], list[Note]]:
    """Remove from ``tree`` the elements matched by element rules, then the teaser lists
    left (``cleaner.teasers``); report each."""
    pruner = _Pruner(tree)
    found = selector_filter(tuple(css for rule in rules for css in rule.selectors)).select(tree)
    for rule in rules:
        for css in rule.selectors:
            for el in found.get(css, ()):
                pruner.remove(el, rule.code, rule.name, rule.category, f"element {css}", "element")
    for el, n in teaser_lists(tree):
        pruner.remove(el, TEASER[0], TEASER[1], "related",
                      f"a list of {n} teasers (a heading linked to another page and a summary each)", "heuristic")
    return pruner.removals, pruner.notes


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


# trafilatura drops a paragraph that repeats the one before it when longer than this (an
# artifact of overlapping candidates, in its view)
REPEAT_MIN_CHARS = 50


_PARAGRAPH_TAGS = ("p", "div", "li")
_NESTED_BLOCKS = frozenset({"p", "div", "li", "ul", "ol", "table", "section", "article", "aside", "header",
                            "footer", "nav", "blockquote", "pre", "form", "h1", "h2", "h3", "h4", "h5", "h6"})


def _paragraph_text(el: etree._Element) -> str | None:
    """The text of a paragraph-like element (a ``<p>``, or a ``<div>``/``<li>`` holding no
    other block: a container repeated twice may be a page's mobile and desktop copies)."""
    if el.tag != "p" and any(d.tag in _NESTED_BLOCKS for d in el.iterdescendants()):
        return None
    return _text(el)


def repeated_runs(tree: etree._Element) -> dict[str, int]:
    """Paragraphs the page itself repeats: the text of each run of adjacent sibling
    paragraphs of one tag with the same text (over REPEAT_MIN_CHARS), and the length of
    its longest run."""
    runs: dict[str, int] = {}
    for el in tree.iter(*_PARAGRAPH_TAGS):
        prev = el.getprevious()
        # same tag, as many children, same leading text (the first child's too): cheap
        # tests before the whole text
        if (prev is None or prev.tag != el.tag or len(prev) != len(el) or prev.text != el.text
                or (len(el) and prev[0].text != el[0].text)):
            continue
        text = _paragraph_text(el)
        if text is None or len(text) <= REPEAT_MIN_CHARS or _paragraph_text(prev) != text:
            continue
        n = 2
        back = prev.getprevious()
        while back is not None and back.tag == el.tag and _paragraph_text(back) == text:
            n += 1
            back = back.getprevious()
        runs[text] = max(runs.get(text, 0), n)
    return runs


def restore_repeats(elements: list[etree._Element], texts: list[str], runs: dict[str, int]
                    ) -> tuple[list[etree._Element], list[str], list[Note]]:
    """Put back the copies of a repeated paragraph that extraction dropped: a run of ``n``
    identical paragraphs in the page comes out as ``n`` blocks, each reported in a note."""
    out_el: list[etree._Element] = []
    out_tx: list[str] = []
    notes: list[Note] = []
    i = 0
    while i < len(elements):
        text = texts[i]
        j = i + 1
        while j < len(elements) and texts[j] == text:
            j += 1
        out_el += elements[i:j]
        out_tx += texts[i:j]
        missing = runs.get(text, 0) - (j - i)
        if missing > 0:
            last = elements[j - 1]
            for _ in range(missing):
                copy = deepcopy(last)
                copy.tail = None
                last.addnext(copy)
                last = copy
                out_el.append(copy)
                out_tx.append(text)
            notes.append(Note("REPEAT", None, f"the page repeats this paragraph {runs[text]} times in a row; "
                              f"extraction kept {j - i}, the {missing} other(s) are restored", text[:200]))
        i = j
    return out_el, out_tx, notes


def _unlink_running_text(tree: etree._Element) -> None:
    """A link inside a line of running text loose in a container ("<div>… text <a>link</a>
    text<br>…</div>") becomes plain text. With links kept, trafilatura takes such a line
    apart at the link and trims the text after it, which glues two words ("a diaper</a>
    from" -> "diaperfrom"); as plain text the line stays whole. Left alone: links in a
    paragraph (trafilatura keeps those lines whole), a link after a block element (the
    text after a block is kept only as the link's tail), and the links of a container
    whose links hold as many words as its own text (a list of links, "alice, bob, carol",
    which trafilatura's link-density tests must still see)."""
    inline: dict[etree._Element, list[etree._Element]] = {}   # links with text beside them, by container
    for a in tree.iter("a"):
        parent = a.getparent()
        if parent is None or parent.tag == "p":
            continue
        prev = a.getprevious()
        if prev is not None and not (isinstance(prev.tag, str) and prev.tag in _LINE_ELEMENTS):
            continue
        before = prev.tail if prev is not None else parent.text
        if (before and not before.isspace()) or (a.tail and not a.tail.isspace()):
            inline.setdefault(parent, []).append(a)
    unlinked = False
    for parent, links in inline.items():
        own = _words(" ".join(filter(None, [parent.text, *(c.tail for c in parent)])))
        if own > sum(_words(" ".join(a.itertext())) for a in parent if a.tag == "a"):
            for a in links:
                a.tag = "cleaner-unlinked"
            unlinked = True
    if unlinked:
        etree.strip_tags(tree, "cleaner-unlinked")


def _words(text: str) -> int:
    return len(_WORD.findall(text))


_WORD = re.compile(r"\w+")
# elements inside a line of text (and the line break that ends one)
_LINE_ELEMENTS = frozenset({"a", "abbr", "b", "bdi", "bdo", "big", "br", "cite", "code", "data", "del", "dfn", "em",
                            "font", "i", "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strike", "strong",
                            "sub", "sup", "time", "tt", "u", "var"})


def _wrap_loose_text(body: etree._Element) -> None:
    """Text directly in the body (before its first element, or after one: a dateline
    between two paragraphs) becomes a paragraph of its own, a block the rules see."""
    if body.text and body.text.strip():
        loose = etree.Element("p")
        loose.text, body.text = body.text, None
        body.insert(0, loose)
    for child in list(body):
        if child.tail and child.tail.strip():
            loose = etree.Element("p")
            loose.text, child.tail = child.tail, None
            child.addnext(loose)


def parse_page(html: str, element_rules: Sequence[Rule]) -> HtmlPage:
    """Parse, prune by element rules, extract; raise InputError when there is no article."""
    tree = load_page(html)
    titles = page_titles(tree)
    removals, notes = prune(tree, element_rules)
    runs = repeated_runs(tree)
    _unlink_running_text(tree)
    doc = bare_extraction(tree, options=_OPTIONS)
    if doc is None or doc.body is None:
        raise InputError("no article text found in the HTML")
    _wrap_loose_text(doc.body)
    if len(doc.body) == 0:
        raise InputError("no article text found in the HTML")
    elements = [el for child in list(doc.body) for el in block_elements(child)]
    pairs = [(el, t) for el in elements if (t := _text(el))]
    kept, texts = [el for el, _ in pairs], [t for _, t in pairs]
    if runs:
        kept, texts, restored = restore_repeats(kept, texts, runs)
        notes = notes + restored
    blocks = [Block(i, t, t, kind=el.tag, link_density=_link_density(el, t))
              for i, (el, t) in enumerate(zip(kept, texts))]
    return HtmlPage(blocks, kept, doc.body, removals, notes, titles)


def render_html(page: HtmlPage, keep: Sequence[bool]) -> str:
    """The kept blocks as text, rendered as trafilatura renders its body (links as text),
    in Unicode NFC as trafilatura's ``extract`` gives it."""
    for el, k in zip(page.elements, keep):
        if not k:
            _remove_keep_tail(el)
    etree.strip_tags(page.body, "ref")
    lines = (_SPACES.sub(" ", line).strip() for line in xmltotxt(page.body, False).splitlines())
    return unicodedata.normalize("NFC", "\n".join(line for line in lines if line))
