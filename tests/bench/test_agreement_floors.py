"""The agreements benchmark's floors answer with their endpoints' rows, under the same sign-in.

bench.agreements.contract is the check the load script runs on the bench offices; here it runs
on a small office, and is shown to notice a floor that drifted.
"""

import datetime
import json

import pytest
from django.utils import timezone

from agreements import services
from agreements.models import ActionPlanRow, AgreementVersion, Signature
from bench.agreements import contract
from bench.agreements import floor as agreements_floor
from bench.contract import FloorMismatch
from brm.tenancy.context import tenant_context
from brm.tenancy.models import Role
from tests.factories import (
    ActionItemFactory,
    AgreementVersionFactory,
    ContactFactory,
    CustomerFactory,
    EngagementRowFactory,
    ObjectiveRowFactory,
    PartnerPlanRowFactory,
    SlaLineFactory,
)
from tests.kit import client_for, make_key, make_member

pytestmark = [pytest.mark.django_db, pytest.mark.urls("bench.urls")]

Status = AgreementVersion.Status


def month_back(months: int) -> datetime.date:
    today = timezone.localdate()
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return datetime.date(year, month + 1, 1)


@pytest.fixture
def office(tenant_a, rm_a):
    """Six agreements (names not in id order): each with version 1 in force for two years
    (rows in every section, two monthly SLA lines of target 99 %, measured last month for
    three of them) and, for some, version 2 in signature with a signed and a pending
    signature, or a draft with a line."""
    it_manager = make_member(tenant_a, Role.IT_MANAGER, name="Ivo IT")
    made = []
    with tenant_context(tenant_a):
        for i in range(6):
            customer = CustomerFactory(name=f"Unit {(i * 5) % 6}", relationship_manager=rm_a)
            v1 = AgreementVersionFactory(agreement__customer=customer, number=1)
            contact = ContactFactory(customer=customer, name=f"Person {i}")
            PartnerPlanRowFactory(version=v1, contact=contact, position=1)
            PartnerPlanRowFactory(version=v1, contact=None, member=rm_a, name="RM", position=0)
            EngagementRowFactory(
                version=v1, attendee_contact_ids=[contact.pk], attendee_member_ids=[rm_a.pk]
            )
            ObjectiveRowFactory(version=v1, owner_member=rm_a)
            ObjectiveRowFactory(version=v1, owner_text="The CFO")
            item = ActionItemFactory(customer=customer)
            v1_lines = [SlaLineFactory(version=v1, position=p) for p in range(2)]
            ActionPlanRow.objects.create(version=v1, action_item=item, title=item.title)
            AgreementVersion.objects.filter(pk=v1.pk).update(
                status=Status.IN_FORCE,
                content_sha256="0" * 64,
                in_force_at=timezone.now() - datetime.timedelta(days=730),
            )
            if i < 3:  # last month measured: one line met, and for one agreement one missed
                for line, value in zip(v1_lines, ("99.5", "98" if i == 2 else "99"), strict=True):
                    services.sla_measurement_record(
                        line=line, period_start=month_back(1), actual_value=value, actor=None
                    )
            draft_line = None
            if i % 2:
                v2 = AgreementVersionFactory(agreement=v1.agreement, number=2)
                draft_line = SlaLineFactory(version=v2)
                if i % 4 == 1:
                    AgreementVersion.objects.filter(pk=v2.pk).update(
                        status=Status.IN_SIGNATURE, content_sha256="1" * 64
                    )
                    Signature.objects.create(
                        version=v2,
                        role=Signature.SignerRole.RELATIONSHIP_MANAGER,
                        membership=rm_a,
                        status=Signature.Status.SIGNED,
                        signed_at=timezone.now(),
                    )
                    Signature.objects.create(
                        version=v2, role=Signature.SignerRole.IT_MANAGER, membership=it_manager
                    )
            made.append((v1.agreement, v1_lines, draft_line))
    return made


def _poster(tenant, scope="write"):
    client = client_for(make_key(tenant, scope)[1])
    return lambda path, body: client.post(path, body, content_type="application/json")


