"""CSV import of SLA measurements for one agreement, on the customers area's import machinery
(customers.imports.read_csv: the header, the delimiter, the row cap, formula cells).

One row per measurement: the line's key, the period's first day (and optionally its last),
the actual and optionally the workload and a note. A row for a period that has a measurement
already corrects it; any other creates one (source "imported"). Every row goes through the
services inside one savepoint, rolled back when any row is wrong or when it is only a preview,
so the preview meets exactly what the confirmation will, and a wrong file saves nothing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from brm.audit.services import changed_fields
from brm.tenancy.models import Membership
from customers.imports import RowError, read_csv

from . import services
from .models import Agreement, SlaLine, SlaMeasurement


@dataclass(frozen=True)
class Column:
    name: str
    help: str


COLUMNS = (
    Column("line", gettext_lazy("The line's key, as the appendix shows it (required).")),
    Column(
        "period_start",
        gettext_lazy("The first day of the month or quarter, YYYY-MM-DD (required)."),
    ),
    Column("period_end", gettext_lazy("Its last day, YYYY-MM-DD. Empty: from the line's period.")),
    Column("actual_value", gettext_lazy("The measured actual, e.g. 99.7 (required).")),
    Column("actual_workload", gettext_lazy("The workload it was delivered under.")),
    Column("note", gettext_lazy("A note.")),
)
COLUMN_NAMES = tuple(c.name for c in COLUMNS)
REQUIRED = ("line", "period_start", "actual_value")


@dataclass
class PlannedRow:
    """What the import does (or would do) with one row."""

    line: int
    label: str
    action: str = ""  # create, update, unchanged; "" when the row has errors
    changes: list[str] = field(default_factory=list)


@dataclass
class SlaImportResult:
    rows: list[PlannedRow]
    errors: list[RowError]
    saved: bool = False

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {a: self.count(a) for a in ("create", "update", "unchanged")}

    @property
    def changed_rows(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.action in ("create", "update")]

    def to_data(self) -> dict:
        return {
            "rows": [asdict(r) for r in self.rows],
            "errors": [asdict(e) for e in self.errors],
            "saved": self.saved,
        }

    @classmethod
    def from_data(cls, data: dict) -> SlaImportResult:
        return cls(
            rows=[PlannedRow(**r) for r in data["rows"]],
            errors=[RowError(**e) for e in data["errors"]],
            saved=data["saved"],
        )


def template_csv() -> str:
    return ",".join(COLUMN_NAMES) + "\r\n"


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError(_("A date as YYYY-MM-DD.")) from None


def _decimal(value: str) -> Decimal:
    text = value.replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # a spreadsheet's decimal comma
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("A number, e.g. 99.7.")) from None
    if not number.is_finite() or abs(number) >= Decimal(10) ** 10:
        raise ValidationError(_("A number below 10,000,000,000."))
    return number


def sla_measurements_import(
    *, agreement: Agreement, text: str, membership: Membership, commit: bool
) -> SlaImportResult:
    """Check, and with `commit` save, a CSV of measurements of `agreement`. All or nothing."""
    if not membership.can_write:
        raise PermissionDenied(_("Your role cannot import measurements."))
    required = {
        name: _("The file needs a %(column)s column.") % {"column": name} for name in REQUIRED
    }
    table, errors = read_csv(text, column_names=COLUMN_NAMES, required=required)
    if errors and not table:
        return SlaImportResult(rows=[], errors=errors)
    lines = {line.key: line for line in _lines(agreement)}
    planned: list[PlannedRow] = []
    seen: dict[tuple[str, str], int] = {}
    with transaction.atomic():
        for number, cells in table:
            row_errors: list[RowError] = []
            label = f"{cells.get('line', '')} {cells.get('period_start', '')}".strip()
            plan = PlannedRow(line=number, label=label)
            planned.append(plan)
            twin = seen.setdefault((cells.get("line", ""), cells.get("period_start", "")), number)
            if twin != number:
                row_errors.append(
                    RowError(
                        number,
                        "period_start",
                        _("Line %(n)s has this period already.") % {"n": twin},
                    )
                )
            values = _values(number, cells, lines, row_errors)
            if values is not None and not row_errors:
                _apply(plan, values, membership, row_errors)
            errors.extend(row_errors)
        saved = commit and not errors
        if not saved:
            transaction.set_rollback(True)
    errors.sort(
        key=lambda e: (e.line, COLUMN_NAMES.index(e.column) if e.column in COLUMN_NAMES else -1)
    )
    return SlaImportResult(rows=planned, errors=errors, saved=saved)


def _lines(agreement: Agreement):
    """The lines a file may name: every key of a version that was in force."""
    lines = SlaLine.objects.filter(
        version__agreement=agreement, version__status__in=services.MEASURABLE
    ).select_related("version__agreement__tenant")
    # The newest version's line wins for a key; the service finds the one for each period.
    return sorted(lines, key=lambda line: line.version.number)


def _values(number: int, cells: dict, lines: dict, errors: list[RowError]) -> dict | None:
    for name in REQUIRED:
        if not cells.get(name):
            errors.append(RowError(number, name, _("This cell is required.")))
    if errors:
        return None
    line = lines.get(cells["line"])
    if line is None:
        errors.append(RowError(number, "line", _("No line of a version in force has this key.")))
    values: dict = {"line": line}
    for name, parse in (("period_start", _date), ("period_end", _date), ("actual_value", _decimal)):
        if cells.get(name):
            try:
                values[name] = parse(cells[name])
            except ValidationError as exc:
                errors.append(RowError(number, name, exc.messages[0]))
    for name in ("actual_workload", "note"):
        if name in cells:
            values[name] = cells[name]
    if len(values.get("actual_workload", "")) > 200:
        errors.append(RowError(number, "actual_workload", _("At most 200 characters.")))
    return None if errors else values


def _apply(plan: PlannedRow, values: dict, membership: Membership, errors: list[RowError]) -> None:
    line: SlaLine = values.pop("line")
    existing = SlaMeasurement.objects.filter(
        agreement_id=line.version.agreement_id,
        line_key=line.key,
        period_start=values["period_start"],
    ).first()
    try:
        with transaction.atomic():
            if existing is None:
                services.sla_measurement_record(
                    line=line,
                    actor=membership.user,
                    source=SlaMeasurement.Source.IMPORTED,
                    **values,
                )
                plan.action = "create"
                return
            if "period_end" in values and values["period_end"] != existing.period_end:
                raise ValidationError(
                    {
                        "period_end": _("The measurement of this period ends on %(day)s.")
                        % {"day": existing.period_end.isoformat()}
                    }
                )
            update = {k: v for k, v in values.items() if k in services.SLA_MEASUREMENT_FIELDS}
            plan.changes = changed_fields(existing, update)
            if not plan.changes:
                plan.action = "unchanged"
                return
            services.sla_measurement_update(
                measurement=existing,
                actor=membership.user,
                source=SlaMeasurement.Source.IMPORTED,
                **update,
            )
            plan.action = "update"
    except ValidationError as exc:
        plan.action = ""
        messages = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        for name, texts in messages.items():
            column = name if name in COLUMN_NAMES else ""
            for text in texts:
                errors.append(RowError(plan.line, column, text))
