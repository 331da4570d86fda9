"""CSV import and export of customers, purchasers and contacts: one file, one format.

Each row is one record; its `record` column says which kind (customer, purchaser or contact).
Records are found by natural keys, never by database ids: a customer by its name, a purchaser by
(customer, name), a contact by (customer, email), or (customer, name) when it has no email. A
found record is updated, any other created. A column left out of the file changes nothing; an
empty cell clears the field (status and authority, which cannot be empty, stay as they are).
The export writes every column in this format, so an export imports back unchanged.

The parsing and the checks of single rows are pure functions. `customers_import` is the one
service: it runs every row through the customers services inside one savepoint and rolls it all
back when any row is wrong, or when it is only a preview. So the preview reports exactly what the
confirmation will meet (unique names, relationship manager roles and all), and a wrong file saves
nothing.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from brm.audit.services import changed_fields
from brm.tenancy.context import tenant_context
from brm.tenancy.models import Membership

from . import services
from .models import Contact, Customer, Level, Purchaser, Service

CUSTOMER, PURCHASER, CONTACT = "customer", "purchaser", "contact"
KINDS = (CUSTOMER, PURCHASER, CONTACT)
# The upload is kept in the session between preview and confirmation; this bounds both. Each
# row goes through the services (about 7 ms a row on PostgreSQL), twice: a preview and a
# confirmation of 2,000 rows each take some 15 s, inside gunicorn's default 30 s timeout.
MAX_BYTES = 1_000_000
MAX_ROWS = 2_000
EXPORT_BATCH = 500
# A cell starting with one of these is a formula to a spreadsheet: the export prefixes a quote
# and the import removes it again (OWASP's advice against CSV injection).
FORMULA_START = ("=", "+", "-", "@")


@dataclass(frozen=True)
class Column:
    name: str
    kinds: tuple[str, ...]
    help: str


COLUMNS = (
    Column("record", KINDS, gettext_lazy("customer, purchaser or contact.")),
    Column(
        "customer",
        KINDS,
        gettext_lazy(
            "The customer's name (required). On a purchaser or contact row: the customer it "
            "belongs to, in the file or already in the office."
        ),
    ),
    Column(
        "purchaser",
        (PURCHASER, CONTACT),
        gettext_lazy(
            "The purchaser's name (required on a purchaser row). On a contact row: the purchaser "
            "unit the contact works in, if any."
        ),
    ),
    Column("name", (CONTACT,), gettext_lazy("The contact's name (required).")),
    Column("division", (CUSTOMER,), gettext_lazy("Division.")),
    Column(
        "status",
        (CUSTOMER,),
        gettext_lazy("prospect, active or dormant. Empty: active for a new customer."),
    ),
    Column(
        "relationship_manager",
        (CUSTOMER,),
        gettext_lazy(
            "Email of the relationship manager: an active relationship manager, IT manager or "
            "admin of this office (required for a new customer)."
        ),
    ),
    Column(
        "business_manager",
        (CUSTOMER,),
        gettext_lazy(
            "The contact of this customer who holds the budget: their email, or their name "
            "when they have none."
        ),
    ),
    Column(
        "counterpart",
        (CUSTOMER,),
        gettext_lazy("The business counterpart, a contact of this customer: email or name."),
    ),
    Column("strategy", (CUSTOMER,), gettext_lazy("Strategy and operational plans.")),
    Column("business_drivers", (CUSTOMER,), gettext_lazy("Business drivers.")),
    Column("demand_patterns", (CUSTOMER,), gettext_lazy("Demand patterns.")),
    Column(
        "services",
        (CUSTOMER,),
        gettext_lazy(
            "The catalogue services the customer consumes, by name, separated by semicolons "
            "(the whole set: a service left out is no longer linked)."
        ),
    ),
    Column("notes", (CUSTOMER, PURCHASER), gettext_lazy("Notes (seen by staff only).")),
    Column(
        "manager",
        (PURCHASER,),
        gettext_lazy("The purchaser's manager, a contact of the same customer: email or name."),
    ),
    Column(
        "it_contact",
        (PURCHASER,),
        gettext_lazy("Email of the staff member who is the purchaser's designated IT contact."),
    ),
    Column("title", (CONTACT,), gettext_lazy("Job title.")),
    Column(
        "email",
        (CONTACT,),
        gettext_lazy("Email; it identifies the contact within the customer."),
    ),
    Column("phone", (CONTACT,), gettext_lazy("Phone.")),
    Column("role", (CONTACT,), gettext_lazy("Role in the relationship, e.g. key user.")),
    Column("interests", (CONTACT,), gettext_lazy("Interests.")),
    Column("responsibilities", (CONTACT,), gettext_lazy("Areas of responsibility.")),
    Column("influence", (CONTACT,), gettext_lazy("low, medium, high or empty.")),
    Column(
        "authority",
        (CONTACT,),
        gettext_lazy("none, influences, recommends or decides. Empty: none for a new contact."),
    ),
)
COLUMN_NAMES = tuple(c.name for c in COLUMNS)

# Model field -> column, where they differ.
FIELD_COLUMNS = {
    CUSTOMER: {"name": "customer"},
    PURCHASER: {"name": "purchaser"},
    CONTACT: {},
}
TEXT_FIELDS = {
    CUSTOMER: (
        "division",
        "strategy",
        "business_drivers",
        "demand_patterns",
        "notes",
    ),
    PURCHASER: ("notes",),
    CONTACT: ("title", "phone", "role", "interests", "responsibilities"),
}
CHOICES = {
    (CUSTOMER, "status"): Customer.Status.values,
    (CONTACT, "influence"): ["", *Level.values],
    (CONTACT, "authority"): Contact.Authority.values,
}
EMAIL_COLUMNS = {
    CUSTOMER: ("relationship_manager",),
    PURCHASER: ("it_contact",),
    CONTACT: ("email",),
}
REQUIRED = {
    CUSTOMER: ("customer",),
    PURCHASER: ("customer", "purchaser"),
    CONTACT: ("customer", "name"),
}


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str


@dataclass
class Row:
    """One data row of the file: its line number, kind and the cells of the file's columns."""

    line: int
    kind: str
    cells: dict[str, str]

    def has(self, column: str) -> bool:
        return column in self.cells

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass
class PlannedRow:
    """What the import does (or would do) with one row."""

    line: int
    kind: str
    label: str
    action: str = ""  # create, update, unchanged; "" when the row has errors
    changes: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    rows: list[PlannedRow]
    errors: list[RowError]
    saved: bool = False

    @property
    def counts(self) -> dict[str, Counter]:
        counts: dict[str, Counter] = {kind: Counter() for kind in KINDS}
        for row in self.rows:
            if row.action:
                counts[row.kind][row.action] += 1
        return counts

    @property
    def changed_rows(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.action in ("create", "update")]

    @property
    def unchanged(self) -> int:
        return sum(1 for r in self.rows if r.action == "unchanged")

    def to_data(self) -> dict:
        """A JSON-friendly form, to keep a preview with its pending file (the session)."""
        return {
            "rows": [asdict(r) for r in self.rows],
            "errors": [asdict(e) for e in self.errors],
            "saved": self.saved,
        }

    @classmethod
    def from_data(cls, data: dict) -> ImportResult:
        return cls(
            rows=[PlannedRow(**r) for r in data["rows"]],
            errors=[RowError(**e) for e in data["errors"]],
            saved=data["saved"],
        )


