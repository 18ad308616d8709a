"""The report pipeline: papermill execution, HTML export, the index page.

``plumbing reports`` (see :mod:`plumbing.reports.runner`) executes the notebooks with their
parameters, exports self-contained HTML into ``reports/``, and rebuilds ``reports/index.html``.
"""

from .record import read_records, record
from .runner import ReportJob, RunSummary, plan_jobs, run_reports

__all__ = ["ReportJob", "RunSummary", "plan_jobs", "read_records", "record", "run_reports"]