def test_measurement_floor_records_what_the_endpoint_records(tenant_a, office):
    _agreement, lines, draft_line = office[3]
    contract.check_measurement_post(
        _poster(tenant_a),
        line=lines[0].pk,
        months=(month_back(3), month_back(4)),
        draft_line=draft_line.pk,
    )


def test_measurement_floor_needs_a_write_key_of_the_office(tenant_a, tenant_b, office):
    line = office[0][1][0].pk
    body = json.dumps({"line": line, "period_start": str(month_back(2)), "actual_value": "1"})
    path = contract.MEASUREMENT_FLOOR_PATH
    stranger = client_for("brm_abcdefgh_not-a-key")
    assert stranger.post(path, body, content_type="application/json").status_code == 401
    assert _poster(tenant_a, "read")(path, body).status_code == 403
    # Another office's line is no line at all.
    answer = _poster(tenant_b)(path, body)
    assert answer.status_code == 400
    assert "line" in answer.json()["error"]["fields"]


def test_measurement_check_notices_a_floor_that_records_another_line(tenant_a, office, monkeypatch):
    _agreement, lines, draft_line = office[1]
    real = agreements_floor.row_of

    def other_line(sql, params):
        row = real(sql, params)
        if row and sql.startswith("SELECT l.id, l.period"):
            return (lines[1].pk, *row[1:])
        return row

    monkeypatch.setattr(agreements_floor, "row_of", other_line)
    with pytest.raises(FloorMismatch, match="line"):
        contract.check_measurement_post(
            _poster(tenant_a),
            line=lines[0].pk,
            months=(month_back(5), month_back(6)),
            draft_line=draft_line.pk,
        )


def test_measurement_floor_answers_bad_input_with_field_errors(tenant_a, office):
    post = _poster(tenant_a)
    path = contract.MEASUREMENT_FLOOR_PATH
    for body in ("not json", "[]", json.dumps({"line": "x", "period_start": "soon"})):
        answer = post(path, body)
        assert answer.status_code == 400, body
        assert answer.json()["error"]["fields"]


def test_list_floor_shows_the_pages_rows(client, tenant_a, rm_a, office):
    with tenant_context(tenant_a):
        contract.check_list_rows(tenant_a.pk)
    client.force_login(rm_a.user)
    page = client.get("/t/tenant-a/agreements/")
    floor = client.get("/t/tenant-a/floor/agreements/")
    assert page.status_code == floor.status_code == 200
    contract.check_list_page("tenant-a", page.content.decode(), floor.content.decode())
    assert "6 agreements" in floor.content.decode()


def test_list_page_check_notices_other_rows():
    link = '<a href="/t/x/agreements/{}/">'
    floor = "<caption>2 agreements</caption>" + link.format(1) + link.format(2)
    contract.check_list_page("x", "2 agreements " + link.format(1) + link.format(2), floor)
    with pytest.raises(FloorMismatch):
        contract.check_list_page("x", "2 agreements " + link.format(2) + link.format(1), floor)
    with pytest.raises(FloorMismatch):
        contract.check_list_page("x", "3 agreements " + link.format(1) + link.format(2), floor)


@pytest.mark.parametrize("n", [0, 1, 3])
def test_agreement_page_floor_reads_the_pages_rows(client, tenant_a, rm_a, office, n):
    agreement = office[n][0]
    with tenant_context(tenant_a):
        contract.check_agreement_page(tenant_a.pk, agreement.pk)
        with pytest.raises(FloorMismatch):
            contract.check_agreement_page(tenant_a.pk, agreement.pk + 10_000)
    client.force_login(rm_a.user)
    html = client.get(f"/t/tenant-a/floor/agreements/{agreement.pk}/").content.decode()
    assert agreement.customer.name in html
    assert "Person" in html and "The CFO" in html  # attendees and owners by name


def test_agreement_page_floors_are_behind_the_same_sign_in(client, tenant_a, tenant_b, office):
    path = f"/t/tenant-a/floor/agreements/{office[0][0].pk}/"
    assert client.get(path).status_code == 302  # to the sign-in page
    client.force_login(make_member(tenant_b, Role.ADMIN).user)
    assert client.get(path).status_code == 404  # not a member of this office
    assert client.get("/t/tenant-a/floor/agreements/").status_code == 404
