"""HTML mode: element rules, trafilatura's extraction, block rules, the report."""

from __future__ import annotations

import pytest

from cleaner import Cleaner

P1 = ("The city council approved a new budget on Tuesday after a debate that lasted more than six hours, "
      "with the mayor's coalition holding together despite last-minute objections from two members.")
P2 = ("The budget raises spending on public transport by twelve percent and funds three new bus lines "
      "that will connect the northern districts with the central railway station from next spring.")
P3 = ("Opposition councillors argued that the plan relies on optimistic revenue forecasts and warned "
      "that the city could face a shortfall if the regional government cuts its grants next year.")

PAGE = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Council passes budget</title></head>
<body>
<header><nav><a href="/">Home</a> <a href="/politics">Politics</a> <a href="/sport">Sport</a></nav></header>
<div id="cookie-notice">We use cookies to improve your experience. <button>Accept</button></div>
<main><article>
<h1>Council passes budget after marathon session</h1>
<div class="share-buttons"><a href="#">Share on Facebook</a> <a href="#">Twitter</a></div>
<p>{P1}</p>
<p><strong>Read also:</strong> <a href="/x">Mayor promises new parks</a></p>
<p>{P2}</p>
<p>{P3}</p>
<aside class="donation-box"><h3>Support independent journalism</h3><p>Our reporting depends on readers like you.</p><a href="/donate">Donate</a></aside>
<div class="related-posts"><h3>Read also</h3><ul><li><a href="/a">Tram line delayed again</a></li><li><a href="/b">New mayor sworn in</a></li></ul></div>
<form class="newsletter-signup"><p>Sign up for our newsletter</p><input type="email"><button>Subscribe</button></form>
</article></main>
<section id="comments" class="comments-area"><h2>2 comments</h2>
<div class="comment"><p>Great news for the north of the city, finally someone thinks of us commuters every day.</p></div>
<div class="comment"><p>This budget is a disaster and the forecasts are fantasy, mark my words on this one.</p></div>
<div id="respond"><h3>Leave a Reply</h3><form id="commentform"><textarea></textarea></form></div></section>
<footer>© 2026 City News. All rights reserved.</footer>
</body></html>"""


def test_html_page_comes_out_as_the_article_alone(cleaner):
    result = cleaner.clean(PAGE, source="page.html")
    assert result.format == "html"
    lines = result.text.splitlines()
    assert lines[0] == "Council passes budget after marathon session"
    assert [line for line in lines if line.startswith(("The ", "Opposition"))] == [P1, P2, P3]
    for gone in ("Read also", "Mayor promises", "Support independent", "Donate", "Tram line", "newsletter",
                 "commuters", "Leave a Reply", "cookies", "Share on Facebook"):
        assert gone not in result.text, gone
    categories = {r.category for r in result.removals}
    assert {"donation", "related", "comments", "newsletter", "share", "cookie"} <= categories
    assert all(r.code and r.category and r.reason for r in result.removals)


def test_html_detected_by_content_without_suffix(cleaner):
    assert cleaner.clean(PAGE).format == "html"


def test_html_without_article_text_is_an_input_error(cleaner):
    from cleaner import InputError

    with pytest.raises(InputError):
        cleaner.clean("<html><head><script>var a = 1;</script></head><body></body></html>", format="html")


def test_lines_of_a_paragraph_are_blocks_of_their_own():
    # trafilatura keeps <br> as <lb/> inside one paragraph; a read-also line at its end goes alone
    html = ("<html><body><article><h1>Bridge reopens</h1>"
            "<p>The old bridge over the river reopened on Monday after two years of repairs, "
            "the city said, and the first buses crossed it in the morning.<br>"
            "Engineers replaced the deck and the railings and <b>strengthened</b> the piers.<br>"
            "Read also: New cycle lanes open in the city centre</p>"
            "<p>The works cost 12 million euros, a third more than planned, because of steel prices "
            "and a flood in the second winter that stopped the site for six weeks.</p>"
            "</article></body></html>")
    result = Cleaner().clean(html, format="html")
    assert "Read also" not in result.text
    assert "Engineers replaced the deck and the railings and strengthened the piers." in result.text
    assert "the first buses crossed it in the morning." in result.text
    assert [r.code for r in result.removals if r.stage == "block"] == ["RA01"]


def test_a_paragraph_with_one_line_keeps_its_inline_markup():
    html = ("<html><body><article><h1>Bridge reopens</h1>"
            "<p>The old bridge over the river reopened on <b>Monday</b> after two years of repairs, "
            "the city said, and the first buses crossed it in the morning.<br></p>"
            "<p>The works cost 12 million euros, a third more than planned, because of steel prices "
            "and a flood in the second winter that stopped the site for six weeks.</p>"
            "</article></body></html>")
    assert "reopened on Monday after two years" in Cleaner().clean(html, format="html").text


def test_a_heading_that_repeats_the_page_title_is_reported_and_removed():
    html = ("<html><head><title>Bridge reopens after two years | The Courier</title></head><body><article>"
            "<h1>Bridge reopens after two years</h1>"
            "<p>The old bridge over the river reopened on Monday after two years of repairs, the city said, "
            "and the first buses crossed it in the morning.</p>"
            "<h2>Bridge reopens after two years</h2>"
            "<p>The works cost 12 million euros, a third more than planned, because of steel prices "
            "and a flood in the second winter that stopped the site for six weeks.</p></article></body></html>")
    result = Cleaner().clean(html, format="html")
    titles = [r for r in result.removals if r.code == "TI01"]
    assert [(r.category, r.text) for r in titles] == [("title", "Bridge reopens after two years")]
    assert result.text.count("Bridge reopens after two years") == 1  # the later heading is body text


def test_a_heading_that_differs_from_the_title_stays():
    html = ("<html><head><title>The Courier</title></head><body><article>"
            "<h1>Bridge reopens after two years</h1>"
            "<p>The old bridge over the river reopened on Monday after two years of repairs, the city said, "
            "and the first buses crossed it in the morning.</p></article></body></html>")
    assert Cleaner().clean(html, format="html").text.startswith("Bridge reopens after two years")


def _article(body: str) -> str:
    return (f"<!doctype html><html><head><title>Minutes</title></head><body><article>"
            f"<h1>Council minutes</h1>{body}</article></body></html>")


def test_a_paragraph_the_page_repeats_in_a_row_keeps_every_copy(cleaner):
    # trafilatura drops a paragraph identical to the one before it; here the page has three
    result = cleaner.clean(_article(f"<p>{P1}</p><p>{P2}</p><p>{P2}</p><p>{P2}</p><p>{P3}</p>"), format="html")
    lines = result.text.splitlines()
    assert lines.count(P2) == 3 and lines.count(P1) == 1 and lines.count(P3) == 1
    assert lines.index(P1) < lines.index(P2) and lines.index(P3) == len(lines) - 1
    assert [n.code for n in result.notes] == ["REPEAT"]


def test_a_paragraph_repeated_apart_is_not_multiplied(cleaner):
    result = cleaner.clean(_article(f"<p>{P1}</p><p>{P2}</p><p>{P3}</p><p>{P2}</p>"), format="html")
    assert result.text.splitlines().count(P2) <= 2
    assert not [n for n in result.notes if n.code == "REPEAT"]


def test_an_element_inside_one_already_removed_is_not_reported_again(cleaner):
    result = cleaner.clean(PAGE, source="page.html")
    reasons = [r.reason for r in result.removals if r.stage == "element"]
    assert "element #comments" in reasons
    assert not [r for r in reasons if "respond" in r or "commentform" in r]   # both inside #comments


def test_text_between_two_paragraphs_is_a_block_rules_see(cleaner):
    # a dateline left as loose text in the extracted body (the tail of a paragraph)
    html = (f"<html><head><title>Minutes</title></head><body><article><h1>Council minutes</h1>"
            f"<p class='standfirst'>{P1}</p>posted on April 21, 2015, at 11:29 a.m.<p>{P2}</p><p>{P3}</p>"
            f"</article></body></html>")
    result = cleaner.clean(html, format="html")
    assert "posted on" not in result.text
    assert [r.code for r in result.removals if "posted on" in r.text] == ["NV02"]
    assert [line for line in result.text.splitlines() if line.startswith(("The ", "Opposition"))] == [P1, P2, P3]


def test_a_heading_with_typographic_quotes_repeats_a_title_with_plain_ones(cleaner):
    html = ('<html><head><title>Mayor says “no more delays” on tram line</title>'
            '<meta property="og:title" content="Mayor says \'no more delays\' on tram line - The Courier">'
            "</head><body><article><h1>Mayor says ‘no more delays’ on tram line</h1>"
            f"<p>{P1}</p><p>{P2}</p></article></body></html>")
    result = cleaner.clean(html, format="html")
    assert [r.code for r in result.removals if "Mayor says" in r.text] == ["TI01"]


def test_a_link_inside_loose_running_text_keeps_the_words_around_it(cleaner):
    # an article body of text and line breaks after a block, no paragraphs: with links
    # kept, trafilatura took the line apart at the link and trimmed the text after it
    line = "The investigation detailed operations ranging from snooping on private conversations to"
    html = (f"<html><head><title>Embassy</title></head><body><div class='article-body'>"
            f"<div class='dateline'>London, 4 May</div>{P1}<br><br>"
            f"{line} <a href='https://example.org/diaper'>fishing a diaper</a> from an embassy trash can "
            f"in order to learn who the child's father was.<br><br>{P2}<br><br>{P3}<br></div></body></html>")
    text = " ".join(cleaner.clean(html, format="html").text.split())
    assert f"{line} fishing a diaper from an embassy trash can" in text
    assert P2 in text and P3 in text


def test_only_links_inside_loose_running_text_become_plain_text():
    from lxml import etree

    from cleaner.extract import _unlink_running_text

    names = ", ".join(f"<a href='/users/u{i}'>reader_{i}</a>" for i in range(40))
    tree = etree.fromstring(
        "<html><body>"
        "<div id='loose'>London, 4 May<br/>Snooping on conversations to <a href='/d'>fishing a diaper</a> from a bin.</div>"
        "<div id='after-block'><div>Photo</div>In the past, the <a href='/c'>Supreme Court</a> has found so.</div>"
        f"<div id='kudos'>Kudos from {names} and 12 more users.</div>"
        "<p id='para'>A paragraph with <a href='/p'>a link</a> inside it.</p>"
        "</body></html>", etree.HTMLParser())
    _unlink_running_text(tree)
    links = {el.get("id"): [a.text for a in el.iter("a")] for el in tree.iter("div", "p") if el.get("id")}
    assert links["loose"] == []                                  # the sentence is whole again
    assert etree.tostring(tree.find(".//div[@id='loose']"), method="text", encoding="unicode").endswith(
        "Snooping on conversations to fishing a diaper from a bin.")
    assert links["after-block"] == ["Supreme Court"]             # its text after a block lives in its tail
    assert len(links["kudos"]) == 40                             # a list of links
    assert links["para"] == ["a link"]                           # trafilatura keeps a paragraph's lines whole