# Pure functions ----------------------------------------------------------------------------------


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            _(
                "The file is not UTF-8 text. In a spreadsheet, save it as “CSV UTF-8 (comma "
                "delimited)”."
            )
        ) from exc


def _unescape(value: str) -> str:
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_START:
        return value[1:]
    return value


def _escape(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_START) else value


def read_csv(
    text: str, *, column_names: tuple[str, ...], required: dict[str, str]
) -> tuple[list[tuple[int, dict[str, str]]], list[RowError]]:
    """The data rows of a CSV text as (line, {column: cell}), with the errors of its header and
    shape (not of its values): the delimiter the header uses, known columns each once, the
    `required` columns (name: the error when it is missing), at most MAX_ROWS rows, blank rows
    skipped, cells trimmed and a formula's protecting apostrophe removed. The other areas'
    imports read their files with it too."""
    first_line = text.split("\n", 1)[0]
    # Spreadsheets in many locales write ";" between cells: take what the header uses.
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        return [], [RowError(1, "", _("The file is not valid CSV: %(error)s") % {"error": exc})]
    if not header or not any(h.strip() for h in header):
        return [], [RowError(1, "", _("The file is empty: it needs a header row of columns."))]
    columns = [h.strip().lower() for h in header]
    errors = []
    for name, n in Counter(columns).items():
        if name not in column_names:
            errors.append(RowError(1, name, _("Unknown column; the columns are listed below.")))
        elif n > 1:
            errors.append(RowError(1, name, _("This column appears more than once.")))
    for name, message in required.items():
        if name not in columns:
            errors.append(RowError(1, name, message))
    if errors:
        return [], errors
    rows: list[tuple[int, dict[str, str]]] = []
    last_line = reader.line_num
    try:
        for cells in reader:
            line, last_line = last_line + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(columns):
                errors.append(RowError(line, "", _("This row has more cells than the header.")))
                continue
            values = {
                column: _unescape(cells[i].strip()) if i < len(cells) else ""
                for i, column in enumerate(columns)
            }
            rows.append((line, values))
            if len(rows) > MAX_ROWS:
                message = _("The file has more than %(max)s rows: split it.") % {"max": MAX_ROWS}
                return rows[:MAX_ROWS], [*errors, RowError(line, "", message)]
    except csv.Error as exc:
        message = _("The file is not valid CSV: %(error)s") % {"error": exc}
        errors.append(RowError(reader.line_num, "", message))
    return rows, errors


