"""Named heuristics: where a block stands, what a boilerplate zone looks like, the guard.

Each heuristic that removes a block reports its own code:

- ``TZ01 tail-zone``: after a zone marker (a rule with ``action = "drop_zone"``, e.g. a bare
  "Read also:" header) the short, headline-shaped or link-dense blocks that follow belong
  to the same zone (the link titles under the header) and go with it; the zone goes on
  past blocks other rules removed (a share line among the links) and ends at the first
  block that reads like article text.
- ``CT01 comment-thread``: in the tail, the blocks between a comments header (a rule
  with ``action = "open_thread"``: "12 Comments") and a later notice that ends the
  comments (``action = "close_thread"``: "Comments are closed.") are the comments, and
  so are those between the first and the last of the author lines of anonymous comments
  (``action = "mark_thread"``: "Anonymous said..."). Two markers are needed: a thread has
  little shape of its own (readers write paragraphs). A header before the tail ("Comments"
  under a short post) opens the thread only when replies addressed to at least
  ``THREAD_NAMES`` different readers ("Hi Milan,", "Liebe Karo,") stand between the markers:
  a bare header is also a meta line under an article's title ("12 Comments").
- ``PG01 outside-main-text`` (whole-page dumps): see ``main_region``.

A second guard keeps a block whose match opens a quotation inside a longer sentence
(reported speech). The guard (``GUARD``) keeps a block a rule matched when the block is longer than the
rule's ``max_chars`` (or ``DEFAULT_MAX_CHARS``): rules describe short boilerplate, never a
long paragraph of the article. It is reported as a note.
"""

from __future__ import annotations

import re
from typing import Sequence

from .blocks import Block

__all__ = ["DEFAULT_MAX_CHARS", "THREAD", "ZONE", "addressed_names", "in_head", "in_tail", "is_bare_marker",
           "zone_like"]

DEFAULT_MAX_CHARS = 600
ZONE = ("TZ01", "tail-zone")
THREAD = ("CT01", "comment-thread")
_SENTENCE_END = re.compile(r"[.!?…。][\"'»”’)\]]*$")
_STATEMENT_END = re.compile(r"[.…。][\"'»”’)\]]*$")  # headlines may end in ? or !, statements do not
ZONE_MAX_CHARS = 150
ZONE_LINK_MAX_CHARS = 300


def _edge(n: int, share: float) -> int:
    return max(3, round(n * share))


def in_head(index: int, n: int) -> bool:
    """The first fifth of the blocks (at least three)."""
    return index < _edge(n, 0.2)


def in_tail(index: int, n: int) -> bool:
    """The last third of the blocks (at least three)."""
    return index >= n - _edge(n, 0.35)


def zone_like(block: Block) -> bool:
    """Short and not a statement (a link title, a question headline, a date, a label), or
    a link-dense line."""
    if block.link_density >= 0.5 and len(block.norm) <= ZONE_LINK_MAX_CHARS:
        return True
    return len(block.norm) <= ZONE_MAX_CHARS and not _STATEMENT_END.search(block.norm)


# A reply's salutation on a line of its own: a greeting, up to three words of name, a comma.
_SALUTATION = re.compile(
    r"(?:hi|hello|hey|dear|hallo|hoi|beste|liebe[rs]?|bonjour|salut|cher|chère|hola|querid[oa]|estimad[oa]|ciao"
    r"|car[oa]|salve|olá|oi|prezad[oa]|cześć|witaj|witam|drog[ia]|ahoj|mil[ýá]|привет|здравствуйте|уважаем[ыа][йя]"
    r"|привіт|вітаю|шановн(?:ий|а))((?:\s+[\w.'’-]+){1,3}),", re.IGNORECASE)
THREAD_NAMES = 2


def addressed_names(blocks: Sequence[Block]) -> set[str]:
    """The names that reply salutations among ``blocks`` address ("Hi Milan," → "milan"):
    a comment thread's answers to its readers."""
    names = set()
    for b in blocks:
        if len(b.norm) <= 60 and (m := _SALUTATION.fullmatch(b.norm)):
            names.add(m.group(1).strip().lower())
    return names


_OPEN_QUOTES = "\"“„«‘‚‹'"
QUOTE_MIN_EXTRA = 20


def quoted_in(norm: str, matched: str) -> bool:
    """The match opens a quotation inside a longer sentence ('a banner reading "Support
    independent journalism" above...'): reported speech, which the guard keeps."""
    at = norm.find(matched)
    if at <= 0 or len(norm) < len(matched) + QUOTE_MIN_EXTRA:
        return False
    before = norm[:at].rstrip()
    return bool(before) and before[-1] in _OPEN_QUOTES and len(before) > 1


def is_bare_marker(block: Block, matched: str) -> bool:
    """The block is the marker alone ("Read also:"), not a marker with its own title."""
    rest = block.norm.replace(matched, "", 1).strip(" :.-–—|»>")
    return not rest or block.norm.rstrip().endswith(":")


# --------------------------------------------------------------------------- page dumps
PAGE = ("PG01", "outside-main-text")
PAGE_MIN_BLOCKS = 25
PAGE_TINY_SHARE = 0.4
PAGE_TINY_WORDS = 3
PAGE_TINY_CHARS = 25  # and short: scripts without spaces (Chinese, Japanese) are not labels
_CODE_LINE = re.compile(r"[(){};=*<>\\]|,$")
_SHORT_CHARS = 60


