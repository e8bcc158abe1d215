"""Tests for cleaner.metrics (hand-computed figures)."""

from __future__ import annotations

import gzip
import json
import pickle
from collections import Counter
from pathlib import Path

import pytest

from cleaner.metrics import (
    CATEGORIES,
    DocScore,
    Scorer,
    SnippetScore,
    boilerplate_pieces,
    categorize,
    collapse_ws,
    piece_survives,
    shingle_score,
    shingles,
    snippet_score,
    tokens,
)

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SCRAPINGHUB = SHARED / "corpora" / "scrapinghub" / "docs.jsonl.gz"


# --------------------------------------------------------------------------- #
# tokens / shingles
# --------------------------------------------------------------------------- #
def test_tokens_unicode_case_kept():
    assert tokens("Hello, world! Straße 42 — naïve_test") == [
        "Hello", "world", "Straße", "42", "naïve_test"]
    assert tokens("") == []
    assert tokens(" -- ... ") == []


def test_shingles_basic_and_multiset():
    assert shingles("a b c d") == Counter({("a", "b", "c", "d"): 1})
    # 6 tokens -> 3 shingles, one repeated
    assert shingles("a b a b a b") == Counter(
        {("a", "b", "a", "b"): 2, ("b", "a", "b", "a"): 1})


def test_shingles_short_and_empty():
    assert shingles("x, y; z") == Counter({("x", "y", "z"): 1})
    assert shingles("x") == Counter({("x",): 1})
    assert shingles("") == Counter()
    assert shingles("!!! ---") == Counter()
    assert shingles("a b c", n=2) == Counter({("a", "b"): 1, ("b", "c"): 1})


# --------------------------------------------------------------------------- #
# shingle_score
# --------------------------------------------------------------------------- #
def test_shingle_score_overlap():
    # output 1234 2345 3456, gold 0123 1234 2345 -> tp 2, fp 1, fn 1
    d = shingle_score("one two three four five six",
                      "zero one two three four five")
    assert d == DocScore(tp=0.5, fp=0.25, fn=0.25,
                         precision=pytest.approx(2 / 3),
                         recall=pytest.approx(2 / 3))
    assert d.f1 == pytest.approx(2 / 3)


def test_shingle_score_multiset_min_counts():
    # output {abab: 2, baba: 1}, gold {abab: 1, baba: 1}: tp 2, fp 1, fn 0
    d = shingle_score("a b a b a b", "a b a b a")
    assert d.tp == pytest.approx(2 / 3)
    assert d.fp == pytest.approx(1 / 3)
    assert d.fn == 0
    assert d.precision == pytest.approx(2 / 3)  # a set-based version says 1
    assert d.recall == 1


def test_shingle_score_short_texts():
    assert shingle_score("x y z", "x, y z!") == DocScore(1.0, 0.0, 0.0, 1.0, 1.0)
    # (x, y) vs (x, y, z): different shingles, nothing in common
    assert shingle_score("x y", "x y z") == DocScore(0.0, 0.5, 0.5, 0.0, 0.0)


def test_shingle_score_case_and_punctuation():
    assert shingle_score("The Cat sat here", "the cat sat here").tp == 0
    assert shingle_score("a, b;  c\n d", "a b c d").precision == 1


def test_shingle_score_empty_output():
    d = shingle_score("", "a b c d e")  # gold has 2 shingles
    assert d == DocScore(0.0, 0.0, 1.0, 0.0, 0.0)
    assert d.output_empty and not d.gold_empty
    assert d.f1 == 0


def test_shingle_score_empty_gold():
    d = shingle_score("a b c d", "")
    assert d == DocScore(0.0, 1.0, 0.0, 0.0, 0.0)
    assert d.gold_empty and not d.output_empty


def test_shingle_score_both_empty():
    d = shingle_score("", " ... ")
    assert d == DocScore(0.0, 0.0, 0.0, 1.0, 1.0)
    assert d.f1 == 1


# --------------------------------------------------------------------------- #
# snippet_score / pieces
# --------------------------------------------------------------------------- #
def test_collapse_ws():
    assert collapse_ws("a \t b\n\n c ") == "a b c "


def test_snippet_score_collapse_and_case():
    out = "Hello   big\nworld. Foo bar"
    s = snippet_score(out, ["Hello big world", "foo bar", "Foo  bar"],
                      ["big\tworld", "absent"])
    assert s == SnippetScore(tp=2, fn=1, fp=1, tn=1)


def test_snippet_score_none_and_empty_output():
    assert snippet_score(None, ["a", "b"], ["c"]) == SnippetScore(0, 2, 0, 1)
    assert snippet_score("", ["a"], ["c", "d"]) == SnippetScore(0, 1, 0, 2)


