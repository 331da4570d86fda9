"""The database side of the search on PostgreSQL: pg_trgm is installed by a migration and the
customers' and contacts' searched names carry GIN trigram indexes."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_pg_trgm_is_installed():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() == (1,)


def test_the_searched_names_have_trigram_indexes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE %s", ["%_trgm"]
        )
        found = dict(cursor.fetchall())
    assert set(found) >= {"customer_name_trgm", "contact_name_trgm", "contact_email_trgm"}
    assert all("gin_trgm_ops" in definition for definition in found.values())
