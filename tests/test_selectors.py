"""The selector prefilter: a selector is skipped only when the page cannot match it."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from cleaner.selectors import SelectorFilter, compile_selector, requirements

PAGE = lxml_html.fromstring(
    '<html><body><div id="comments" class="comments-area"><p>c</p></div>'
    '<section class="post tag-social-share"><p hidden>x</p><span style="display: none">y</span></section>'
    '<form id="commentform"></form></body></html>')

SELECTORS = [
    '#comments', '#respond', '[class*="comments-area"]', '[class*="share-buttons"]', 'form#commentform',
    '.comments-area', '.sharedaddy', '[hidden]', '[hidden]:not([hidden="false"])', '[style*="display: none"]',
    '[style*="visibility:hidden"]', '[class*="social-share"]:not([class*="tag-"])', 'section p[hidden]',
    'aside, #comments', '[data-role="share"]', 'div[class~="comments-area"] p',
]


def test_requirements_read_the_positive_parts():
    assert requirements('[class*="share"]:not([class*="tag-"])') == (("class", "share"),)
    assert requirements("form#commentform") == (("id", "commentform"),)
    assert requirements("[hidden]") == (("hidden", None),)
    assert requirements("aside, #comments") is None


PASSING = SelectorFilter(SELECTORS).passing(PAGE)


@pytest.mark.parametrize("css", SELECTORS)
def test_a_skipped_selector_matches_nothing(css):
    if compile_selector(css)(PAGE):
        assert css in PASSING


def test_the_filter_skips_selectors_absent_from_the_page():
    assert "#respond" not in PASSING
    assert ".sharedaddy" not in PASSING
    assert '[style*="visibility:hidden"]' not in PASSING
    assert '[data-role="share"]' not in PASSING                        # no data-role on the page
    assert '[class*="social-share"]:not([class*="tag-"])' in PASSING    # present (and excluded by :not)
    assert "aside, #comments" in PASSING                                # a group requires nothing
    assert PASSING == [css for css in SELECTORS if css in PASSING]      # in the order given


def test_literals_are_case_sensitive_substrings_and_may_overlap():
    page = lxml_html.fromstring('<html><body><div class="Comments post-comments-list">x</div></body></html>')
    passing = SelectorFilter(['[class*="comments"]', '[class*="comments-list"]', '[class*="Comments"]',
                              '[class*="COMMENTS"]', '[class*="list"]']).passing(page)
    assert passing == ['[class*="comments"]', '[class*="comments-list"]', '[class*="Comments"]', '[class*="list"]']


SELECTED = SelectorFilter(SELECTORS).select(PAGE)


@pytest.mark.parametrize("css", SELECTORS)
def test_select_finds_what_the_selector_matches(css):
    assert SELECTED.get(css, []) == compile_selector(css)(PAGE)


def test_select_tries_each_element_that_holds_the_literal():
    page = lxml_html.fromstring('<html><body><div class="share">a</div><p class="xshare y">b</p>'
                                '<div class="share tag-share">c</div><span class="share">d</span></body></html>')
    sel = ['[class~="share"]', 'div[class*="share"]:not([class*="tag-"])', 'p.y', 'body div.share']
    found = SelectorFilter(sel).select(page)
    assert [e.text for e in found['[class~="share"]']] == ["a", "c", "d"]
    assert [e.text for e in found['div[class*="share"]:not([class*="tag-"])']] == ["a"]
    assert [e.text for e in found["p.y"]] == ["b"]
    assert [e.text for e in found["body div.share"]] == ["a", "c"]
