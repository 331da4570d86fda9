"""The reads behind a relationship manager's working day: versions of their customers'
agreements awaiting signatures, and agreements due for review by a date (overdue included)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agreements import selectors
from agreements.models import AgreementVersion, Signature
from brm.tenancy.models import Role
from tests.factories import AgreementFactory, AgreementVersionFactory, CustomerFactory
from tests.kit import make_member

pytestmark = pytest.mark.usefixtures("as_tenant_a")

Status = AgreementVersion.Status


@pytest.fixture
def rms(tenant_a):
    rm = make_member(tenant_a, Role.RELATIONSHIP_MANAGER, email="rita@a.test")
    other = make_member(tenant_a, Role.RELATIONSHIP_MANAGER, email="otto@a.test")
    return rm, other


def _agreement(rm, *, review_days=None, statuses=(Status.IN_FORCE,)):
    today = timezone.localdate()
    agreement = AgreementFactory(
        customer=CustomerFactory(relationship_manager=rm),
        review_due=today + timedelta(days=review_days) if review_days is not None else None,
    )
    versions = [
        AgreementVersionFactory(agreement=agreement, number=n, status=status)
        for n, status in enumerate(statuses, 1)
    ]
    return agreement, versions


def test_versions_awaiting_signature_count_the_pending_ones_and_say_whose(rms, tenant_a):
    rm, other = rms
    itm = make_member(tenant_a, Role.IT_MANAGER, email="ian@a.test")
    _, (_, waiting) = _agreement(rm, statuses=(Status.IN_FORCE, Status.IN_SIGNATURE))
    Signature.objects.create(version=waiting, role="relationship_manager", membership=rm)
    Signature.objects.create(version=waiting, role="it_manager", membership=itm)
    _, (others,) = _agreement(rm, statuses=(Status.IN_SIGNATURE,))
    Signature.objects.create(version=others, role="it_manager", membership=itm)
    Signature.objects.create(
        version=others, role="relationship_manager", membership=rm, status="signed"
    )
    _agreement(rm, statuses=(Status.DRAFT,))
    _agreement(other, statuses=(Status.IN_SIGNATURE,))

    found = {
        v.pk: (v.pending, v.mine_pending)
        for v in selectors.versions_awaiting_signature(relationship_manager=rm)
    }
    assert found == {waiting.pk: (2, True), others.pk: (1, False)}


def test_agreements_due_for_review_by_a_date_include_the_overdue(rms):
    rm, other = rms
    overdue, _ = _agreement(rm, review_days=-5)
    soon, _ = _agreement(rm, review_days=20)
    _agreement(rm, review_days=45)
    _agreement(rm, review_days=3, statuses=(Status.IN_SIGNATURE,))  # none in force
    _agreement(other, review_days=3)
    by = timezone.localdate() + timedelta(days=30)
    found = list(selectors.agreements_due_for_review(relationship_manager=rm, by=by))
    assert found == [overdue, soon]
