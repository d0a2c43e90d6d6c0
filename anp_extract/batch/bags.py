"""For notebooks: page records as a Dask bag, and partitioned Parquet in the fixed schema.

    >>> from anp_extract.batch.bags import records, rows, to_parquet
    >>> pages = records("s3://bucket/scrape/**/*.txt", storage_options={"anon": False})
    >>> rows(pages, "briefs").pluck("places").flatten().frequencies().topk(10, key=1)
    >>> to_parquet(pages, "s3://bucket/dataset/briefs", "briefs")

Files are read where the tasks run, through fsspec (local paths, ``file://``, ``s3://``,
``gs://``…), so a cluster's workers read what the notebook names.  A file that cannot
be read or is not a page gives no record here (``convert`` names such files).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ..core.page import ParseOptions, parse_bytes
from ..core.tables import Table, items
from ..errors import AnpExtractError, need
from ..sinks import arrow

FILES_PER_PARTITION = 256


def _open_files(urlpath: str | Sequence[str], storage_options: dict[str, Any] | None) -> Any:
    fsspec = need("fsspec", "dask", "Reading URLs")
    if isinstance(urlpath, str) and urlpath.endswith("/"):
        urlpath += "**/*.txt"  # a folder: its pages, at any depth
    return fsspec.open_files(urlpath, mode="rb", **(storage_options or {}))


def _record(openfile: Any, options: ParseOptions) -> list[dict[str, Any]]:
    try:
        with openfile as handle:
            data = handle.read()
        return [parse_bytes(data, openfile.full_name, options).to_dict()]
    except (AnpExtractError, OSError):
        return []


def records(
    urlpath: str | Sequence[str], options: ParseOptions | None = None,
    storage_options: dict[str, Any] | None = None,
    files_per_partition: int = FILES_PER_PARTITION,
) -> Any:
    """A ``dask.bag.Bag`` of the page records of the files *urlpath* names: a glob, a
    folder URL ending in ``/``, or a list of paths; in sorted path order."""
    bag = need("dask.bag", "dask", "A Dask bag")
    files = sorted(_open_files(urlpath, storage_options), key=lambda item: item.full_name)
    parse = options or ParseOptions()
    return bag.from_sequence(files, partition_size=files_per_partition).map(
        _record, parse).flatten()


def _rows(records: Iterable[dict[str, Any]], table: Table) -> list[dict[str, Any]]:
    return [item for record in records for item in items(record, table)]


def rows(records: Any, table: Table = "pages") -> Any:
    """The rows of *table* (``pages``, ``briefs``, ``ticker``) of a bag of records, as
    ``convert --table`` gives them (each brief or ticker item with its page's keys)."""
    return records.map_partitions(_rows, table)


def _write(records: Iterable[dict[str, Any]], path: str, table: Table,
           storage_options: dict[str, Any]) -> str:
    fsspec = need("fsspec", "dask", "Writing URLs")
    pa = arrow.pyarrow()
    pq = need("pyarrow.parquet", "parquet", "Parquet")
    schema = arrow.arrow_schema(table)
    convert = arrow.converter(schema)
    batch = pa.Table.from_pylist([convert(item) for item in _rows(records, table)],
                                 schema=schema)
    with fsspec.open(path, "wb", **storage_options) as handle:
        pq.write_table(batch, handle, compression="zstd")
    return path


def to_parquet(
    records: Any, urlpath: str, table: Table = "pages",
    storage_options: dict[str, Any] | None = None,
) -> list[str]:
    """Write the rows of *table* of a bag of records as one Parquet file per partition
    (``urlpath/part.00000.parquet``…), every one in the table's fixed schema (an empty
    partition too), so readers never meet two schemas.  The paths written."""
    dask = need("dask", "dask", "Partitioned Parquet")
    arrow.pyarrow()
    fsspec = need("fsspec", "dask", "Writing URLs")
    options = storage_options or {}
    fs, root = fsspec.core.url_to_fs(urlpath, **options)
    fs.makedirs(root, exist_ok=True)
    base = urlpath.rstrip("/")
    writes = [
        dask.delayed(_write)(part, f"{base}/part.{index:05d}.parquet", table, options)
        for index, part in enumerate(records.to_delayed())
    ]
    return list(dask.compute(*writes))