_WIDE = re.compile(r"[\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
WIDE_WEIGHT = 3  # a Chinese, Japanese or Korean character carries about as much as a short word


def text_size(norm: str) -> int:
    """Length in Latin-character equivalents: wide (CJK) characters count ``WIDE_WEIGHT``."""
    return len(norm) + (WIDE_WEIGHT - 1) * len(_WIDE.findall(norm))


def _short(block: Block) -> bool:
    return text_size(block.norm) < _SHORT_CHARS and not _SENTENCE_END.search(block.norm)


def is_label(norm: str) -> bool:
    """A navigation label: at most three words and 25 characters ("Home", "Log in",
    "Über uns"), and not a line of code ("SELECT *", "bounds AS (", "n,")."""
    if len(norm) > PAGE_TINY_CHARS or text_size(norm) > PAGE_TINY_CHARS or len(norm.split()) > PAGE_TINY_WORDS:
        return False
    return not _CODE_LINE.search(norm)


PAGE_MENU_RUN = 10


def looks_like_page(blocks: Sequence[Block]) -> bool:
    """A whole-page text dump (menus, footers and all) rather than an article: many blocks,
    a large share of them labels of at most three words and 25 characters ("Home", "Log in"),
    and a menu: ``PAGE_MENU_RUN`` labels in a row. An extracted article with many short
    lines (a recipe's steps, a list of products and prices, subheadings) has them apart. On
    the benchmark corpora, the article scrapes (``text_recall``) that the share alone took
    for pages have a longest run of 6 labels (median); the page dumps (``text_page``) 26,
    and 10 or more in nine of ten."""
    if len(blocks) < PAGE_MIN_BLOCKS:
        return False
    tiny = run = longest = 0
    for b in blocks:
        if is_label(b.norm):
            tiny += 1
            run += 1
            longest = max(longest, run)
        else:
            run = 0
    return tiny / len(blocks) >= PAGE_TINY_SHARE and longest >= PAGE_MENU_RUN


_CODE_TOKEN = 40   # an ASCII run this long without a space is a URL, markup or an encoded string


def _weight(block: Block) -> float:
    n = text_size(block.norm)
    if n >= 150:   # long: its URLs and markup ("<img src=...>" of a noscript) are not article text
        n -= sum(len(t) for t in block.norm.split(" ") if len(t) >= _CODE_TOKEN and t.isascii())
    if n >= 150 or (n >= 80 and _SENTENCE_END.search(block.norm)):
        return n
    return -PAGE_GAP_COST if _short(block) else n / 4 - PAGE_GAP_COST / 2


PAGE_GAP_COST = 40


def main_region(blocks: Sequence[Block], keep: Sequence[bool]) -> tuple[int, int]:
    """The run of blocks with the most article-like text (maximum-sum span, Kadane): long
    sentence blocks weigh their length, short labels cost ``PAGE_GAP_COST``, and so does a
    block already removed (boilerplate between two texts keeps them apart). Returns
    (first, last) block index, or (0, -1) when nothing qualifies."""
    best, best_span = 0.0, (0, -1)
    run, start = 0.0, 0
    for b in blocks:
        w = _weight(b) if keep[b.index] else -PAGE_GAP_COST
        if run <= 0:
            run, start = w, b.index
        else:
            run += w
        if run > best:
            best, best_span = run, (start, b.index)
    return best_span


PAGE_OUTSIDE_SHARE = 1.5


def outside_text_share(blocks: Sequence[Block], keep: Sequence[bool], first: int, last: int) -> float:
    """Article-like text outside the main region, as a share of the text inside it. A page
    dump leaves little outside (teasers, footers); an article whose text the region splits
    (code listings, long tables between paragraphs) leaves a lot."""
    inside = outside = 0.0
    for b in blocks:
        if keep[b.index] and (w := _weight(b)) > 0:
            if first <= b.index <= last:
                inside += w
            else:
                outside += w
    return outside / inside if inside else float("inf")


# --------------------------------------------------------------------------- title
TITLE = ("TI01", "title-heading")
TITLE_BLOCKS = 3  # the title heading stands among the first blocks
TITLE_MIN_CHARS = 10


def repeats_title(norm: str, titles: Sequence[str]) -> bool:
    """The block is the page's title again (the ``<h1>`` that repeats ``<title>``/``og:title``,
    which extractors keep as the first line of the body): metadata, not body text. A heading
    that is the start of a longer ``<title>`` ("Headline | Site name") counts too; quotes
    and dashes count as the same whether typographic or plain."""
    if not titles or len(norm) < TITLE_MIN_CHARS:
        return False
    a = _plain(norm)
    return any(a == b or (b.startswith(a) and len(a) >= 0.5 * len(b)) for b in map(_plain, titles))


# typographic quotes and dashes as their plain forms: a page's <title> often has the one,
# its heading the other
_PLAIN = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'",
                        "–": "-", "—": "-"})


def _plain(text: str) -> str:
    return text.translate(_PLAIN).casefold()
