"""What the agreement puts on a review meeting's agenda: the last period's SLA results and the
review date. Registered in the agenda registry (brm.web.registry), so the meetings area builds
its agendas from it without the agreements area knowing of meetings."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from brm.web.registry import agenda_providers

from . import periods
from .models import Agreement, AgreementVersion, SlaMeasurement
from .selectors import sla_lines, version_in_force


def _agreement(meeting) -> Agreement | None:
    """The customer's agreement: looked up once for both providers and every occurrence of a
    cadence being planned (agenda_providers.run)."""
    return agenda_providers.memo(
        ("agreements.agreement", meeting.customer_id),
        lambda: Agreement.objects.filter(customer_id=meeting.customer_id).first(),
    )


def _version_and_lines(agreement: Agreement) -> tuple[AgreementVersion | None, list]:
    def compute():
        version = version_in_force(agreement)
        return version, list(sla_lines(version)) if version else []

    return agenda_providers.memo(("agreements.version", agreement.pk), compute)


def sla_results(meeting) -> list[dict]:
    """The SLA lines of the version in force with the last finished month's (or quarter's)
    results: met, not met or not measured."""
    agreement = _agreement(meeting)
    version, lines = _version_and_lines(agreement) if agreement else (None, [])
    if version is None or not lines:
        return []
    today = timezone.localtime(meeting.starts_at, meeting.customer.tenant.zone).date()
    wanted = {line.key: periods.last_finished(line.period, today) for line in lines}
    found = {
        (m.line_key, m.period_start): m
        for m in SlaMeasurement.objects.filter(agreement=agreement, line_key__in=list(wanted))
        .filter(period_start__in={p[0] for p in wanted.values()})
        .select_related("line")
    }
    rows, met, measured = [], 0, 0
    for line in lines:
        start, _end = wanted[line.key]
        m = found.get((line.key, start))
        label = periods.period_label(line.period, start)
        if m is None:
            result = _("not measured")
        else:
            measured += 1
            met += m.target_met
            result = (
                _("met") if m.target_met else _("not met")
            ) + f" ({m.actual_value} {line.unit})".rstrip()
        rows.append(f"{line.service} {line.metric} ({label}): {result}")
    title = _("SLA results: %(met)s of %(measured)s lines met") % {"met": met, "measured": measured}
    return [{"key": "sla-results", "title": title, "notes": "\n".join(rows)}]


def review_date(meeting) -> list[dict]:
    agreement = _agreement(meeting)
    if agreement is None or agreement.review_due is None:
        return []
    day = timezone.localtime(meeting.starts_at, meeting.customer.tenant.zone).date()
    overdue = agreement.review_due < day
    title = (
        _("Agreement review overdue since %(day)s")
        if overdue
        else _("Agreement review due %(day)s")
    ) % {"day": date_format(agreement.review_due, "j M Y")}
    return [{"key": "agreement-review", "title": title, "notes": ""}]
