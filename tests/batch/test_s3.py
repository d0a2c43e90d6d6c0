"""fsspec URLs against a real S3-compatible server on 127.0.0.1 (moto's server mode, in
a process of its own, spoken to by s3fs), on a Dask cluster: the notebook functions, and convert."""

from __future__ import annotations

import contextlib
import gc
import importlib.util
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from anp_extract.batch import bags
from tests.support import SEEDS

distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")
s3fs = pytest.importorskip("s3fs", reason="the dask extra is not installed")
if importlib.util.find_spec("moto") is None:  # not imported here: see the s3 fixture
    pytest.skip("moto[server] is not installed", allow_module_level=True)
pq = pytest.importorskip("pyarrow.parquet", reason="the parquet extra is not installed")
# Dask, pyarrow (and s3fs) are hundreds of thousands of objects that live to the end of
# the session: out of every later garbage collection, which the timed tests would feel.
gc.freeze()


ENV = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_for(port: int) -> None:
    for _ in range(300):  # up to 30 s
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    pytest.fail("moto's server did not start")


@pytest.fixture(scope="module")
def s3() -> Iterator[dict[str, Any]]:
    """storage_options for a bucket 'scrape' holding the seeds under seeds/."""
    port = _free_port()
    # moto's server in a process of its own: its backends are millions of objects that
    # would slow every garbage collection in this one (and the timed tests after it).
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1",
                               "-p", str(port)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    _wait_for(port)
    options = {"key": "testing", "secret": "testing",
               "client_kwargs": {"endpoint_url": f"http://127.0.0.1:{port}",
                                 "region_name": "eu-west-1"}}
    # What convert's workers read: the usual AWS variables, endpoint included.
    saved = {name: os.environ.get(name) for name in ENV}
    os.environ.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                       "AWS_DEFAULT_REGION": "eu-west-1",
                       "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}"})
    try:
        fs = s3fs.S3FileSystem(**options)
        fs.mkdir("scrape")
        for seed in SEEDS:
            fs.pipe(f"scrape/seeds/{seed.name}", seed.read_bytes())
        yield options
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        server.terminate()
        server.wait(10)
        s3fs.S3FileSystem.clear_instance_cache()  # and botocore's models with them
        gc.collect()


@pytest.fixture(scope="module")
def cluster(s3: dict[str, Any]) -> Iterator[Any]:  # after s3: workers see its variables
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1",
                                  dashboard_address="127.0.0.1:0") as local, \
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
    from tests.support.convert_helpers import convert, interrupted_after

    address = cluster.scheduler.address
    fs = s3fs.S3FileSystem(**s3)
    fs.pipe("scrape/seeds/002_bad.txt", b"\x89PNG\0\0")  # a failure in the middle
    try:
        local = tmp_path / "j1.parquet"
        one = convert("s3://scrape/seeds/", "-o", local, "-j1")
        assert one.code == 1 and "s3://scrape/seeds/002_bad.txt: binary file" in one.err
        on_cluster = convert("s3://scrape/seeds/", "-o", "s3://scrape/out/pages.parquet",
                             "--scheduler", address)
        assert on_cluster.code == 1 and on_cluster.err.count("binary file") == 1
        fs.get("scrape/out/pages.parquet", str(tmp_path / "cluster.parquet"))
        assert (tmp_path / "cluster.parquet").read_bytes() == local.read_bytes()
        table = pq.read_table(local)
        assert table.column("source").to_pylist()[0] == "s3://scrape/seeds/" + SEEDS[0].name
        # Resumed from the manifest: unchanged objects are not read again.
        jsonl, whole = tmp_path / "pages.jsonl", tmp_path / "whole.jsonl"
        convert("s3://scrape/seeds/", "-o", whole, "-j1")
        with interrupted_after(2):
            assert convert("s3://scrape/seeds/", "-o", jsonl, "-j1").code == 130
        resumed = convert("s3://scrape/seeds/", "-o", jsonl, "--resume", "--scheduler",
                          address)
        assert "(2 from the manifest, 4 parsed)" in resumed.err
        assert jsonl.read_bytes() == whole.read_bytes()
        refused = convert("s3://scrape/seeds/", "-o", "s3://scrape/out/x.jsonl", "--resume")
        assert refused.code == 2 and "--resume needs a local output" in refused.err
    finally:
        with contextlib.suppress(OSError):
            fs.rm("scrape/seeds/002_bad.txt")


def test_containers_in_a_bucket_read_as_local_ones(s3: dict[str, Any], cluster: Any,
                                                   tmp_path: Path) -> None:
    """A WARC, a zip and a tar.gz in a bucket are streamed through fsspec like local
    files: the same records, named by their URL (failed on main before: "no such file")."""
    from tests.support import containers, run
    from tests.support.convert_helpers import convert

    fs = s3fs.S3FileSystem(**s3)
    made = [containers.warc(tmp_path / "crawl.warc.gz"),
            containers.zip_archive(tmp_path / "pages.zip"),
            containers.tar(tmp_path / "crawl.tar.gz")]
    for local in made:
        fs.put_file(str(local), f"scrape/boxes/{local.name}")
    try:
        for local in made:
            url = f"s3://scrape/boxes/{local.name}"
            remote, here = run(["parse", url]), run(["parse", str(local)])
            assert remote.code == here.code and remote.out, remote.err
            assert remote.out.replace(url.encode(), b"X") == \
                here.out.replace(str(local).encode(), b"X")
        whole = convert("s3://scrape/boxes/", "-o", tmp_path / "boxes.jsonl", "-j2")
        sources = [orjson.loads(line)["source"]
                   for line in (tmp_path / "boxes.jsonl").read_bytes().splitlines()]
        assert whole.code == 1 and "HTML, not a text page" in whole.err  # the WARC's HTML
        assert {source.split("!")[0] for source in sources} == {
            f"s3://scrape/boxes/{local.name}" for local in made}
        on_cluster = convert("s3://scrape/boxes/", "-o", tmp_path / "cluster.jsonl",
                             "--scheduler", cluster.scheduler.address)
        assert (tmp_path / "cluster.jsonl").read_bytes() == \
            (tmp_path / "boxes.jsonl").read_bytes(), on_cluster.err
    finally:
        with contextlib.suppress(OSError):
            fs.rm("scrape/boxes", recursive=True)
