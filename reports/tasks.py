"""The daily job of the reports area: at 00:30 office time, each office writes the snapshots of
the day that has just ended (yesterday, office date), once (brm.outbox runs the job once, and a
day that has snapshots already is left as it is)."""

from __future__ import annotations

from datetime import date, time, timedelta

from brm.outbox.models import DueJob
from brm.outbox.registry import daily_job

from . import services

SNAPSHOTS = "reports.snapshots"


@daily_job(SNAPSHOTS, at=time(0, 30))
def snapshots_daily(job: DueJob) -> None:
    services.snapshots_write(day=date.fromisoformat(job.payload["date"]) - timedelta(days=1))