def test_boilerplate_pieces_snippets():
    rec = {"gold_type": "snippets", "with": ["x"], "without": ["a", "b"]}
    assert boilerplate_pieces(rec) == ["a", "b"]


def test_boilerplate_pieces_full():
    rec = {
        "gold_type": "full",
        "gold": "Title\n\nThe body text here. More.",
        "text_page": ("Title\n\nThe   body text here.\nShare this\n"
                      "  Share this  \n|\nShare this\nbody\nHome"),
    }
    # in gold (also after collapse), duplicates, token-less lines dropped;
    # "body" is a substring of the gold, so not absent
    assert boilerplate_pieces(rec) == ["Share this", "Home"]


def test_piece_survives():
    assert piece_survives("Share  this", "x Share\nthis y")
    assert not piece_survives("share this", "Share this")
    assert not piece_survives("Share this", None)


# --------------------------------------------------------------------------- #
# categorize
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("piece,cat", [
    # donation
    ("Support us on Patreon", "donation"),
    ("Jetzt spenden!", "donation"),
    ("Unterstützen Sie unabhängigen Journalismus", "donation"),
    ("Faites un don", "donation"),
    ("Wesprzyj nas", "donation"),
    ("Підтримайте нас", "donation"),
    ("Subscribe or donate to keep us going", "donation"),
    # related
    ("Read also: Government falls", "related"),
    ("Lesen Sie auch: Kommentar zur Spendenaffäre", "related"),
    ("» Mehr zum Thema", "related"),
    ("À lire aussi", "related"),
    ("Czytaj też", "related"),
    ("Lea también: El gobierno cae", "related"),
    ("Читайте также", "related"),
    ("Related articles", "related"),
    # comments
    ("Leave a Reply", "comments"),
    ("LEAVE A REPLY", "comments"),
    ("Comments are closed.", "comments"),
    ("Schreibe einen Kommentar", "comments"),
    ("Laisser un commentaire", "comments"),
    ("Deja un comentario", "comments"),
    ("Skomentuj", "comments"),
    ("Комментарии", "comments"),
    ("Comment on Facebook", "comments"),
    # newsletter / subscription / paywall
    ("Subscribe to our newsletter", "newsletter"),
    ("SUBSCRIBE NOW", "newsletter"),
    ("Jetzt Newsletter abonnieren", "newsletter"),
    ("Inscrivez-vous à notre lettre d'information", "newsletter"),
    ("Suscríbete", "newsletter"),
    ("Zapisz się do newslettera", "newsletter"),
    ("Already a subscriber? Log in", "newsletter"),
    # share / social
    ("Share on Facebook", "share"),
    ("Diesen Artikel teilen", "share"),
    ("Follow us on Twitter", "share"),
    ("Partager", "share"),
    ("Compartir en WhatsApp", "share"),
    ("Udostępnij", "share"),
    # cookie / privacy
    ("We use cookies and share data with partners. Read more", "cookie"),
    ("Datenschutzerklärung", "cookie"),
    ("Privacy Policy", "cookie"),
    # copyright / imprint
    ("© 2024 Example Media. All rights reserved.", "copyright"),
    ("Impressum", "copyright"),
    ("Impressum | Datenschutz", "copyright"),
    ("Tous droits réservés", "copyright"),
    ("Todos los derechos reservados", "copyright"),
    # other (and words that merely contain a keyword)
    ("Tuesday, 12 March 2024", "other"),
    ("Bitte mitteilen", "other"),
    ("Luggage compartment", "other"),
    ("", "other"),
])
def test_categorize(piece, cat):
    assert categorize(piece) == cat
    assert cat in CATEGORIES


# --------------------------------------------------------------------------- #
# Scorer
# --------------------------------------------------------------------------- #
FULL = [
    ({"id": "f1", "gold_type": "full", "gold": "a b c d e",
      "text_page": "a b c d e\nShare on Facebook\nCookie settings"},
     "a b c d e\nShare on Facebook"),
    ({"id": "f2", "gold_type": "full", "gold": "a b c d e",
      "text_page": "a b c d e"}, "  "),
    ({"id": "f3", "gold_type": "full", "gold": "one two three four five six",
      "text_page": "one two three four five six"},
     "zero one two three four five"),
    ({"id": "f4", "gold_type": "full", "gold": "x y z w",
      "text_page": "x y z w\nLeave a Reply"}, None),
]
SNIP = [
    ({"id": "s1", "gold_type": "snippets", "with": ["alpha beta", "gamma"],
      "without": ["Read more: x", "Leave a comment"]},
     "alpha  beta\nLeave a comment"),
    ({"id": "s2", "gold_type": "snippets", "with": ["delta"],
      "without": ["Subscribe now"]}, None),
]


