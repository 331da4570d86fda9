"""/api/v1/complaints/: a service desk records a complaint, lists, reads and corrects them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from brm.tenancy.models import Role
from complaints.models import Complaint
from tests.complaints.api.conftest import COMPLAINTS, url
from tests.complaints.conftest import refetch
from tests.factories import ContactFactory, CustomerFactory, PurchaserFactory
from tests.kit import assert_audited, in_tenant, make_member

pytestmark = pytest.mark.django_db


def _body(world, **values):
    body = {
        "customer": world.customer.pk,
        "raiser_contact": world.paul.pk,
        "subject": "The ERP is slow every morning",
        "description": "Orders take minutes to save.",
        "severity": "high",
        "category": world.category.pk,
    }
    body.update(values)
    return body


def test_a_service_desk_records_a_complaint_through_the_api_with_channel_api(tenant_a, world, api):
    response = api.post(COMPLAINTS, _body(world), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["reference"].startswith("C-") and body["channel"] == "api"
    assert body["status"] == "new" and body["level"] == 1
    assert body["owner"] == world.rm.pk
    assert body["purchaser"] == world.payroll.pk  # the raiser's unit
    assert body["acknowledge_hours"] == "4.00" and body["resolve_hours"] == "40.00"
    assert body["acknowledge_due_at"] is not None
    complaint = in_tenant(tenant_a, lambda: Complaint.objects.get(pk=body["id"]))
    assert complaint.severity == "high" and complaint.subject == "The ERP is slow every morning"
    assert_audited(tenant_a, "complaint.received", obj=complaint)


def test_a_complaint_from_someone_without_a_login_names_them_and_keeps_its_channel(world, api):
    body = _body(
        world,
        raiser_contact=None,
        raiser_name="Olga Outsider",
        raiser_email="olga@finance.example",
        channel="email",
    )
    response = api.post(COMPLAINTS, body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["raiser_name"] == "Olga Outsider"
    assert response.json()["channel"] == "email"


def test_a_complaint_about_the_relationship_manager_starts_at_level_2_without_an_owner(world, api):
    response = api.post(COMPLAINTS, _body(world, about_rm=True), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["level"] == 2 and response.json()["owner"] is None
    assert response.json()["about_rm"] is True


def test_a_complaint_without_a_raiser_is_a_400_naming_the_raiser(world, api):
    response = api.post(COMPLAINTS, _body(world, raiser_contact=None), format="json")
    assert response.status_code == 400
    assert "raiser_email" in response.json()["error"]["fields"]


def test_a_purchaser_or_contact_of_another_customer_is_a_400_on_that_field(tenant_a, world, api):
    other = CustomerFactory(tenant=tenant_a, relationship_manager=world.rm)
    unit = PurchaserFactory(customer=other)
    person = ContactFactory(customer=other)
    response = api.post(COMPLAINTS, _body(world, purchaser=unit.pk), format="json")
    assert response.status_code == 400 and "purchaser" in response.json()["error"]["fields"]
    response = api.post(COMPLAINTS, _body(world, raiser_contact=person.pk), format="json")
    assert response.status_code == 400 and "raiser_contact" in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("severity", "urgent"),
        ("channel", "pigeon"),
        ("subject", ""),
        ("subject", 7),
        ("customer", None),
        ("customer", 987654321),
        ("category", 987654321),
        ("received_at", "yesterday"),
    ],
)
def test_a_bad_field_is_a_400_naming_it(world, api, field, value):
    response = api.post(COMPLAINTS, _body(world, **{field: value}), format="json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_a_complaint_cannot_be_received_in_the_future(world, api):
    later = (timezone.now() + timedelta(hours=1)).isoformat()
    response = api.post(COMPLAINTS, _body(world, received_at=later), format="json")
    assert response.status_code == 400
    assert "received_at" in response.json()["error"]["fields"]


def test_a_complaint_that_arrived_earlier_is_received_at_that_time(world, api):
    earlier = timezone.now() - timedelta(days=2)
    response = api.post(COMPLAINTS, _body(world, received_at=earlier.isoformat()), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["received_at"].startswith(
        timezone.localtime(earlier, world.customer.tenant.zone).isoformat()[:16]
    )


def test_a_read_key_cannot_record_a_complaint(world, read_api):
    assert read_api.post(COMPLAINTS, _body(world), format="json").status_code == 403


def test_the_list_and_the_record_read_alike(world, api, new):
    (item,) = api.get(COMPLAINTS).json()["results"]
    assert item == api.get(url(new)).json()
    assert item["reference"] == new.reference and item["raiser_contact"] == world.bea.pk


def test_the_list_is_newest_received_first(tenant_a, world, api, clock):
    from tests.complaints.conftest import receive

    now = timezone.now()
    with in_tenant(tenant_a):
        older = receive(world, received_at=now - timedelta(days=3))
        newer = receive(world, received_at=now - timedelta(days=1))
    ids = [row["id"] for row in api.get(COMPLAINTS).json()["results"]]
    assert ids == [newer.pk, older.pk]


def test_staff_correct_what_a_complaint_is_about_audited(tenant_a, world, api, new):
    response = api.patch(url(new), {"subject": "Payroll run failed twice"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["subject"] == "Payroll run failed twice"
    assert in_tenant(tenant_a, lambda: refetch(new).subject) == "Payroll run failed twice"
    assert_audited(tenant_a, "complaint.updated", obj=new)


def test_the_severity_and_the_customer_are_not_changed_by_an_update(tenant_a, world, api, new):
    other = CustomerFactory(tenant=tenant_a, relationship_manager=world.rm)
    response = api.patch(url(new), {"severity": "low", "customer": other.pk}, format="json")
    assert response.status_code == 200
    saved = in_tenant(tenant_a, lambda: refetch(new))
    assert saved.severity == "critical" and saved.customer_id == world.customer.pk


def test_an_update_of_a_closed_complaint_is_a_400(tenant_a, world, api, new):
    closed = Complaint.Status.CLOSED_CONFIRMED
    in_tenant(tenant_a, lambda: Complaint.objects.filter(pk=new.pk).update(status=closed))
    response = api.patch(url(new), {"subject": "Too late"}, format="json")
    assert response.status_code == 400


def test_an_empty_subject_is_a_400_on_the_subject(api, new):
    response = api.patch(url(new), {"subject": "  "}, format="json")
    assert response.status_code == 400 and "subject" in response.json()["error"]["fields"]


def test_a_complaint_is_not_replaced_or_deleted_through_the_api(api, new):
    assert api.put(url(new), {}, format="json").status_code == 405
    assert api.delete(url(new)).status_code == 405


def test_a_complaint_about_an_rm_is_hidden_from_that_rm_signed_in_to_the_api(
    tenant_a, world, client
):
    from tests.complaints.conftest import receive

    about = in_tenant(tenant_a, lambda: receive(world, about_rm=True))
    mine = in_tenant(tenant_a, lambda: receive(world))
    client.force_login(world.rm.user)
    assert client.get(f"/t/{tenant_a.slug}/", headers={"Sec-Fetch-Site": "none"}).status_code == 200
    ids = [row["id"] for row in client.get(COMPLAINTS).json()["results"]]
    assert ids == [mine.pk]
    assert client.get(url(about)).status_code == 404
    it = make_member(tenant_a, Role.IT_MANAGER, email="it-reader@example.test")
    client.force_login(it.user)
    client.get(f"/t/{tenant_a.slug}/", headers={"Sec-Fetch-Site": "none"})
    assert client.get(url(about)).status_code == 200


def test_the_contact_who_raised_a_complaint_cannot_be_deleted_a_400_not_a_500(
    tenant_a, world, api, new
):
    response = api.delete(f"/api/v1/contacts/{world.bea.pk}/")
    assert response.status_code == 400
    assert "cannot be deleted" in str(response.json()["error"]["fields"])
    with in_tenant(tenant_a):
        from customers.models import Contact

        assert Contact.objects.filter(pk=world.bea.pk).exists()
        assert refetch(new).raiser_contact_id == world.bea.pk
