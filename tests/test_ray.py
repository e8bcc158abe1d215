"""Ray Data: the batch cleaner and the one-call helper, on a small local Ray instance."""

from __future__ import annotations

import gzip
import json

import pytest

from .test_cli import CLEAN, TEXT
from .test_html import PAGE

ray = pytest.importorskip("ray", reason="the 'ray' extra (ray[data]) is not installed")
pa = pytest.importorskip("pyarrow", reason="the 'ray' extra (pyarrow) is not installed")

from cleaner.ray import CleanBatch, clean_dataset  # noqa: E402


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, object_store_memory=100 * 1024 * 1024, include_dashboard=False,
             log_to_driver=False, configure_logging=False)
    yield
    ray.shutdown()


def test_clean_batch_adds_columns_without_ray(cleaner):
    batch = pa.table({"id": [1, 2, 3, 4], "text": [TEXT, None, "  ", "Become a Patron!\n\nThe mayor spoke."],
                      "html": [None, PAGE, None, None]})
    out = CleanBatch(with_removals=True)(batch)
    assert out.column_names == ["id", "text", "html", "clean_text", "clean_error", "removal_codes", "removal_count"]
    rows = out.to_pylist()
    assert rows[0]["clean_text"] == CLEAN and rows[0]["removal_codes"] == ["CM01"] and rows[0]["clean_error"] is None
    assert rows[1]["clean_text"] == cleaner.clean(PAGE, format="html").text
    assert rows[2]["clean_text"] is None and "empty input" in rows[2]["clean_error"]
    assert rows[3]["removal_count"] == len(rows[3]["removal_codes"]) == 1
    assert "removal_codes" not in CleanBatch(select=["comments"])(batch).column_names


def test_clean_dataset_on_a_local_ray(local_ray, tmp_path, cleaner):
    src = tmp_path / "in"
    src.mkdir()
    records = [{"id": i, "text": TEXT if i % 2 else f"Story {i}: the ferry ran late.\n\nComments are closed.\n"}
               for i in range(40)]
    (src / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records[:20]), encoding="utf-8")
    (src / "b.jsonl.gz").write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in records[20:]).encode()))
    clean_dataset([src / "a.jsonl", src / "b.jsonl.gz"], tmp_path / "out", concurrency=1, with_removals=True)
    rows = [json.loads(line) for p in sorted((tmp_path / "out").glob("*.json*")) for line in p.read_text().splitlines()]
    assert sorted(r["id"] for r in rows) == list(range(40))
    for r in rows:
        assert r["clean_text"] == cleaner.clean(r["text"], format="text").text
        assert r["removal_codes"] == ["CM01"] and r["clean_error"] is None