def _score(pairs):
    s = Scorer()
    for rec, out in pairs:
        s.add(rec, out)
    return s


def test_scorer_full_corpus_means():
    m = _score(FULL).summary()
    # f1: 5 output shingles (abcd bcde cdeS deSo eSoF), 2 gold -> P 2/5, R 1
    # P over non-empty outputs only: (2/5 + 2/3) / 2 = 8/15
    # R over all four golds: (1 + 0 + 2/3 + 0) / 4 = 5/12
    # F1 of the means: 2 * 8/15 * 5/12 / (8/15 + 5/12) = 80/171
    # (the mean of per-document F1 would be (4/7 + 2/3) / 4)
    assert (m["n"], m["failures"], m["empty"]) == (4, 1, 1)
    assert m["precision"] == pytest.approx(8 / 15)
    assert m["recall"] == pytest.approx(5 / 12)
    assert m["f1"] == pytest.approx(80 / 171)
    assert m["full"]["n_precision"] == 2 and m["full"]["n_recall"] == 4
    leaks = m["leak_by_category"]
    assert leaks["share"] == {"pieces": 1, "survived": 1, "rate": 1.0}
    assert leaks["cookie"] == {"pieces": 1, "survived": 0, "rate": 0.0}
    assert leaks["comments"] == {"pieces": 1, "survived": 0, "rate": 0.0}
    assert leaks["donation"] == {"pieces": 0, "survived": 0, "rate": None}
    assert "snippets" not in m


def test_scorer_per_doc_minimal():
    per_doc = _score(FULL + SNIP).per_doc
    assert [e["id"] for e in per_doc] == ["f1", "f2", "f3", "f4", "s1", "s2"]
    assert per_doc[0] == {"id": "f1", "f1": pytest.approx(4 / 7), "leaked": 1}
    assert per_doc[2]["f1"] == pytest.approx(2 / 3)
    assert per_doc[3] == {"id": "f4", "failed": True, "f1": 0.0, "leaked": 0}
    assert per_doc[4] == {"id": "s1", "tp": 1, "fn": 1, "fp": 1, "tn": 1,
                          "leaked": 1}


def test_scorer_snippets_micro():
    m = _score(SNIP).summary()
    assert (m["n"], m["failures"], m["empty"]) == (2, 1, 0)
    assert (m["tp"], m["fn"], m["fp"], m["tn"]) == (1, 2, 1, 2)
    assert m["precision"] == pytest.approx(1 / 2)
    assert m["recall"] == pytest.approx(1 / 3)
    assert m["f1"] == pytest.approx(2 / 5)  # 2TP / (2TP + FP + FN)
    assert m["content_recall"] == pytest.approx(1 / 3)
    assert m["leak_rate"] == pytest.approx(1 / 3)
    leaks = m["leak_by_category"]
    assert leaks["related"] == {"pieces": 1, "survived": 0, "rate": 0.0}
    assert leaks["comments"] == {"pieces": 1, "survived": 1, "rate": 1.0}
    assert leaks["newsletter"] == {"pieces": 1, "survived": 0, "rate": 0.0}
    assert "full" not in m


def test_scorer_mixed_has_no_top_level_headline():
    m = _score(FULL + SNIP).summary()
    assert "f1" not in m
    assert m["full"]["f1"] == pytest.approx(80 / 171)
    assert m["snippets"]["f1"] == pytest.approx(2 / 5)


def test_scorer_merge_equals_single():
    pairs = FULL + SNIP
    single = _score(pairs)
    merged = _score(pairs[:3]).merge(_score(pairs[3:]))
    assert merged.summary() == single.summary()
    assert merged.per_doc == single.per_doc
    assert Scorer().merge(single).summary() == single.summary()


def test_scorer_empty_and_pickle():
    m = Scorer().summary()
    assert (m["n"], m["failures"], m["empty"]) == (0, 0, 0)
    assert "f1" not in m
    s = _score(FULL + SNIP)
    clone = pickle.loads(pickle.dumps(s))
    assert clone.summary() == s.summary()
    assert clone.per_doc == s.per_doc


# --------------------------------------------------------------------------- #
# real corpus
# --------------------------------------------------------------------------- #
def test_scrapinghub_identity_text_page_f1():
    if not SCRAPINGHUB.is_file():
        pytest.skip(f"corpus not available: {SCRAPINGHUB}")
    scorer = Scorer()
    with gzip.open(SCRAPINGHUB, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            scorer.add(rec, rec["text_page"])
    m = scorer.summary()
    assert m["n"] == 181
    assert m["f1"] == pytest.approx(0.665, abs=0.001)
