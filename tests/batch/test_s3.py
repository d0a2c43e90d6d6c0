"""fsspec URLs against a real S3-compatible server on 127.0.0.1 (moto's server mode,
spoken to by s3fs), on a Dask cluster: the notebook functions, and convert."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from anp_extract.batch import bags
from tests.support import SEEDS

distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")
s3fs = pytest.importorskip("s3fs", reason="the dask extra is not installed")
moto_server = pytest.importorskip("moto.server", reason="moto[server] is not installed")
pq = pytest.importorskip("pyarrow.parquet", reason="the parquet extra is not installed")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def s3() -> Iterator[dict[str, Any]]:
    """storage_options for a bucket 'scrape' holding the seeds under seeds/."""
    port = _free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    options = {"key": "testing", "secret": "testing",
               "client_kwargs": {"endpoint_url": f"http://127.0.0.1:{port}",
                                 "region_name": "eu-west-1"}}
    try:
        fs = s3fs.S3FileSystem(**options)
        fs.mkdir("scrape")
        for seed in SEEDS:
            fs.pipe(f"scrape/seeds/{seed.name}", seed.read_bytes())
        yield options
    finally:
        server.stop()


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1",
                                  dashboard_address=None) as local, \
            distributed.Client(local) as client:
        yield client


def test_records_and_partitioned_parquet(s3: dict[str, Any], cluster: Any) -> None:
    from anp_extract import arrow_schema, parse_bytes

    pages = bags.records("s3://scrape/seeds/", storage_options=s3, files_per_partition=2)
    found = pages.compute()
    assert [record["source"] for record in found] == [
        f"s3://scrape/seeds/{seed.name}" for seed in SEEDS]
    for record, seed in zip(found, SEEDS, strict=True):
        local = parse_bytes(seed.read_bytes(), f"s3://scrape/seeds/{seed.name}").to_dict()
        assert orjson.dumps(record) == orjson.dumps(local)
    assert bags.rows(pages, "briefs").count().compute() == 35
    written = bags.to_parquet(pages, "s3://scrape/dataset/briefs", "briefs",
                              storage_options=s3)
    assert len(written) == 3  # five files, two a partition
    fs = s3fs.S3FileSystem(**s3)
    table = pq.read_table([path.removeprefix("s3://") for path in written], filesystem=fs)
    assert table.num_rows == 35 and table.schema.equals(arrow_schema("briefs"))


def test_convert_reads_and_writes_urls(s3: dict[str, Any], cluster: Any,
                                       tmp_path: Path) -> None:
    pytest.skip("convert with URLs: not yet")
