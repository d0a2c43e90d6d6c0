"""convert's engine: the plan (what to read, where to write), the unit of work, the
ordered run over worker processes, the manifest that makes a run resumable, and the
sinks' file handling.

``Job`` is the unit of work: a pure, picklable function of one path, for worker
processes here or a distributed engine (Dask, Spark) elsewhere.
"""

from __future__ import annotations

from .job import (
    SEEN,
    Converted,
    Failed,
    Job,
    Output,
    Result,
    convert_one,
    dedupe_columns,
    digest,
)
from .run import Dedupe, Sink, Totals, run

__all__ = [
    "SEEN", "Converted", "Dedupe", "Failed", "Job", "Output", "Result", "Sink", "Totals",
    "convert_one", "dedupe_columns", "digest", "run",
]
