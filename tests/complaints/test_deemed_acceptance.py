"""No answer to a resolution: a reminder after 5 working days, closed as deemed accepted after 5
more; each once, and never for a resolution that was answered or replaced."""

import pytest

from complaints import services
from complaints.models import ComplaintEvent
from tests.complaints.conftest import local, mails, receive, refetch, resolve, run_due, working

pytestmark = pytest.mark.usefixtures("as_tenant_a")


@pytest.fixture
def resolved(world, clock):
    clock.set(local(2027, 3, 1, 9))
    complaint = working(world, receive(world))
    clock.set(local(2027, 3, 1, 11))  # a Monday
    return resolve(world, complaint)


def test_the_raiser_is_reminded_after_5_working_days_once(tenant_a, world, resolved):
    run_due(tenant_a, local(2027, 3, 8, 10, 59))
    assert mails("complaint-confirm-reminder:") == []
    run_due(tenant_a, local(2027, 3, 8, 11))
    run_due(tenant_a, local(2027, 3, 9, 11))
    (mail,) = mails("complaint-confirm-reminder:")
    assert mail.to == [world.bea.email]
    assert refetch(resolved).status == "resolved"


def test_it_closes_as_deemed_accepted_after_5_more_working_days(tenant_a, world, resolved):
    run_due(tenant_a, local(2027, 3, 15, 11))
    complaint = refetch(resolved)
    assert complaint.status == "closed_deemed_accepted"
    assert complaint.closed_at == local(2027, 3, 15, 11)
    kinds = list(ComplaintEvent.objects.filter(complaint=complaint).values_list("kind", flat=True))
    assert kinds.count("reminded") == 1 and kinds.count("deemed_accepted") == 1


def test_a_confirmed_resolution_is_neither_reminded_nor_deemed(tenant_a, world, resolved):
    services.complaint_confirm(complaint=resolved, actor=world.business_manager)
    run_due(tenant_a, local(2027, 3, 20, 9))
    assert refetch(resolved).status == "closed_confirmed"
    assert mails("complaint-confirm-reminder:") == []


def test_a_rejected_and_resolved_again_complaint_runs_on_its_new_resolution(
    tenant_a, world, resolved, clock
):
    clock.set(local(2027, 3, 2, 9))
    services.complaint_reject(complaint=resolved, actor=world.business_manager, reason="No")
    clock.set(local(2027, 3, 3, 9))
    complaint = resolve(world, refetch(resolved))
    run_due(tenant_a, local(2027, 3, 15, 11))  # the first resolution's close time
    complaint = refetch(complaint)
    assert complaint.status == "resolved"
    run_due(tenant_a, local(2027, 3, 17, 9))
    assert refetch(complaint).status == "closed_deemed_accepted"
