"""Heuristics that look beyond one block (the tail zone, the main region of a page dump), and passes."""

from __future__ import annotations

from cleaner import Cleaner
from cleaner.blocks import split_text
from cleaner.heuristics import PAGE_MENU_RUN, addressed_names, looks_like_page, main_region

ARTICLE = [
    "The city council approved a new budget on Tuesday after a debate that lasted more than six hours, with the "
    "mayor's coalition holding together despite last-minute objections from two members of the opposition.",
    "The budget raises spending on public transport by twelve percent and funds three new bus lines that will "
    "connect the northern districts with the central railway station from next spring, the mayor said.",
    "Opposition councillors argued that the plan relies on optimistic revenue forecasts and warned that the city "
    "could face a shortfall if the regional government cuts its grants next year, as it did in 2019.",
]


def test_a_zone_goes_on_past_a_block_another_rule_removed():
    text = "\n\n".join(ARTICLE + ["Read also:", "Mayor promises new parks", "Share on Facebook",
                                 "Tram line delayed again", "New mayor sworn in"]) + "\n"
    result = Cleaner().clean(text, format="text")
    assert result.text == "\n\n".join(ARTICLE) + "\n"
    codes = {r.text: r.code for r in result.removals}
    assert codes["Share on Facebook"].startswith("SH")
    assert codes["Tram line delayed again"] == codes["New mayor sworn in"] == "TZ01"


def test_removed_blocks_keep_a_footer_out_of_the_main_region():
    footer = ("Example News © 2019 Example Media, LLC. All rights reserved. Some posts on this site may contain "
              "affiliate links, and we may earn a commission when you buy through them.")
    lines = ARTICLE[:2] + [f"Menu item {i}" for i in range(6)] + [footer]
    blocks = split_text("\n".join(lines))
    keep = [not b.text.startswith("Menu item") for b in blocks]   # removed by rules before the region is sought
    assert main_region(blocks, keep) == (0, 1)


def test_a_later_pass_over_blocks_already_matched_does_not_match_them_again(monkeypatch):
    cleaner = Cleaner()
    calls: list[int] = []
    real = cleaner.matcher.hits_by_block
    monkeypatch.setattr(cleaner.matcher, "hits_by_block", lambda norms: calls.append(len(norms)) or real(norms))
    # a paragraph that a rule hits but that is over the rule's length limit stays, so a
    # second pass is made
    long = "Become a Patron! " + " ".join(ARTICLE)
    text = "\n\n".join(ARTICLE + [long, "Become a Patron!"]) + "\n"
    result = cleaner.clean(text, format="text")
    assert [r.text for r in result.removals] == ["Become a Patron!"]
    assert calls == [5]   # the second pass (four known paragraphs) reused the first pass's hits


def _passes(cleaner: Cleaner, monkeypatch) -> list[str]:
    seen: list[str] = []
    real = cleaner._pass
    monkeypatch.setattr(cleaner, "_pass", lambda text, hits: seen.append(text) or real(text, hits))
    return seen


def test_no_second_pass_when_it_could_remove_nothing(monkeypatch):
    cleaner = Cleaner()
    passes = _passes(cleaner, monkeypatch)
    text = "\n\n".join(ARTICLE + ["Become a Patron!"]) + "\n"
    assert cleaner.clean(text, format="text").text == "\n\n".join(ARTICLE) + "\n"
    assert len(passes) == 1   # the kept paragraphs: the same blocks, none hit by a rule


def test_a_second_pass_when_a_hit_may_apply_once_blocks_before_it_are_gone(monkeypatch):
    cleaner = Cleaner()
    passes = _passes(cleaner, monkeypatch)
    # "Soziale Medien" (SH08, head only) is block 3 of 7; once the "0 comments" lines are gone it is the head
    text = "0 comments\n0 comments\n0 comments\nSoziale Medien\n0 comments\n0 comments\n0 comments"
    result = cleaner.clean(text, format="text")
    assert len(passes) == 2 and "SH08" in {r.code for r in result.removals}


def test_a_second_pass_when_a_paragraph_of_lines_lost_a_line(monkeypatch):
    cleaner = Cleaner()
    passes = _passes(cleaner, monkeypatch)
    # the lines left of a paragraph of lines may now read as one hard-wrapped paragraph
    text = "\n\n".join([ARTICLE[0], "Short line\nBecome a Patron!\nAnother short line", ARTICLE[1]]) + "\n"
    cleaner.clean(text, format="text")
    assert len(passes) == 2


MENU = ["Home", "News", "Politics", "Business", "Sport", "Culture", "Weather", "Opinion", "Podcasts", "Video",
        "Log in", "Subscribe"]
FOOTER = ["About us", "Contact", "Careers", "Advertise", "Imprint", "Privacy", "Terms of use", "Sitemap",
          "Archive", "RSS"]


def test_a_page_dump_keeps_its_main_text_alone():
    text = "\n".join(MENU + ARTICLE + FOOTER) + "\n"
    result = Cleaner().clean(text, format="text")
    assert result.text == "\n".join(ARTICLE) + "\n"
    assert sorted(r.text for r in result.removals) == sorted(MENU + FOOTER)
    assert "PG01" in {r.code for r in result.removals}   # the labels no rule knows


