"""Ray Data: clean a dataset of records on a cluster (the optional extra ``cleaner[ray]``).

``CleanBatch`` is a callable class for ``Dataset.map_batches(..., batch_format="pyarrow")``:
each Ray worker builds it once (the rules are compiled once per worker) and it adds the
columns ``clean_text`` and ``clean_error`` (null unless the row failed), and on request
``removal_codes`` (list of rule codes) and ``removal_count``. ``clean_dataset`` reads JSONL
files, cleans them and writes JSONL files in one call::

    import ray
    from cleaner.ray import clean_dataset
    ray.init(address="auto")                     # or RAY_ADDRESS=ray://head:10001
    clean_dataset(["s3://bucket/crawl/*.jsonl.gz"], "s3://bucket/clean/", with_removals=True)

Ray is imported only by ``clean_dataset``; ``CleanBatch`` needs pyarrow.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Sequence

from .core import Cleaner
from .decode import InputError
from .limits import DEFAULT_TIMEOUT, time_limit

__all__ = ["CleanBatch", "clean_dataset"]


def _pyarrow():
    try:
        import pyarrow as pa
    except ImportError:
        raise ImportError("cleaner.ray needs pyarrow and ray: pip install 'cleaner[ray]'") from None
    return pa


class CleanBatch:
    """Cleans a pyarrow batch of records (see the module's doc). Constructor arguments are
    the Cleaner's options (``rules``, ``select``, ``ignore``, ``text_kind``) and the record
    options (``text_field``/``html_field``: the HTML field is used when the row has it, not
    null; ``with_removals``; ``timeout`` per HTML document)."""

    def __init__(self, rules: Sequence[str] | None = None, *, select: Iterable[str] | None = None,
                 ignore: Iterable[str] | None = None, text_kind: str = "auto", text_field: str | None = "text",
                 html_field: str | None = "html", with_removals: bool = False,
                 timeout: float | None = DEFAULT_TIMEOUT):
        self.cleaner = Cleaner(rules, select=select, ignore=ignore, text_kind=text_kind)
        self.text_field, self.html_field = text_field, html_field
        self.with_removals, self.timeout = with_removals, timeout

    def _column(self, batch: Any, name: str | None) -> list[Any]:
        if name and name in batch.column_names:
            return batch.column(name).to_pylist()
        return [None] * batch.num_rows

    def _one(self, html: Any, text: Any) -> tuple[str | None, str | None, list[str]]:
        value, fmt = (html, "html") if html is not None else (text, "text")
        if value is None:
            names = " or ".join(repr(f) for f in (self.html_field, self.text_field) if f)
            return None, f"missing field: the record has no {names}", []
        if not isinstance(value, str):
            return None, f"field is not a string (got {type(value).__name__})", []
        try:
            with time_limit(self.timeout if fmt == "html" else None):
                result = self.cleaner.clean(value, format=fmt)
        except (InputError, ValueError, RecursionError) as exc:
            return None, str(exc) or type(exc).__name__, []
        return result.text, None, [r.code for r in result.removals]

    def __call__(self, batch: Any) -> Any:
        pa = _pyarrow()
        rows = [self._one(h, t) for h, t in zip(self._column(batch, self.html_field),
                                                 self._column(batch, self.text_field))]
        batch = batch.append_column("clean_text", pa.array([r[0] for r in rows], pa.string()))
        batch = batch.append_column("clean_error", pa.array([r[1] for r in rows], pa.string()))
        if self.with_removals:
            batch = batch.append_column("removal_codes", pa.array([r[2] for r in rows], pa.list_(pa.string())))
            batch = batch.append_column("removal_count", pa.array([len(r[2]) for r in rows], pa.int32()))
        return batch


def clean_dataset(inputs: str | Path | Sequence[str | Path], output_dir: str | Path, *,
                  concurrency: int | None = None, batch_size: int = 64, **options: Any) -> None:
    """Read JSONL files (paths, folders or globs Ray understands, local or remote), clean
    every record with ``CleanBatch(**options)`` on ``concurrency`` workers (default: the
    cluster's CPUs) and write JSONL files into ``output_dir``. Uses the running Ray
    instance, or starts a local one (``ray.init()``); connect first for a cluster."""
    import ray

    paths = [str(p) for p in ([inputs] if isinstance(inputs, (str, Path)) else inputs)]
    if not ray.is_initialized():
        ray.init()
    workers = concurrency or max(1, int(ray.cluster_resources().get("CPU", 1)))
    ds = ray.data.read_json(paths, lines=True)
    ds = ds.map_batches(CleanBatch, fn_constructor_kwargs=options, batch_format="pyarrow",
                        batch_size=batch_size, concurrency=workers)
    ds.write_json(str(output_dir))
