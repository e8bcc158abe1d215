"""Teaser lists (TL01): links to other articles, each a linked heading and a summary."""

from __future__ import annotations

from cleaner import Cleaner
from cleaner.htmlload import load_html
from cleaner.teasers import teaser_lists

from .test_html import P1, P2, P3

SUMMARIES = [
    "The regional rail operator said on Friday that the new timetable would add forty trains a day.",
    "A fire at a recycling plant on the edge of the city sent smoke over three districts overnight.",
    "The university will open a second campus in the harbour area, its president told reporters.",
    "Farmers in the valley expect the smallest apple harvest in a decade after the late frost.",
]


def _teaser(i: int, heading: str) -> str:
    return (f'<li class="card"><a href="/story/{i}"><img src="/i{i}.jpg" alt=""></a><div>'
            f'<h3>{heading}</h3><p>{SUMMARIES[i]}</p><span class="source">The Courier</span></div></li>')


def _page(feed: str, inside: bool = False) -> str:
    """The article, and ``feed`` after it (inside the article element, or after it)."""
    article = f"<h1>Council passes budget after marathon session</h1><p>{P1}</p><p>{P2}</p><p>{P3}</p>"
    if inside:
        article, feed = article + feed, ""
    return (f"<!doctype html><html><head><title>Council budget</title></head><body><main>"
            f"<article>{article}</article>{feed}</main></body></html>")


def _headings(link: str) -> list[str]:
    return [link.format(i=i, title=t) for i, t in enumerate(["Rail timetable grows", "Fire at recycling plant",
                                                             "Second campus planned", "Small apple harvest"])]


def test_a_feed_of_teasers_under_the_article_is_removed_and_reported():
    feed = "<ul id='stream'>" + "".join(_teaser(i, h) for i, h in
                                        enumerate(_headings('<a href="/story/{i}">{title}</a>'))) + "</ul>"
    result = Cleaner().clean(_page(feed), format="html")
    assert [line for line in result.text.splitlines() if line.startswith(("The ", "Opposition"))] == [P1, P2, P3]
    for s in SUMMARIES:
        assert s not in result.text
    teasers = [r for r in result.removals if r.code == "TL01"]
    assert len(teasers) == 1 and teasers[0].category == "related" and "4 teasers" in teasers[0].reason
    assert SUMMARIES[0] in teasers[0].text


def test_a_kicker_before_the_linked_headline_still_makes_a_teaser():
    tree = load_html(_page("<div>" + "".join(
        f'<div class="story"><h4><strong>Opinion</strong> <a href="/s/{i}">{h}</a></h4><p>{SUMMARIES[i]}</p></div>'
        for i, h in enumerate(["Why the timetable matters", "The smoke over the city",
                               "A campus by the harbour"])) + "</div>"))
    assert [n for _, n in teaser_lists(tree)] == [3]


def test_sections_with_anchor_headings_or_plain_headings_are_not_teasers():
    anchors = "<div>" + "".join(f'<section><h2><a href="#s{i}">{h}</a></h2><p>{SUMMARIES[i]}</p></section>'
                                for i, h in enumerate(_headings("{title}"))) + "</div>"
    listicle = "<ol>" + "".join(f"<li><h3>{h}</h3><p>{SUMMARIES[i]}</p></li>"
                                for i, h in enumerate(_headings("{title}"))) + "</ol>"
    for body in (anchors, listicle):
        assert teaser_lists(load_html(_page(body, inside=True))) == []
        assert all(s in Cleaner().clean(_page(body, inside=True), format="html").text for s in SUMMARIES)


def test_two_teasers_or_headlines_without_summaries_are_not_a_teaser_list():
    two = "<ul>" + "".join(_teaser(i, h) for i, h in
                           enumerate(_headings('<a href="/story/{i}">{title}</a>')[:2])) + "</ul>"
    bare = "<ul>" + "".join(f'<li><h3><a href="/s/{i}">{h}</a></h3></li>'
                            for i, h in enumerate(_headings("{title}"))) + "</ul>"
    assert teaser_lists(load_html(_page(two))) == []
    assert teaser_lists(load_html(_page(bare))) == []


def test_a_teaser_list_holding_most_of_the_page_is_kept_with_a_note():
    long = [s * 8 for s in SUMMARIES]
    feed = "<ul>" + "".join(f'<li><h3><a href="/s/{i}">Story {i}</a></h3><p>{t}</p></li>'
                            for i, t in enumerate(long)) + "</ul>"
    html = f"<html><head><title>Index</title></head><body><h1>Latest stories</h1>{feed}</body></html>"
    result = Cleaner().clean(html, format="html")
    assert not [r for r in result.removals if r.code == "TL01"]
    assert [n for n in result.notes if n.code == "GUARD" and "TL01" in n.reason]
    assert SUMMARIES[1] in result.text
