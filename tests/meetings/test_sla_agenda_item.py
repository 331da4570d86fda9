"""The agreements area's agenda item: the last finished month's SLA results, met or not."""

import datetime

import pytest
from django.utils import timezone

from agreements import services as agreement_services
from agreements.models import AgreementVersion
from tests.factories import AgreementVersionFactory, SlaLineFactory

from .test_agenda_and_minutes import one_off

pytestmark = pytest.mark.usefixtures("as_tenant_a")


def last_month() -> datetime.date:
    return (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def test_the_agenda_gives_last_months_sla_results_met_and_not_met(mworld):
    version = AgreementVersionFactory(agreement__customer=mworld.customer, number=1)
    lines = [SlaLineFactory(version=version, position=p) for p in range(3)]
    AgreementVersion.objects.filter(pk=version.pk).update(
        status=AgreementVersion.Status.IN_FORCE,
        content_sha256="0" * 64,
        in_force_at=timezone.now() - datetime.timedelta(days=400),
    )
    target = lines[0].target_value
    for line, value in zip(lines[:2], (target + 1, target - 1), strict=True):
        agreement_services.sla_measurement_record(
            line=line, period_start=last_month(), actual_value=value, actor=None
        )
    meeting = one_off(mworld, days=3)
    (item,) = meeting.agenda_items.filter(source_key="sla-results")
    assert item.title == "SLA results: 1 of 2 lines met"
    assert item.notes.count("not measured") == 1
    assert item.notes.count(": met (") == 1 and item.notes.count(": not met (") == 1
