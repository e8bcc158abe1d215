"""Teaser lists in an HTML page: the other articles a page links to, each as a linked
headline and a summary (a news feed beside or under the article, "more from the site"
grids, related-post cards). Extractors keep the summaries: they are paragraphs of prose,
and nothing in the text tells them from the article's own.

A teaser is an element holding exactly one heading (``h2``-``h5``), whose text is mostly
link text (of a link to another page: not an anchor in this one), and a summary paragraph. A
teaser list is an element at least ``MIN_ITEMS`` of whose children, and ``ITEM_SHARE``
of its element children, are teasers. An article's sections (headings that link to
themselves, or to nothing) and a listicle's items (headings without links) are not.
"""

from __future__ import annotations

from collections import defaultdict

from lxml import etree

__all__ = ["TEASER", "teaser_lists"]

TEASER = ("TL01", "teaser-list")
MIN_ITEMS = 3
ITEM_SHARE = 0.6
SUMMARY_MIN_CHARS = 40
LINKED_SHARE = 0.5
HEADINGS = ("h2", "h3", "h4", "h5")


def _words(el: etree._Element) -> str:
    return " ".join("".join(el.itertext()).split())


def _away(a: etree._Element) -> bool:
    """A link to another page (not an anchor in this one, not a script)."""
    href = (a.get("href") or "").strip()
    return bool(href) and not href.startswith(("#", "javascript:"))


def _linked(heading: etree._Element) -> bool:
    """Most of the heading's text (``LINKED_SHARE``; the rest a kicker: "Editorial") is
    the text of links to other pages, or the heading stands inside such a link (a card)."""
    text = _words(heading)
    if not text:
        return False
    if any(a.tag == "a" and _away(a) for a in heading.iterancestors()):
        return True
    linked = " ".join(t for a in heading.iter("a") if _away(a) for t in a.itertext())
    return len(" ".join(linked.split())) >= LINKED_SHARE * len(text)


def _has_summary(item: etree._Element) -> bool:
    return any(len(_words(p)) >= SUMMARY_MIN_CHARS for p in item.iter("p"))


def teaser_lists(tree: etree._Element) -> list[tuple[etree._Element, int]]:
    """The outermost teaser lists of ``tree`` in document order, each with its number of
    teasers."""
    headings: dict[etree._Element, int] = defaultdict(int)   # element -> headings inside it
    linked: set[etree._Element] = set()    # elements holding a heading linked elsewhere
    for h in tree.iter(*HEADINGS):
        away = _linked(h)
        for el in (h, *h.iterancestors()):
            headings[el] += 1
            if away:
                linked.add(el)
    items: dict[etree._Element, list[etree._Element]] = defaultdict(list)
    for el in linked:
        parent = el.getparent()
        if headings[el] == 1 and parent is not None:
            items[parent].append(el)
    found = []
    for parent, candidates in items.items():
        if len(candidates) < MIN_ITEMS:
            continue
        teasers = [el for el in candidates if _has_summary(el)]
        children = sum(1 for c in parent if isinstance(c.tag, str))
        if len(teasers) >= MIN_ITEMS and len(teasers) >= ITEM_SHARE * children:
            found.append((parent, len(teasers)))
    chosen = {el for el, _ in found}
    order = {el: i for i, el in enumerate(tree.iter())} if len(found) > 1 else {}
    outer = [(el, n) for el, n in found if not any(a in chosen for a in el.iterancestors())]
    return sorted(outer, key=lambda f: order.get(f[0], 0))