def parse(text: str) -> tuple[list[Row], list[RowError]]:
    """The rows of a CSV text, with the errors of its header and shape (not of its values)."""
    table, errors = read_csv(
        text,
        column_names=COLUMN_NAMES,
        required={"record": _("The file needs a record column (customer, purchaser, contact).")},
    )
    rows = []
    for line, values in table:
        kind = values.pop("record").lower()
        rows.append(Row(line=line, kind=kind, cells=values))
    return rows, errors


def check_row(row: Row) -> list[RowError]:
    """The errors one row has on its own: its kind, required cells, choices and emails."""
    if row.kind not in KINDS:
        return [RowError(row.line, "record", _("Write customer, purchaser or contact."))]
    errors = []
    for column in REQUIRED[row.kind]:
        if not row.get(column):
            message = _("A %(kind)s row needs a %(column)s.") % {"kind": row.kind, "column": column}
            errors.append(RowError(row.line, column, message))
    for (kind, column), allowed in CHOICES.items():
        value = row.get(column)
        if kind == row.kind and value and value not in allowed:
            message = _("“%(value)s” is not one of: %(allowed)s.") % {
                "value": value,
                "allowed": ", ".join(a for a in allowed if a),
            }
            errors.append(RowError(row.line, column, message))
    for column in EMAIL_COLUMNS[row.kind]:
        value = row.get(column)
        if value:
            try:
                validate_email(value)
            except ValidationError:
                message = _("“%(value)s” is not a valid email address.") % {"value": value}
                errors.append(RowError(row.line, column, message))
    return errors


def row_key(row: Row) -> tuple:
    """The natural key of a row's record (how it is found in the office)."""
    customer = row.get("customer")
    if row.kind == CUSTOMER:
        return (CUSTOMER, customer)
    if row.kind == PURCHASER:
        return (PURCHASER, customer, row.get("purchaser"))
    email = row.get("email").lower()
    return (
        (CONTACT, customer, "email", email)
        if email
        else (CONTACT, customer, "name", row.get("name"))
    )


