"""The selector prefilter: a selector is skipped only when the page cannot match it."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from cleaner.selectors import AttributeIndex, compile_selector, required_names, requirements

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
    assert required_names(['[class*="share"]', "form#x", "[hidden]", "aside, nav"]) == {"class", "id", "hidden"}


@pytest.mark.parametrize("css", SELECTORS)
def test_a_skipped_selector_matches_nothing(css):
    index = AttributeIndex(PAGE, required_names(SELECTORS))
    matches = compile_selector(css)(PAGE)
    if matches:
        assert index.may_match(css)


def test_the_index_skips_selectors_absent_from_the_page():
    index = AttributeIndex(PAGE, required_names(["#respond", ".sharedaddy", '[style*="visibility:hidden"]']))
    assert not index.may_match("#respond")
    assert not index.may_match(".sharedaddy")
    assert not index.may_match('[style*="visibility:hidden"]')
    assert index.may_match('[class*="social-share"]:not([class*="tag-"])')  # present (and excluded by :not)
