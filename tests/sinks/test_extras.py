"""An optional dependency that is not installed is one line naming the extra, exit 2,
installed as the README says: from the checkout (no package index has anp-extract, so
``pip install 'anp-extract[parquet]'`` failed for a new user)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.support import ROOT, run


@pytest.mark.parametrize(("module", "args", "message"), [
    ("pyarrow", ["-o", "x.parquet"],
     "Parquet needs pyarrow: pip install '.[parquet]' in anp-extract's checkout"),
    ("zstandard", ["-o", "x.jsonl.zst"],
     "a .zst output needs zstandard: pip install '.[zstd]' in anp-extract's checkout"),
    ("distributed", ["-o", "x.jsonl", "--scheduler", "local"],
     "--scheduler needs distributed: pip install '.[dask]' in anp-extract's checkout"),
])
def test_missing_extra_is_named(module: str, args: list[str], message: str, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # import fails as if not installed
    if module == "pyarrow":
        monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    result = run(["convert", "seeds", *[arg.replace("x.", f"{tmp_path}/x.") for arg in args]],
                 cwd=ROOT)
    assert (result.code, result.out) == (2, b"")
    assert result.err == f"anp-extract: {message}\n"
    assert list(tmp_path.iterdir()) == []


def test_arrow_schema_without_pyarrow(monkeypatch: pytest.MonkeyPatch) -> None:
    from anp_extract import arrow_schema
    from anp_extract.sinks import MissingExtra

    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(MissingExtra,
                       match=r"pip install '\.\[parquet\]' in anp-extract's checkout"):
        arrow_schema("briefs")
