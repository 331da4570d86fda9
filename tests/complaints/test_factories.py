"""The complaints' factory helpers enter the customer's tenant themselves, as page tests need."""

from complaints.models import ClockSpan
from tests.factories import ComplaintCategoryFactory, received_complaint
from tests.kit import in_tenant


def test_a_received_complaint_is_made_in_its_customers_office_with_its_clock(
    tenant_a, customer_record
):
    category = ComplaintCategoryFactory(tenant=tenant_a)
    complaint = received_complaint(customer_record, category=category)
    assert complaint.reference.startswith("C-") and complaint.tenant_id == tenant_a.pk
    assert in_tenant(tenant_a, lambda: ClockSpan.objects.filter(complaint=complaint).count()) == 1
