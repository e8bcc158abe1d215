"""Loading an HTML page safely: size caps, fragments, XML declarations, nesting deeper than
the parser's limit (flattened, text kept), pages with no body or no text."""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HtmlProcessingInstruction, fromstring
from trafilatura.utils import is_dubious_html, repair_faulty_html

from .decode import InputError

__all__ = ["MAX_HTML_CHARS", "MAX_HTML_RAW_CHARS", "content_chars", "load_page"]

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
_NOT_TEXT = frozenset({"script", "style", "noscript", "template"})
_INLINE = frozenset({"a", "b", "i", "u", "s", "em", "strong", "span", "font", "small", "big", "sub", "sup",
                     "code", "tt", "mark", "abbr", "cite", "q", "label", "nobr"})


# trafilatura's parser settings, with lxml's class lookup in C: lxml.html's own lookup is
# a Python call each time an element is touched from Python (by trafilatura or by us),
# about 4% of the time of cleaning a page. The classes are lxml.html's, so the tree is
# an HtmlElement tree as trafilatura requires (form elements lose their form helpers,
# which neither uses).
_PARSER = etree.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True,
                           remove_pis=True)
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity))


def load_html(html: str) -> HtmlElement | None:
    """trafilatura's ``load_html`` for a str, with ``_PARSER``: the same repairs, the same
    fallback to bytes, the same refusal of a text that does not look like HTML."""
    beginning = html[:50].lower()
    html = repair_faulty_html(html, beginning)
    tree = None
    try:
        tree = fromstring(html, parser=_PARSER)
    except ValueError:   # "Unicode strings with encoding declaration are not supported"
        pass
    except etree.LxmlError:
        return None
    if tree is None or len(tree) < 1:
        try:
            tree = fromstring(html.encode("utf-8", "surrogatepass"), parser=_PARSER)
        except (ValueError, etree.LxmlError):
            return None
    if is_dubious_html(beginning) and len(tree) < 2:
        return None
    return tree


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
    if not html.isascii():
        try:
            html.encode("utf-8")    # a C pass: a tenth of the time of a regex search
        except UnicodeEncodeError:
            raise InputError("lone surrogates (U+D800-U+DFFF) in the HTML: not valid Unicode text") from None
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

