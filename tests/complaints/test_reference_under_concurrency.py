"""Two complaints received at the same moment get different references: the year's counter row
is made once (ON CONFLICT DO NOTHING) and locked while a number is taken."""

import threading

import pytest
from django.db import connection

from brm.tenancy.context import tenant_context
from complaints.models import Complaint
from tests.complaints.conftest import make_world, receive


@pytest.mark.django_db(transaction=True)
def test_two_complaints_received_at_once_get_two_references(tenant_a, rm_a, customer_record):
    world = make_world(tenant_a, rm_a, customer_record)
    barrier = threading.Barrier(4)
    errors, references = [], []

    def raise_one():
        try:
            with tenant_context(tenant_a):
                barrier.wait(5)
                references.append(receive(world).reference)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=raise_one) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert errors == []
    assert len(set(references)) == 4
    with tenant_context(tenant_a):
        numbers = sorted(int(r.rsplit("-", 1)[1]) for r in references)
        assert numbers == [1, 2, 3, 4]
        assert Complaint.objects.count() == 4
