"""Comparing two versions section by section and row by row: added, removed and changed rows,
and changed values, said in words and marked up with <ins> and <del> (not colour alone)."""

import pytest
from django.urls import reverse

from agreements import presentation, services
from agreements.models import ActionPlanRow, ObjectiveRow
from tests.agreements.conftest import sign_all
from tests.kit import in_tenant

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_versions(tenant_a, world, page_draft):
    with in_tenant(tenant_a):
        return _two_versions(world, page_draft)


def _two_versions(world, draft):
    """Version 1 in force; version 2 revised from it: the objective reworded in place, the
    partner plan gains Lina, the action is removed and the philosophy gets a line."""
    services.version_submit(version=draft, actor=world.rm.user, signers=world.signers)
    sign_all(draft, world)
    actor = world.rm.user
    revised = services.version_revise(version=draft, actor=actor)
    services.version_update(
        version=revised,
        actor=actor,
        relationship_philosophy="Partners, not suppliers.\nWe plan together.",
    )
    objective = ObjectiveRow.objects.get(version=revised)
    services.section_row_update(
        row=objective, actor=actor, objective="Close the books in 2 days", status="in_progress"
    )
    services.section_row_add(
        version=revised,
        section="partner_plan",
        actor=actor,
        contact=world.lina,
        role="Line manager",
    )
    ActionPlanRow.objects.get(version=revised).delete()  # as the editor's delete, without the item
    draft.refresh_from_db()
    revised.refresh_from_db()
    return draft, revised


def _section(diff, key):
    return next(s for s in diff["sections"] if s.key == key)


def test_rows_are_matched_across_versions_and_their_changes_named(tenant_a, two_versions):
    old, new = two_versions
    diff = in_tenant(tenant_a, lambda: presentation.compare_versions(old, new))
    partner = _section(diff, "partner_plan")
    assert [r.change for r in partner.rows] == ["same", "added"]
    assert partner.rows[1].cells[0].new == "Lina Line"
    objectives = _section(diff, "objectives")
    assert [r.change for r in objectives.rows] == ["changed"]
    changed = {c.old: c.new for c in objectives.rows[0].cells if c.changed}
    assert changed == {
        "Close the books in 3 days": "Close the books in 2 days",
        "Planned": "In progress",
    }
    assert [r.change for r in _section(diff, "action_plan").rows] == ["removed"]
    assert [r.change for r in _section(diff, "engagement").rows] == ["same"]
    assert [(line.change, line.text) for line in diff["philosophy"]] == [
        ("same", "Partners, not suppliers."),
        ("added", "We plan together."),
    ]
    assert diff["total_changes"] == 4


def test_a_version_compared_with_itself_has_no_changes(tenant_a, two_versions):
    old, _new = two_versions
    diff = in_tenant(tenant_a, lambda: presentation.compare_versions(old, old))
    assert diff["total_changes"] == 0 and not diff["philosophy_changed"]


def test_people_put_in_another_order_are_the_same_rows(tenant_a, world, two_versions):
    old, new = two_versions
    with in_tenant(tenant_a):
        _reorder_and_compare(world, old, new)


def _reorder_and_compare(world, old, new):
    services.section_row_add(
        version=new, section="partner_plan", actor=world.rm.user, member=world.rm, role="RM"
    )
    newer = services.section_rows(new, "partner_plan")
    services.section_rows_reorder(
        version=new,
        section="partner_plan",
        order=list(reversed(newer.values_list("pk", flat=True))),
        actor=world.rm.user,
    )
    rows = _section(presentation.compare_versions(old, new), "partner_plan").rows
    assert sorted(r.change for r in rows) == ["added", "added", "same"]
    assert [r.cells[0].new for r in rows if r.change == "same"] == ["Bea Budget"]


def test_the_compare_page_says_each_change_in_words_with_ins_and_del(
    client, tenant_a, world, two_versions
):
    old, new = two_versions
    client.force_login(world.rm.user)
    url = reverse(
        "agreements:agreement_compare",
        kwargs={"tenant_slug": tenant_a.slug, "pk": old.agreement_id},
    )
    body = client.get(url, {"a": old.number, "b": new.number}).content.decode()
    assert (
        '<del><span class="visually-hidden">Before: </span>Close the books in 3 days</del>' in body
    )
    assert (
        '<ins><span class="visually-hidden">After: </span>Close the books in 2 days</ins>' in body
    )
    for label in ("Added", "Removed", "Changed", "Unchanged"):
        assert f">{label}</span>" in body
    assert "4 changes" in body


def test_the_compare_page_refuses_a_version_the_agreement_does_not_have(
    client, tenant_a, world, two_versions
):
    old, _new = two_versions
    client.force_login(world.rm.user)
    url = reverse(
        "agreements:agreement_compare",
        kwargs={"tenant_slug": tenant_a.slug, "pk": old.agreement_id},
    )
    for value in ("7", "abc", "9" * 30, "-1"):
        response = client.get(url, {"a": value, "b": "1"})
        assert response.status_code == 200
        assert "a" in response.context["compare_form"].errors
        assert "diff" not in response.context
