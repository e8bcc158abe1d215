"""`clean eval`: scoring, baselines, rule-set comparison and the quality gate."""

from __future__ import annotations

import gzip
import json

import pytest
from click.testing import CliRunner

from cleaner import Cleaner
from cleaner.cli import main
from cleaner.evaluate import check_floors, evaluate, floors_from, lowered

from .conftest import FIXTURES, ROOT, SHARED

CASES = FIXTURES / "cases"
FLOORS = ROOT / "tests" / "quality_floors.json"


@pytest.fixture(scope="module")
def fixture_run():
    return evaluate(CASES, cleaner=Cleaner(), baselines=["identity"])


def test_fixture_scores_beat_the_identity_baseline(fixture_run):
    new = fixture_run.systems["cleaner"].summary()
    ident = fixture_run.systems["identity"].summary()
    assert new["f1"] > ident["f1"]
    assert new["failures"] == 0


def test_quality_gate_holds_on_the_fixtures(fixture_run):
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))
    assert check_floors(fixture_run.systems["cleaner"].summary(), floors) == []


@pytest.mark.parametrize("deleted", ["CM01", "DN01", "RA01"])
def test_quality_gate_fails_when_a_rule_that_matters_is_deleted(deleted):
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))
    run = evaluate(CASES, cleaner=Cleaner(ignore=[deleted]))
    assert check_floors(run.systems["cleaner"].summary(), floors) != []


def test_floors_move_only_up_without_allow_lower():
    old = {"f1": 0.9, "leak": {"donation": 0.05}}
    assert lowered(old, {"f1": 0.95, "leak": {"donation": 0.01}}) == []
    assert lowered(old, {"f1": 0.85, "leak": {"donation": 0.10}}) == ["f1", "leak.donation"]
    pinned = floors_from({"f1": 0.91234, "precision": 0.9, "recall": 0.95,
                          "leak_by_category": {"donation": {"rate": 0.01234}, "x": {"rate": None}}})
    assert pinned == {"f1": 0.9123, "precision": 0.9, "recall": 0.95, "leak": {"donation": 0.0124}}


def test_comparison_without_a_category_shows_its_leak_rise(tmp_path):
    res = CliRunner().invoke(main, ["eval", str(CASES), "--ignore", "donation", "--against", "builtin",
                                    "--json", str(tmp_path / "r.json")])
    assert res.exit_code == 0, res.output
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    new = data["systems"]["cleaner"]["leak_by_category"]["donation"]["rate"]
    old = data["systems"]["against"]["leak_by_category"]["donation"]["rate"]
    assert new > old
    changed = {c["id"] for c in data["changes"]}
    assert "donation_en_podcast_network.txt" in changed
    (ch,) = [c for c in data["changes"] if c["id"] == "donation_en_podcast_network.txt"]
    assert ch["kept_now"] and all(code.startswith("DN") for code, _ in ch["kept_now"])
    assert "leak donation" in res.stdout and "documents changed" in res.stdout


def test_eval_reads_jsonl_gz_records(tmp_path):
    recs = [{"id": "a", "gold_type": "full", "gold": "The river rose by two metres overnight in the valley.",
             "with": [], "without": [], "html": None,
             "text_recall": "The river rose by two metres overnight in the valley.\nComments are closed.",
             "text_page": "Menu\nThe river rose by two metres overnight in the valley.\nComments are closed."},
            {"id": "b", "gold_type": "snippets", "gold": "Snow fell.", "with": ["Snow fell across the north."],
             "without": ["Leave a Reply"], "html": None,
             "text_recall": "Snow fell across the north.\nLeave a Reply", "text_page": ""}]
    path = tmp_path / "docs.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for r in recs:
            fh.write(json.dumps(r) + "\n")
    run = evaluate(path, cleaner=Cleaner(), input_field="text_recall", baselines=["identity"])
    s = run.systems["cleaner"].summary()
    assert s["full"]["f1"] == 1.0
    assert s["snippets"]["leak_rate"] == 0.0 and s["snippets"]["content_recall"] == 1.0
    assert run.systems["identity"].summary()["snippets"]["leak_rate"] == 1.0
    assert s["rule_hits"] == {"CM01": 1, "CM02": 1}


@pytest.mark.skipif(not (SHARED / "corpora" / "scrapinghub" / "docs.jsonl.gz").exists(),
                    reason="../shared/corpora is absent (public corpora are not part of the repository)")
def test_identity_baseline_on_scrapinghub_text_page():
    run = evaluate(SHARED / "corpora" / "scrapinghub" / "docs.jsonl.gz", cleaner=Cleaner(select=["CM01"]),
                   input_field="text_page", baselines=["identity"])
    assert run.systems["identity"].summary()["f1"] == pytest.approx(0.665, abs=0.001)
