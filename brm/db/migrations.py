"""Migration operations shared by the apps."""

from django.db import migrations, models


def tenant_field_without_index(app_label: str, model_name: str):
    """`tenant` loses its own index (TenantOwnedModel.tenant, db_index=False), in the database
    by dropping that index alone.

    Django's AlterField for a foreign key's db_index drops and re-adds the foreign key constraint
    as well, which re-checks every row of the table under a lock that blocks writes.
    """

    def _index(schema_editor, apps):
        model = apps.get_model(app_label, model_name)
        table = model._meta.db_table
        name = schema_editor._create_index_name(table, ["tenant_id"], suffix="")
        return schema_editor.quote_name(name), schema_editor.quote_name(table)

    def _concurrently(schema_editor) -> str:
        connection = schema_editor.connection
        return (
            " CONCURRENTLY"
            if connection.vendor == "postgresql" and not connection.in_atomic_block
            else ""
        )

    def drop(apps, schema_editor):
        name, _table = _index(schema_editor, apps)
        schema_editor.execute(f"DROP INDEX{_concurrently(schema_editor)} IF EXISTS {name}")

    def create(apps, schema_editor):
        name, table = _index(schema_editor, apps)
        how = _concurrently(schema_editor)
        schema_editor.execute(f"CREATE INDEX{how} IF NOT EXISTS {name} ON {table} (tenant_id)")

    field = models.ForeignKey(
        db_index=False,
        editable=False,
        on_delete=models.CASCADE,
        related_name="+",
        to="tenancy.tenant",
    )
    return migrations.SeparateDatabaseAndState(
        state_operations=[migrations.AlterField(model_name=model_name, name="tenant", field=field)],
        database_operations=[migrations.RunPython(drop, create)],
    )


def postgresql_only(sql: str | list[str], reverse_sql: str | list[str]):
    """RunSQL on PostgreSQL, nothing elsewhere (the SQLite of `make run` has no such objects).

    A list runs one statement at a time, without parameters (so a `%` in a function body is
    text, and a `$$` body may hold semicolons).
    """

    def run(schema_editor, statements):
        if schema_editor.connection.vendor != "postgresql":
            return
        if isinstance(statements, str):
            schema_editor.execute(statements)
            return
        for statement in statements:
            schema_editor.execute(statement, params=None)

    def forward(apps, schema_editor):
        run(schema_editor, sql)

    def backward(apps, schema_editor):
        run(schema_editor, reverse_sql)

    return migrations.RunPython(forward, backward)