def find_duplicates(rows: list[Row]) -> list[RowError]:
    seen: dict[tuple, int] = {}
    errors = []
    for row in rows:
        if row.kind not in KINDS:
            continue
        key = row_key(row)
        if key in seen:
            message = _("The same %(kind)s as on line %(line)s.") % {
                "kind": row.kind,
                "line": seen[key],
            }
            column = {CUSTOMER: "customer", PURCHASER: "purchaser"}.get(row.kind) or (
                "email" if row.get("email") else "name"
            )
            errors.append(RowError(row.line, column, message))
        else:
            seen[key] = row.line
    return errors


def row_label(row: Row) -> str:
    if row.kind not in (PURCHASER, CONTACT):
        return row.get("customer")
    if row.kind == PURCHASER:
        return f"{row.get('customer')} / {row.get('purchaser')}"
    email = row.get("email")
    return f"{row.get('customer')} / {row.get('name')}" + (f" <{email}>" if email else "")


def template_csv() -> str:
    """A small example file: the columns, and one record of each kind."""
    rows = [
        {
            "record": CUSTOMER,
            "customer": "Finance",
            "division": "Corporate functions",
            "status": "active",
            "relationship_manager": "rm@your-office.example",
            "business_manager": "bea@finance.example",
            "strategy": "Close the books in three days",
        },
        {
            "record": PURCHASER,
            "customer": "Finance",
            "purchaser": "Payroll",
            "manager": "pat@finance.example",
        },
        {
            "record": CONTACT,
            "customer": "Finance",
            "name": "Bea Budget",
            "title": "CFO",
            "email": "bea@finance.example",
            "role": "business manager",
            "authority": "decides",
        },
        {
            "record": CONTACT,
            "customer": "Finance",
            "purchaser": "Payroll",
            "name": "Pat Payroll",
            "email": "pat@finance.example",
            "role": "key user",
        },
    ]
    lines = [_csv_line(list(COLUMN_NAMES))]
    lines += [_csv_line([r.get(c, "") for c in COLUMN_NAMES]) for r in rows]
    return "".join(lines)


# The service -------------------------------------------------------------------------------------


def customers_import(*, text: str, membership: Membership, commit: bool) -> ImportResult:
    """Check, and with `commit` save, a CSV of customers, purchasers and contacts.

    All or nothing: with any error, or without `commit` (the preview), every write is rolled back.
    """
    if not membership.can_write:
        raise PermissionDenied(_("Your role cannot import customers."))
    rows, errors = parse(text)
    if errors and not rows:
        return ImportResult(rows=[], errors=errors)
    for row in rows:
        errors.extend(check_row(row))
    errors.extend(find_duplicates(rows))
    with transaction.atomic():
        importer = _Importer(actor=membership.user, rows=rows, errors=errors)
        importer.run()
        saved = commit and not importer.errors
        if not saved:
            transaction.set_rollback(True)
    errors = sorted(importer.errors, key=_error_order)
    return ImportResult(rows=importer.planned, errors=errors, saved=saved)


def _error_order(error: RowError) -> tuple[int, int]:
    column = COLUMN_NAMES.index(error.column) if error.column in COLUMN_NAMES else -1
    return (error.line, column)