def test_markup_and_urls_in_a_page_dump_weigh_nothing_against_its_text():
    # a <noscript> tracking pixel that the dump kept as text, and image URLs of teasers
    pixel = '<img src="https://stats.example.com/?c1=2&name=' + "%E1%80%94" * 150 + '" height="1" width="1" alt="">'
    teasers = [f"https://news.example.com/wp-content/uploads/2022/12/teaser-{i}-scaled-{'x' * 60}.jpg 1707 2560"
               for i in range(3)]
    text = "\n".join([pixel] + MENU + ARTICLE[:2] + FOOTER + teasers) + "\n"
    result = Cleaner().clean(text, format="text")
    assert result.text == "\n".join(ARTICLE[:2]) + "\n"


def test_an_article_with_many_short_lines_but_no_menu_is_not_a_page_dump():
    # a shopping list article: product names and prices between the paragraphs
    lines = []
    for i in range(9):
        lines += [f"Garden chair {i + 1}", f"{49 + i} euros", ARTICLE[i % 3]]
    blocks = split_text("\n".join(lines))
    assert len(blocks) >= 25 and not looks_like_page(blocks)
    assert Cleaner().clean("\n".join(lines) + "\n", format="text").removals == []
    menu_first = split_text("\n".join(MENU[:PAGE_MENU_RUN] + lines))
    assert looks_like_page(menu_first)


COMMENTS = ["Great piece, but the second bus line should go to the hospital as well, not only to the station.",
            "Hi Anna, thanks for reading. The hospital route is part of the second phase, planned for 2027.",
            "I have waited twenty years for a direct bus from the north, and I will believe it when I see it."]


def test_the_blocks_between_a_comments_header_and_comments_are_closed_are_the_thread():
    text = "\n\n".join(ARTICLE * 3 + ["3 Comments"] + COMMENTS + ["Comments are closed."]) + "\n"
    result = Cleaner().clean(text, format="text")
    assert result.text == "\n\n".join(ARTICLE * 3) + "\n"
    assert [r.code for r in result.removals if r.text in COMMENTS] == ["CT01"] * 3
    assert all(r.category == "comments" for r in result.removals)


def test_without_both_markers_in_the_tail_no_thread_is_removed():
    alone = "\n\n".join(ARTICLE * 3 + ["3 Comments"] + COMMENTS) + "\n"      # no closing notice
    assert all(c in Cleaner().clean(alone, format="text").text for c in COMMENTS)
    early = "\n\n".join(["3 Comments"] + COMMENTS + ARTICLE * 3 + ["Comments are closed."]) + "\n"
    assert all(c in Cleaner().clean(early, format="text").text for c in COMMENTS)   # header not in the tail


def test_an_early_comments_header_opens_the_thread_when_replies_address_two_readers():
    # a short post whose comments start near the top: the header is not in the tail
    thread = ["Comments", COMMENTS[0], "Hi Jonas,", COMMENTS[1], COMMENTS[2], "Hi Priya,", COMMENTS[1]]
    text = "\n".join(ARTICLE[:1] + thread + ["Comments are closed."]) + "\n"
    result = Cleaner().clean(text, format="text")
    assert result.text == ARTICLE[0] + "\n"
    ct = [r for r in result.removals if r.code == "CT01"]
    assert len(ct) == len(thread) - 1 and "replies to 2 readers" in ct[0].reason
    one = text.replace("Hi Priya,", "Hi Jonas,")    # letters to one columnist: "Dear Margot," twice
    assert all(c in Cleaner().clean(one, format="text").text for c in COMMENTS)


def test_reply_salutations_name_the_reader_they_address_in_many_languages():
    lines = ["Hi Milan,", "Hallo liebe Martina,", "Bonjour Claire,", "Hola Marta,", "Ciao Luca,", "Olá João,",
             "Beste Sanne,", "Cześć Ania,", "Ahoj Petře,", "Привет Маша,", "Шановний Олеже,", "Dear Dr. Okafor,"]
    assert len(addressed_names(split_text("\n".join(lines)))) == len(lines)
    not_replies = ["Hi,", "hello, world!", "Dear Margot", "Hi Anna, thanks for reading. The route opens in 2027.",
                   "Highlights of the season,", "Dearborn city council,"]
    assert addressed_names(split_text("\n".join(not_replies))) == set()


def test_anonymous_comment_author_lines_bracket_the_thread_between_the_first_and_the_last():
    thread = ["Anonymous", COMMENTS[0], "Lars", COMMENTS[1], "Anonymous", COMMENTS[2]]
    result = Cleaner().clean("\n\n".join(ARTICLE * 4 + thread) + "\n", format="text")
    assert result.text == "\n\n".join(ARTICLE * 4 + [COMMENTS[2]]) + "\n"   # the last comment has no end marker
    assert {r.text: r.code for r in result.removals} == {"Anonymous": "CM28", COMMENTS[0]: "CT01", "Lars": "CT01",
                                                         COMMENTS[1]: "CT01"}
    once = Cleaner().clean("\n\n".join(ARTICLE * 4 + thread[:4]) + "\n", format="text")
    assert [r.text for r in once.removals] == ["Anonymous"]    # one author line brackets nothing
