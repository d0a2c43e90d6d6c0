"""``convert`` at the edges a real scrape folder has: unreadable folders, an output
folder inside the tree read, an output that cannot be written, and the modes of what
it writes."""

from __future__ import annotations

from pathlib import Path

from tests.convert_helpers import SEEDS, convert


def test_out_dir_files_get_the_mode_of_any_new_file(tmp_path: Path) -> None:
    result = convert(SEEDS[0], "--out-dir", tmp_path / "out", "-q")
    assert result.code == 0
    (tmp_path / "probe").write_text("")  # what the umask gives a new file
    written = next((tmp_path / "out").glob("*.json"))
    assert oct(written.stat().st_mode & 0o777) == oct((tmp_path / "probe").stat().st_mode & 0o777)