class _Importer:
    """Runs the rows through the services: customers, purchasers, contacts, then references.

    References between records (a customer's business manager, a purchaser's manager) are set last,
    when every contact of the file exists.
    """

    def __init__(self, *, actor, rows: list[Row], errors: list[RowError]):
        self.actor = actor
        self.rows = rows
        self.errors = errors
        self.bad_lines = {e.line for e in errors}
        self._services: dict | None = None  # the catalogue by folded name, read once
        self.planned = {row.line: PlannedRow(row.line, row.kind, row_label(row)) for row in rows}
        self.failed: dict[tuple, int] = {}  # natural key -> line of a row that has errors
        self.first_line: dict[tuple, int] = {}
        for row in reversed(rows):
            if row.kind in KINDS:
                self.first_line[row_key(row)] = row.line
        self.records: dict[int, models.Model] = {}  # line -> saved record
        self._members: dict[str, Membership | None] = {}

    def run(self) -> None:
        for kind, step in (
            (CUSTOMER, self.customer),
            (PURCHASER, self.purchaser),
            (CONTACT, self.contact),
        ):
            for row in self.rows:
                if row.kind == kind:
                    if row.line in self.bad_lines:
                        self._fail(row)
                    self._run(row, step)
        for row in self.rows:
            if row.line in self.records and row.kind in (CUSTOMER, PURCHASER):
                self._run(row, self.references)
        self.planned = [self.planned[row.line] for row in self.rows]

    def _run(self, row: Row, step) -> None:
        try:
            # Its own savepoint, so that one failed row leaves the others usable.
            with transaction.atomic():
                step(row)
        except ValidationError as exc:
            self.error_from(row, exc)

    # errors

    def error(self, row: Row, column: str, message: str) -> None:
        self.errors.append(RowError(row.line, column, message))
        self.bad_lines.add(row.line)
        self._fail(row)
        self.planned[row.line].action = ""

    def _fail(self, row: Row) -> None:
        """Rows that refer to this row's record learn it has errors (a duplicate does not count)."""
        key = row_key(row)
        if self.first_line.get(key) == row.line:
            self.failed[key] = row.line

    def error_from(self, row: Row, exc: ValidationError) -> None:
        if not hasattr(exc, "error_dict"):
            for message in exc.messages:
                self.error(row, "", message)
            return
        for name, messages in exc.message_dict.items():
            column = FIELD_COLUMNS[row.kind].get(name, name)
            for message in messages:
                self.error(row, column if column in COLUMN_NAMES else "", message)

    # lookups

    def member(self, row: Row, column: str) -> Membership | None:
        email = row.get(column).lower()
        if not email:
            return None
        if email not in self._members:
            self._members[email] = (
                Membership.objects.select_related("user")
                .filter(user__email__iexact=email, is_active=True)
                .first()
            )
        member = self._members[email]
        if member is None:
            raise ValidationError(
                {
                    column: _("No active member of this office has the email %(email)s.")
                    % {"email": email}
                }
            )
        return member

    def customer_of(self, row: Row) -> Customer | None:
        name = row.get("customer")
        if not name:
            return None  # check_row has reported it
        if (CUSTOMER, name) in self.failed:
            raise ValidationError(
                {
                    "customer": _("The customer on line %(line)s has errors.")
                    % {"line": self.failed[(CUSTOMER, name)]}
                }
            )
        customer = Customer.objects.filter(name=name).first()
        if customer is None:
            raise ValidationError(
                {
                    "customer": _("No customer named “%(name)s” in the file or in this office.")
                    % {"name": name}
                }
            )
        return customer

    def purchaser_of(self, row: Row, customer: Customer) -> Purchaser | None:
        name = row.get("purchaser")
        if not name:
            return None
        key = (PURCHASER, customer.name, name)
        if key in self.failed:
            raise ValidationError(
                {
                    "purchaser": _("The purchaser on line %(line)s has errors.")
                    % {"line": self.failed[key]}
                }
            )
        purchaser = Purchaser.objects.filter(customer=customer, name=name).first()
        if purchaser is None:
            raise ValidationError(
                {
                    "purchaser": _(
                        "No purchaser “%(name)s” under %(customer)s in the file or in this office."
                    )
                    % {"name": name, "customer": customer.name}
                }
            )
        return purchaser

    @staticmethod
    def contact_of(customer: Customer, column: str, value: str) -> Contact | None:
        """A contact of `customer` named in a reference cell: by email, or by name."""
        if not value:
            return None
        if "@" in value:
            found = list(Contact.objects.filter(customer=customer, email=value.lower())[:1])
        else:
            found = list(Contact.objects.filter(customer=customer, name=value)[:2])
            if len(found) > 1:
                raise ValidationError(
                    {
                        column: _("Several contacts are named “%(name)s”: use the email.")
                        % {"name": value}
                    }
                )
        if not found:
            raise ValidationError(
                {
                    column: _(
                        "No contact “%(value)s” of %(customer)s in the file or in this office."
                    )
                    % {"value": value, "customer": customer.name}
                }
            )
        return found[0]

    # steps: resolve every reference of the row first (all its errors are reported at once),
    # then save it through the service unless the row has errors.

    def _resolve(self, errors: dict, lookup, *args):
        try:
            return lookup(*args)
        except ValidationError as exc:
            for column, messages in exc.message_dict.items():
                errors.setdefault(column, []).extend(messages)
            return None

    def services_named(self, row: Row) -> list:
        if self._services is None:
            self._services = {s.name.casefold(): s for s in Service.objects.all()}
        found, unknown = [], []
        for name in (part.strip() for part in row.get("services").split(";")):
            if name:
                service = self._services.get(name.casefold())
                (unknown.append(name) if service is None else found.append(service))
        if unknown:
            raise ValidationError(
                {
                    "services": _("Not in the service catalogue: %(names)s.")
                    % {"names": ", ".join(unknown)}
                }
            )
        return found

    def _save(
        self, row: Row, errors: dict, existing, data: dict, create, update, extra_changes=(), **key
    ) -> None:
        if errors:
            raise ValidationError(errors)
        if row.line in self.bad_lines:
            return
        plan = self.planned[row.line]
        if existing is None:
            record = create(actor=self.actor, **key, **data)
            plan.action = "create"
        else:
            changes = [*changed_fields(existing, data), *extra_changes]
            record = update(existing, data) if changes else existing
            plan.action = "update" if changes else "unchanged"
            plan.changes = [FIELD_COLUMNS[row.kind].get(f, f) for f in changes]
        self.records[row.line] = record

    def _text(self, row: Row, data: dict) -> dict:
        for name in TEXT_FIELDS[row.kind]:
            if row.has(name):
                data[name] = row.get(name)
        return data

    def customer(self, row: Row) -> None:
        name = row.get("customer")
        existing = Customer.objects.filter(name=name).first()
        errors: dict = {}
        data = self._text(row, {})
        if row.get("status"):
            data["status"] = row.get("status")
        if row.has("relationship_manager"):
            data["relationship_manager"] = self._resolve(
                errors, self.member, row, "relationship_manager"
            )
        consumed = self._resolve(errors, self.services_named, row) if row.has("services") else None
        extra = []
        if consumed is not None and existing is not None:
            linked = set(existing.services.values_list("pk", flat=True))
            if {s.pk for s in consumed} != linked:
                extra = ["services"]
        self._save(
            row,
            errors,
            existing,
            data,
            lambda **kw: services.customer_create(services=consumed, **kw),
            lambda c, d: services.customer_update(
                customer=c, actor=self.actor, services=consumed, **d
            ),
            extra_changes=extra,
            name=name,
        )

    def purchaser(self, row: Row) -> None:
        errors: dict = {}
        customer = self._resolve(errors, self.customer_of, row)
        name = row.get("purchaser")
        existing = (
            Purchaser.objects.filter(customer=customer, name=name).first() if customer else None
        )
        data = self._text(row, {})
        if row.has("it_contact"):
            data["it_contact"] = self._resolve(errors, self.member, row, "it_contact")
        self._save(
            row,
            errors,
            existing,
            data,
            services.purchaser_create,
            lambda p, d: services.purchaser_update(purchaser=p, actor=self.actor, **d),
            customer=customer,
            name=name,
        )

    def contact(self, row: Row) -> None:
        errors: dict = {}
        customer = self._resolve(errors, self.customer_of, row)
        email = row.get("email").lower()
        data = self._text(row, {"name": row.get("name")})
        if row.has("email"):
            data["email"] = email
        if row.has("purchaser") and customer is not None:
            data["purchaser"] = self._resolve(errors, self.purchaser_of, row, customer)
        if row.has("influence"):
            data["influence"] = row.get("influence")
        if row.get("authority"):
            data["authority"] = row.get("authority")
        existing = None
        if customer is not None and email:
            existing = Contact.objects.filter(customer=customer, email=email).first()
        elif customer is not None:
            matches = list(
                Contact.objects.filter(customer=customer, email="", name=data["name"])[:2]
            )
            if len(matches) > 1:
                message = _("Several contacts without email have this name: add their emails.")
                errors.setdefault("name", []).append(message)
            existing = matches[0] if matches else None
        self._save(
            row,
            errors,
            existing,
            data,
            services.contact_create,
            lambda c, d: services.contact_update(contact=c, actor=self.actor, **d),
            customer=customer,
        )

    def references(self, row: Row) -> None:
        record = self.records[row.line]
        if row.kind == CUSTOMER:
            columns, update = ("business_manager", "counterpart"), services.customer_update
            kwarg, customer = "customer", record
        else:
            columns, update = ("manager",), services.purchaser_update
            kwarg, customer = "purchaser", record.customer
        data = {
            column: self.contact_of(customer, column, row.get(column))
            for column in columns
            if row.has(column)
        }
        changes = changed_fields(record, data)
        if not changes:
            return
        update(actor=self.actor, **{kwarg: record}, **data)
        plan = self.planned[row.line]
        if plan.action != "create":
            plan.action = "update"
            plan.changes += changes


