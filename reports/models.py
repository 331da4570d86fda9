"""The office's measures, kept day by day.

A snapshot is what one metric said about one scope of the office on one day: the whole office,
one relationship manager's customers, one division's customers or one customer. The daily job
writes them once a day (reports.tasks) and `reports_rebuild` recomputes a past range, so a trend
is a cheap read and a figure shown once does not move when a record is edited later.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from brm.tenancy.models import TenantOwnedModel


class ScopeKind(models.TextChoices):
    OFFICE = "office", _("Office")
    RM = "rm", _("Relationship manager")
    DIVISION = "division", _("Division")
    CUSTOMER = "customer", _("Customer")


class Window(models.TextChoices):
    """What span of time a figure covers. A state ("customers with an agreement in force") is
    the state on the day; a flow ("complaints received") is counted over the month or the
    quarter to the day, so the snapshot of a period's last day is the whole period's figure."""

    STATE = "state", _("State on the day")
    MONTH = "month", _("Month to date")
    QUARTER = "quarter", _("Quarter to date")


class MetricSnapshot(TenantOwnedModel):
    """One metric of one scope of the office on one day (office date), with its n and, for a
    figure with an interval (NPS, CSAT), its low and high bounds."""

    day = models.DateField(_("day"))
    metric = models.CharField(_("metric"), max_length=64)
    scope_kind = models.CharField(_("scope"), max_length=16, choices=ScopeKind.choices)
    # The RM's membership id, the division's name or the customer's id; blank for the office.
    scope_id = models.CharField(_("scope id"), max_length=200, blank=True)
    window = models.CharField(_("window"), max_length=16, choices=Window.choices)
    value = models.FloatField(_("value"), null=True, blank=True)  # None: nothing to measure
    n = models.PositiveIntegerField(_("n"), null=True, blank=True)
    low = models.FloatField(_("low"), null=True, blank=True)
    high = models.FloatField(_("high"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed"), auto_now=True)

    class Meta:
        ordering = ["day", "metric", "scope_kind", "scope_id", "window"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "day", "metric", "scope_kind", "scope_id", "window"],
                name="metric_snapshot_once",
            ),
        ]
        indexes = [
            # The API's question: "this metric of this scope over these days".
            models.Index(
                fields=["tenant", "metric", "scope_kind", "scope_id", "day"],
                name="metric_snapshot_series",
            ),
            models.Index(fields=["tenant", "day"], name="metric_snapshot_day"),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.scope_kind}:{self.scope_id} {self.day}"
