"""Isolation cases of the SLA appendix: its staff pages and its two API endpoints.

How to make, in a given tenant, the agreement (with a version in force, a line and a
measurement) the appendix's URLs name, and the marked rows its API lists must not show to
another tenant. The harnesses of tests/isolation.py and tests/api/isolation.py pick this module
up by its name.
"""

import itertools

from brm.tenancy.models import Role
from tests.api.isolation import register_api, register_related
from tests.factories import CustomerFactory, sla_measured_agreement
from tests.isolation import MARKER, marked_rows, register
from tests.kit import make_member

SEQ = itertools.count()


def _measured(tenant, text=""):
    n = next(SEQ)
    rm = make_member(
        tenant,
        Role.RELATIONSHIP_MANAGER,
        email=f"sla-rm-{n}-{tenant.slug}@example.test",
        password="x-long-password",
    )
    customer = CustomerFactory(tenant=tenant, name=f"SLA customer {n}", relationship_manager=rm)
    return sla_measured_agreement(customer, text=text)


@register("sla:sla_table")
@register("sla:sla_measurement_create")
@register("sla:sla_import_upload")
@register("sla:sla_import_preview")
@register("sla:sla_import_template")
def staff_sla_appendix(tenant):
    line, _measurement = _measured(tenant)
    return {"agreement_pk": line.version.agreement_id}


@register("sla:sla_measurement_edit")
def staff_sla_measurement(tenant):
    _line, measurement = _measured(tenant)
    return {"agreement_pk": measurement.agreement_id, "pk": measurement.pk}


@register_related("agreements.slaline")
def related_sla_line(tenant):
    return _measured(tenant)[0].pk


@register_api("/api/v1/sla-lines/{id}/")
def api_sla_line(tenant):
    return {"id": related_sla_line(tenant)}


@register_api("/api/v1/sla-measurements/{id}/")
def api_sla_measurement(tenant):
    return {"id": _measured(tenant)[1].pk}


@marked_rows
def sla_rows(tenant):
    """A marked line (its metric) with a marked measurement (its note)."""
    _measured(tenant, text=MARKER)