# Export ------------------------------------------------------------------------------------------


class _Line:
    """A file-like object csv.writer writes one line into (Django's streaming CSV recipe)."""

    def write(self, value: str) -> str:
        return value


_writer = csv.writer(_Line())


def _csv_line(cells: list[str]) -> str:
    return _writer.writerow([_escape(c or "") for c in cells])


def _contact_ref(contact: Contact | None) -> str:
    if contact is None:
        return ""
    return contact.email or contact.name


def _customer_cells(c: Customer) -> dict[str, str]:
    return {
        "record": CUSTOMER,
        "customer": c.name,
        "division": c.division,
        "status": c.status,
        "relationship_manager": c.relationship_manager.user.email,
        "business_manager": _contact_ref(c.business_manager),
        "counterpart": _contact_ref(c.counterpart),
        "strategy": c.strategy,
        "business_drivers": c.business_drivers,
        "demand_patterns": c.demand_patterns,
        "services": "; ".join(sorted(s.name for s in c.services.all())),
        "notes": c.notes,
    }


def _purchaser_cells(p: Purchaser) -> dict[str, str]:
    return {
        "record": PURCHASER,
        "customer": p.customer.name,
        "purchaser": p.name,
        "manager": _contact_ref(p.manager),
        "it_contact": p.it_contact.user.email if p.it_contact else "",
        "notes": p.notes,
    }


