from __future__ import annotations

import pickle
from concurrent.futures import ProcessPoolExecutor

import pytest

import cleaner
from cleaner import Cleaner, InputError, clean

ARTICLE = "The bridge reopened on Friday after two years of repairs.\n\nComments are closed.\n"


def test_public_api_is_small_and_declared():
    assert set(cleaner.__all__) >= {"Cleaner", "clean", "Result", "Removal", "load_rules"}
    for name in cleaner.__all__:
        assert hasattr(cleaner, name)


def test_clean_returns_text_and_removals():
    res = clean(ARTICLE)
    assert res.text == "The bridge reopened on Friday after two years of repairs.\n"
    (rem,) = res.removals
    assert (rem.code, rem.category, rem.block) == ("CM01", "comments", 1)
    assert ARTICLE[rem.start:rem.end] == "Comments are closed."


def test_bytes_are_decoded():
    assert clean(ARTICLE.encode("utf-8")).text == clean(ARTICLE).text
    assert clean("\ufeff".encode() + "Привіт, світ. Коментарі закрито.".encode()).text


def test_empty_input_is_an_error():
    with pytest.raises(InputError):
        clean("  \n\n ")


def _work(args):
    c, text = args
    return c.clean(text).text


def test_cleaner_can_be_sent_to_worker_processes():
    c = Cleaner(select=["comments"])
    c2 = pickle.loads(pickle.dumps(c))
    assert [r.code for r in c2.rules] == [r.code for r in c.rules]
    with ProcessPoolExecutor(2) as pool:
        outs = list(pool.map(_work, [(c, ARTICLE)] * 3))
    assert outs == [c.clean(ARTICLE).text] * 3


def test_trafilatura_global_config_is_not_mutated():
    from trafilatura.settings import DEFAULT_CONFIG

    before = {k: dict(DEFAULT_CONFIG[k]) for k in DEFAULT_CONFIG}
    from .test_html import PAGE

    Cleaner().clean(PAGE)
    assert {k: dict(DEFAULT_CONFIG[k]) for k in DEFAULT_CONFIG} == before
