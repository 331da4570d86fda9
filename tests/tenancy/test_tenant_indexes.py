"""Reads PostgreSQL's catalog: every tenant table is indexed by tenant_id first, never alone.

With a plain tenant_id index beside the composite ones, a generic plan made for an average office
chose it and sorted the whole office (brm/db/plans.py). Each table's indexes lead with tenant_id
instead, so "this office's rows" and "this office's rows in order" read one index.
"""

import pytest
from django.db import connection

from brm.tenancy.rls import tenant_owned_models

pytestmark = pytest.mark.django_db


def _indexes():
    """(table, index name, key columns, partial?, operator classes) of every index of the
    tenant-owned tables.

    Key columns only (not INCLUDE ones); an expression column reads as None.
    """
    tables = [m._meta.db_table for m in tenant_owned_models()]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT t.relname, i.relname,
                   array(SELECT a.attname FROM unnest(x.indkey[0:x.indnkeyatts - 1])
                                WITH ORDINALITY k(attnum, n)
                         LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
                         ORDER BY k.n),
                   x.indpred IS NOT NULL, x.indclass::text
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class t ON t.oid = x.indrelid
            WHERE t.relname = ANY(%s)
            """,
            [tables],
        )
        return tables, cursor.fetchall()


def test_every_tenant_table_has_a_whole_table_index_leading_with_tenant_id():
    tables, indexes = _indexes()
    led = {
        table
        for table, _name, columns, partial, _ops in indexes
        if columns and columns[0] == "tenant_id" and not partial
    }
    assert sorted(set(tables) - led) == []


def _unique_index_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "WHERE x.indisunique"
        )
        return {name for (name,) in cursor.fetchall()}


def test_no_tenant_table_has_an_index_of_tenant_id_alone():
    """Except a unique one: the key of a table with one row per office (a settings row), which
    holds no list for a plan to scan."""
    _tables, indexes = _indexes()
    unique = _unique_index_names()
    alone = [
        (table, name)
        for table, name, columns, *_rest in indexes
        if columns == ["tenant_id"] and name not in unique
    ]
    assert alone == []


def test_no_two_indexes_of_a_table_are_the_same():
    """An index beside a unique constraint on the same columns only costs writes."""
    _tables, indexes = _indexes()
    seen = {}
    twins = []
    for table, name, columns, partial, ops in indexes:
        if partial or None in columns:
            continue
        key = (table, tuple(columns), ops)  # a `_like` index has other operator classes
        if key in seen:
            twins.append((seen[key], name))
        seen[key] = name
    assert twins == []