def _contact_cells(c: Contact) -> dict[str, str]:
    cells = {name: getattr(c, name) for name in TEXT_FIELDS[CONTACT]}
    return {
        **cells,
        "record": CONTACT,
        "customer": c.customer.name,
        "purchaser": c.purchaser.name if c.purchaser else "",
        "name": c.name,
        "email": c.email,
        "influence": c.influence,
        "authority": c.authority,
    }


EXPORTS = (
    (
        lambda: Customer.objects.select_related(
            "relationship_manager__user", "business_manager", "counterpart"
        ).prefetch_related("services"),
        _customer_cells,
    ),
    (
        lambda: Purchaser.objects.select_related("customer", "manager", "it_contact__user"),
        _purchaser_cells,
    ),
    (lambda: Contact.objects.select_related("customer", "purchaser"), _contact_cells),
)


def customers_csv_export(tenant) -> Iterator[str]:
    """The office's customers, then purchasers, then contacts, as CSV lines in the import format.

    For a StreamingHttpResponse: Django sends the body after the tenant middleware has left the
    tenant and ended its transaction. So each batch enters the tenant again, in a short
    transaction of its own, and no transaction stays open while the client reads.
    """
    yield "\ufeff" + _csv_line(list(COLUMN_NAMES))  # the BOM tells spreadsheets it is UTF-8
    for queryset, cells in EXPORTS:
        last_pk = 0
        while True:
            with tenant_context(tenant):
                batch = list(queryset().filter(pk__gt=last_pk).order_by("pk")[:EXPORT_BATCH])
                lines = [
                    _csv_line([row.get(c, "") for c in COLUMN_NAMES]) for row in map(cells, batch)
                ]
            if not batch:
                break
            last_pk = batch[-1].pk
            yield "".join(lines)
