"""The agreements list, its states, the version history and the office's measures."""

import datetime

import pytest
from django.http import Http404
from django.utils import timezone

from agreements import selectors, services
from agreements.models import Agreement, Signature
from brm.tenancy.models import Role
from customers.models import Customer
from tests.agreements.conftest import sign, sign_all
from tests.factories import AgreementFactory, AgreementVersionFactory, CustomerFactory
from tests.kit import in_tenant, make_member

pytestmark = pytest.mark.usefixtures("as_tenant_a")

State = Agreement.State


def _in_force(world, draft):
    services.version_submit(version=draft, actor=world.rm.user, signers=world.signers)
    sign_all(draft, world)
    return draft.agreement


def _row(agreement, **kwargs):
    return selectors.agreement_list(**kwargs).get(pk=agreement.pk)


def test_a_draft_only_agreement_has_none_in_force(draft):
    row = _row(draft.agreement)
    assert (row.state, row.in_force_number, row.pending_signatures) == (
        State.NONE_IN_FORCE,
        None,
        0,
    )


def test_a_version_in_signature_shows_its_pending_signatures(world, draft):
    services.version_submit(version=draft, actor=world.rm.user, signers=world.signers)
    sign(Signature.objects.get(version=draft, role="it_manager"), world.it_manager)
    row = _row(draft.agreement)
    assert (row.state, row.in_signature_number, row.pending_signatures) == (
        State.NONE_IN_FORCE,
        1,
        3,
    )


def test_an_agreement_in_force_shows_its_version_and_review_date(world, draft):
    agreement = _in_force(world, draft)
    row = _row(agreement)
    assert (row.state, row.in_force_number, row.pending_signatures) == (State.IN_FORCE, 1, 0)
    assert row.review_due > timezone.localdate()


def test_a_revision_in_signature_is_shown_beside_the_version_in_force(world, draft):
    agreement = _in_force(world, draft)
    revision = services.version_revise(version=draft, actor=world.rm.user)
    services.version_submit(version=revision, actor=world.rm.user, signers=world.signers)
    row = _row(agreement)
    assert (row.state, row.in_force_number, row.in_signature_number, row.pending_signatures) == (
        State.IN_FORCE_NEWER_IN_SIGNATURE,
        1,
        2,
        4,
    )


def test_an_agreement_past_its_review_date_is_overdue(world, draft):
    agreement = _in_force(world, draft)
    later = _row(agreement).review_due + datetime.timedelta(days=1)
    assert _row(agreement, today=later).state == State.REVIEW_OVERDUE
    assert list(selectors.agreements_overdue_for_review(today=later)) == [agreement]
    assert list(selectors.agreements_overdue_for_review()) == []


def test_the_state_read_in_python_matches_the_list():
    today = datetime.date(2026, 6, 1)
    due = datetime.date(2026, 5, 1)
    state = selectors.agreement_state
    assert state(in_force=False, in_signature=True, review_due=None, today=today) == "none_in_force"
    assert state(in_force=True, in_signature=True, review_due=due, today=today) == "review_overdue"
    assert state(in_force=True, in_signature=True, review_due=None, today=today) == (
        "in_force_newer_in_signature"
    )
    assert state(in_force=True, in_signature=False, review_due=None, today=today) == "in_force"


def test_the_list_filters_by_state_and_by_rm(tenant_a, world, draft):
    agreement = _in_force(world, draft)
    other_rm = make_member(tenant_a, Role.RELATIONSHIP_MANAGER, email="rm2@example.test")
    other = AgreementFactory(customer=CustomerFactory(relationship_manager=other_rm))
    AgreementVersionFactory(agreement=other, number=1)
    assert list(selectors.agreement_list(state=State.IN_FORCE)) == [agreement]
    assert list(selectors.agreement_list(relationship_manager=other_rm)) == [other]


def test_the_version_history_is_newest_first(world, draft):
    agreement = _in_force(world, draft)
    services.version_revise(version=draft, actor=world.rm.user)
    assert [v.number for v in selectors.version_history(agreement)] == [2, 1]


def test_coverage_counts_active_customers_with_an_agreement_in_force(tenant_a, world, draft):
    _in_force(world, draft)
    CustomerFactory(relationship_manager=world.rm)
    CustomerFactory(relationship_manager=world.rm, status=Customer.Status.PROSPECT)
    other_rm = make_member(tenant_a, Role.RELATIONSHIP_MANAGER, email="rm2@example.test")
    CustomerFactory(relationship_manager=other_rm)
    office = selectors.agreement_coverage()
    assert (office.customers, office.with_agreement_in_force, office.percent) == (3, 1, 33.3)
    mine = selectors.agreement_coverage(relationship_manager=world.rm)
    assert (mine.customers, mine.with_agreement_in_force, mine.percent) == (2, 1, 50.0)
    by_rm = {m.pk: c for m, c in selectors.agreement_coverage_by_rm()}
    assert by_rm[world.rm.pk] == mine and by_rm[other_rm.pk].with_agreement_in_force == 0


def test_an_office_with_no_customers_has_no_percentage():
    assert selectors.agreement_coverage().percent is None


def test_another_offices_agreements_are_not_listed_or_found(tenant_b, admin_b, world, draft):
    with in_tenant(tenant_b):
        theirs = AgreementFactory(customer=CustomerFactory(relationship_manager=admin_b))
    assert list(selectors.agreement_list()) == [draft.agreement]
    with pytest.raises(Http404):
        selectors.agreement_get(pk=theirs.pk)
