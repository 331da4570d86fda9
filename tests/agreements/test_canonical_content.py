"""The canonical content of a version: stable JSON of every section, and its SHA-256."""

import hashlib
import json

import pytest

from agreements import services
from agreements.models import AgreementVersion
from tests.factories import EngagementRowFactory, ObjectiveRowFactory, SlaLineFactory

pytestmark = pytest.mark.usefixtures("as_tenant_a")


def test_the_canonical_content_is_sorted_compact_json_of_every_section(world, draft):
    text = services.canonical_content(draft)
    content = json.loads(text)
    assert text == json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert set(content) == {
        "format",
        "agreement",
        "customer",
        "version",
        "relationship_philosophy",
        "partner_plan",
        "engagement",
        "objectives",
        "action_plan",
        "sla",
    }
    assert content["format"] == 2
    assert content["sla"][0]["key"] == "erp-availability"
    assert content["sla"][0]["target_value"] == "99.5000"
    assert content["relationship_philosophy"] == "Partners, not suppliers."
    assert content["engagement"][0]["attendee_contact_ids"] == [world.bea.pk]
    assert content["engagement"][0]["week_of_month"] == 2
    assert content["partner_plan"][0]["email"] == "bea@finance.example"


def test_the_hash_is_the_sha256_of_the_canonical_content(draft):
    expected = hashlib.sha256(services.canonical_content(draft).encode()).hexdigest()
    assert services.content_sha256(draft) == expected


def test_a_version_with_these_exact_rows_has_this_exact_content(world):
    # Pinned: a change to the format changes the hash of every frozen version, so it must be
    # deliberate (and the "format" number raised).
    version = ObjectiveRowFactory(
        objective="Zero unplanned downtime",
        owner_text="Ops",
        position=0,
        version__relationship_philosophy="Trust",
        version__agreement__customer=world.customer,
    ).version
    EngagementRowFactory(version=version, position=0)
    content = json.loads(services.canonical_content(version))
    assert content["objectives"] == [
        {
            "initiative": "",
            "objective": "Zero unplanned downtime",
            "owner_member_id": None,
            "owner_text": "Ops",
            "position": 0,
            "status": "planned",
            "target_date": None,
        }
    ]
    assert content["engagement"] == [
        {
            "attendee_contact_ids": [],
            "attendee_member_ids": [],
            "attendee_roles": [],
            "duration_minutes": 60,
            "frequency": "monthly",
            "interval": 1,
            "meeting_type": "monthly_service_review",
            "month_day": None,
            "name": "",
            "position": 0,
            "purpose": "",
            "week_of_month": 2,
            "weekday": 1,
        }
    ]


def test_the_hash_is_the_same_however_often_it_is_computed(draft):
    first = services.content_sha256(draft)
    again = services.content_sha256(AgreementVersion.objects.get(pk=draft.pk))
    assert first == again and len(first) == 64


def test_reordering_rows_changes_the_hash(world, draft):
    services.section_row_add(
        version=draft, section="objectives", actor=world.rm.user, objective="Second"
    )
    before = services.content_sha256(draft)
    rows = [row.pk for row in services.section_rows(draft, "objectives")]
    services.section_rows_reorder(
        version=draft, section="objectives", order=rows[::-1], actor=world.rm.user
    )
    assert services.content_sha256(draft) != before


def test_renaming_a_contact_or_the_customer_keeps_a_frozen_versions_hash(world, draft):
    services.version_submit(version=draft, actor=world.rm.user, signers=world.signers)
    world.bea.name = "Bea Other"
    world.bea.save()
    world.customer.name = "Finance & Control"
    world.customer.save()
    draft.refresh_from_db()
    assert services.content_sha256(draft) == draft.content_sha256


def test_a_copy_as_the_next_version_differs_only_by_its_number(world, draft):
    services.version_submit(version=draft, actor=world.rm.user, signers=world.signers)
    copy = services.version_withdraw(version=draft, actor=world.rm.user)
    original = json.loads(services.canonical_content(draft))
    copied = json.loads(services.canonical_content(copy))
    assert (original.pop("version"), copied.pop("version")) == (1, 2)
    assert original == copied


def test_an_sla_line_has_this_exact_content(world):
    line = SlaLineFactory(
        version__agreement__customer=world.customer,
        service__name="ERP",
        metric="Availability",
        target_value="99.5",
        position=0,
    )
    content = json.loads(services.canonical_content(line.version))
    assert content["format"] == 2
    assert content["sla"] == [
        {
            "direction": "at_least",
            "exceptions": "",
            "key": "erp-availability",
            "kind": "sla",
            "metric": "Availability",
            "owner_id": None,
            "period": "month",
            "position": 0,
            "service_id": line.service_id,
            "target_value": "99.5000",
            "unit": "%",
            "workload_limit": "",
        }
    ]
