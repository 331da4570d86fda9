"""How a version reads on a page: its sections as rows of labelled values, and the comparison of
two versions section by section and row by row.

The staff page, the portal and the signing page all render the same `version_sections`, so the
signer reads exactly what the others see. Reads only: one query a section plus one for the
engagement attendees' names, whatever the number of rows.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from brm.tenancy.models import Membership
from customers.models import Contact

from .models import EngagementRow, SectionRow
from .services import SECTIONS, section_rows

SECTION_TITLES = {
    "partner_plan": gettext_lazy("Partner plan"),
    "engagement": gettext_lazy("Engagement strategy"),
    "objectives": gettext_lazy("Shared objectives and initiatives"),
    "action_plan": gettext_lazy("Action plan"),
    "sla": gettext_lazy("Appendix: service levels (SLA and OLA)"),
}
SECTION_ADD_LABELS = {
    "partner_plan": gettext_lazy("Add a person"),
    "engagement": gettext_lazy("Add a meeting"),
    "objectives": gettext_lazy("Add an objective"),
    "action_plan": gettext_lazy("Add an action"),
    "sla": gettext_lazy("Add a service level"),
}

# The columns of each section as the pages show them: (key, label).
COLUMNS = {
    "partner_plan": [
        ("name", gettext_lazy("Name")),
        ("title", gettext_lazy("Title")),
        ("email", gettext_lazy("Email")),
        ("phone", gettext_lazy("Phone")),
        ("role", gettext_lazy("Role in the agreement")),
    ],
    "engagement": [
        ("meeting", gettext_lazy("Meeting")),
        ("purpose", gettext_lazy("Purpose")),
        ("attendees", gettext_lazy("Attendees")),
        ("frequency", gettext_lazy("Frequency")),
        ("duration", gettext_lazy("Usual duration")),
    ],
    "objectives": [
        ("objective", gettext_lazy("Objective")),
        ("initiative", gettext_lazy("Initiative")),
        ("owner", gettext_lazy("Owner")),
        ("target_date", gettext_lazy("Target date")),
        ("status", gettext_lazy("Status")),
    ],
    "action_plan": [
        ("title", gettext_lazy("Action")),
        ("owner_name", gettext_lazy("Owner")),
        ("due_date", gettext_lazy("Due")),
    ],
    "sla": [
        ("kind", gettext_lazy("Kind")),
        ("line", gettext_lazy("Service and metric")),
        ("target", gettext_lazy("Target")),
        ("period", gettext_lazy("Measured by")),
        ("workload_limit", gettext_lazy("Workload limit")),
        ("exceptions", gettext_lazy("Exceptions")),
        ("owner", gettext_lazy("Owner")),
    ],
}

ORDINALS = {
    1: gettext_lazy("first"),
    2: gettext_lazy("second"),
    3: gettext_lazy("third"),
    4: gettext_lazy("fourth"),
    5: gettext_lazy("fifth"),
    -1: gettext_lazy("last"),
}


def frequency_text(row: EngagementRow) -> str:
    """How often, in words: "Monthly, on the second Tuesday", "Every 2 weeks on Monday"."""
    weekday = row.get_weekday_display() if row.weekday is not None else ""
    if row.frequency == EngagementRow.Frequency.WEEKLY:
        text = (
            _("Every week") if row.interval == 1 else _("Every %(n)s weeks") % {"n": row.interval}
        )
        return (f"{text} " + _("on %(day)s") % {"day": weekday}) if weekday else str(text)
    text = row.get_frequency_display()
    if row.week_of_month is not None and weekday:
        return _("%(freq)s, on the %(nth)s %(day)s") % {
            "freq": text,
            "nth": ORDINALS.get(row.week_of_month, row.week_of_month),
            "day": weekday,
        }
    if row.month_day:
        return _("%(freq)s, on day %(day)s") % {"freq": text, "day": row.month_day}
    if weekday:
        return _("%(freq)s, on a %(day)s") % {"freq": text, "day": weekday}
    return str(text)


@dataclass
class ShownRow:
    """A section row as shown: its values by column key, and the row itself (for the editor)."""

    row: SectionRow
    values: dict[str, str]
    key: tuple = ()
    cells: list[str] = field(default_factory=list)


@dataclass
class ShownSection:
    key: str
    title: str
    add_label: str
    columns: list
    rows: list[ShownRow] = field(default_factory=list)


def _date(value) -> str:
    return value.isoformat() if value else ""


def _attendee_names(rows: list[EngagementRow]) -> tuple[dict, dict]:
    contact_ids = {pk for row in rows for pk in row.attendee_contact_ids or []}
    member_ids = {pk for row in rows for pk in row.attendee_member_ids or []}
    contacts = (
        dict(Contact.objects.filter(pk__in=contact_ids).values_list("pk", "name"))
        if contact_ids
        else {}
    )
    members = {}
    if member_ids:
        for member in Membership.objects.filter(pk__in=member_ids).select_related("user"):
            members[member.pk] = member.user.full_name or member.user.email
    return contacts, members


def _values(section: str, row, names) -> dict[str, str]:
    if section == "partner_plan":
        return {key: getattr(row, key) for key, _label in COLUMNS[section]}
    if section == "engagement":
        contacts, members = names
        attendees = [
            *row.attendee_roles,
            *(contacts.get(pk, _("a former contact")) for pk in row.attendee_contact_ids),
            *(members.get(pk, _("a former staff member")) for pk in row.attendee_member_ids),
        ]
        return {
            "meeting": str(row),
            "purpose": row.purpose,
            "attendees": ", ".join(attendees),
            "frequency": frequency_text(row),
            "duration": _("%(n)s minutes") % {"n": row.duration_minutes},
        }
    if section == "objectives":
        owner = row.owner_text
        if not owner and row.owner_member is not None:
            owner = row.owner_member.user.full_name or row.owner_member.user.email
        return {
            "objective": row.objective,
            "initiative": row.initiative,
            "owner": owner,
            "target_date": _date(row.target_date),
            "status": row.get_status_display(),
        }
    if section == "sla":
        owner = row.owner or row.service.owner
        return {
            "kind": _("OLA") if row.kind == row.Kind.OLA else _("SLA"),
            "line": f"{row.service.name}: {row.metric}",
            "target": row.target_text,
            "period": row.get_period_display(),
            "workload_limit": row.workload_limit,
            "exceptions": row.exceptions,
            "owner": (owner.user.full_name or owner.user.email) if owner else "",
        }
    return {"title": row.title, "owner_name": row.owner_name, "due_date": _date(row.due_date)}


def _identity(section: str, row) -> tuple:
    """What makes a row "the same row" in another version (rows are copied, ids change): the
    person, the meeting type, the objective, the action item."""
    if section == "partner_plan":
        if row.contact_id:
            return ("contact", row.contact_id)
        if row.member_id:
            return ("member", row.member_id)
        return ("name", row.name)
    if section == "engagement":
        return (row.meeting_type, row.name)
    if section == "objectives":
        return (row.objective,)
    if section == "sla":
        return ("key", row.key)  # the measured series: service and metric
    return ("item", row.action_item_id) if row.action_item_id else ("title", row.title)


def _rows(version, section: str):
    qs = section_rows(version, section)
    if section == "objectives":
        qs = qs.select_related("owner_member__user")
    if section == "sla":
        qs = qs.select_related("service__owner__user", "owner__user")
    return list(qs)


def _shown(section: str, row, names) -> ShownRow:
    values = _values(section, row, names)
    return ShownRow(
        row=row,
        values=values,
        key=_identity(section, row),
        cells=[values[key] for key, _label in COLUMNS[section]],
    )


def version_sections(version) -> list[ShownSection]:
    """The row sections of `version` (the SLA appendix last), each with its rows as shown."""
    rows = {name: _rows(version, name) for name in SECTIONS}
    names = _attendee_names(rows["engagement"])
    return [
        ShownSection(
            key=name,
            title=SECTION_TITLES[name],
            add_label=SECTION_ADD_LABELS[name],
            columns=COLUMNS[name],
            rows=[_shown(name, row, names) for row in rows[name]],
        )
        for name in SECTIONS
    ]


# Comparing two versions --------------------------------------------------------------------------

ADDED, REMOVED, CHANGED, SAME = "added", "removed", "changed", "same"
CHANGE_LABELS = {
    ADDED: gettext_lazy("Added"),
    REMOVED: gettext_lazy("Removed"),
    CHANGED: gettext_lazy("Changed"),
    SAME: gettext_lazy("Unchanged"),
}


@dataclass
class Cell:
    old: str
    new: str

    @property
    def changed(self) -> bool:
        return self.old != self.new


@dataclass
class RowChange:
    change: str
    cells: list[Cell]

    @property
    def label(self) -> str:
        return CHANGE_LABELS[self.change]


@dataclass
class SectionChange:
    key: str
    title: str
    columns: list
    rows: list[RowChange]

    @property
    def changed(self) -> int:
        return sum(1 for row in self.rows if row.change != SAME)


@dataclass
class TextLine:
    change: str
    text: str


def _row_change(columns, old: ShownRow | None, new: ShownRow | None) -> RowChange:
    cells = [
        Cell(old.values[key] if old else "", new.values[key] if new else "")
        for key, _label in columns
    ]
    if old is None:
        return RowChange(ADDED, cells)
    if new is None:
        return RowChange(REMOVED, cells)
    return RowChange(CHANGED if any(c.changed for c in cells) else SAME, cells)


def _align(columns, old: list[ShownRow], new: list[ShownRow]) -> list[RowChange]:
    """Rows matched by identity in order (difflib over the identities); where a run of rows was
    replaced by another, they are paired in place as changed and the surplus is added or
    removed: an objective reworded at its place reads as one changed row."""
    matcher = difflib.SequenceMatcher(
        a=[r.key for r in old], b=[r.key for r in new], autojunk=False
    )
    result = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        olds, news = old[i1:i2], new[j1:j2]
        if tag == "equal" or tag == "replace":
            paired = min(len(olds), len(news))
            result += [_row_change(columns, o, n) for o, n in zip(olds, news, strict=False)]
            result += [_row_change(columns, o, None) for o in olds[paired:]]
            result += [_row_change(columns, None, n) for n in news[paired:]]
        elif tag == "delete":
            result += [_row_change(columns, o, None) for o in olds]
        else:
            result += [_row_change(columns, None, n) for n in news]
    return result


def text_changes(old: str, new: str) -> list[TextLine]:
    """The relationship philosophy line by line: kept, removed and added lines."""
    lines = []
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        code, text = line[:2], line[2:]
        if code == "  ":
            lines.append(TextLine(SAME, text))
        elif code == "- ":
            lines.append(TextLine(REMOVED, text))
        elif code == "+ ":
            lines.append(TextLine(ADDED, text))
    return lines


def compare_versions(old, new) -> dict:
    """Version `old` against version `new`: the philosophy's lines and each section's rows."""
    old_sections = {s.key: s for s in version_sections(old)}
    new_sections = version_sections(new)
    sections = [
        SectionChange(
            key=section.key,
            title=section.title,
            columns=section.columns,
            rows=_align(section.columns, old_sections[section.key].rows, section.rows),
        )
        for section in new_sections
    ]
    philosophy = text_changes(old.relationship_philosophy, new.relationship_philosophy)
    return {
        "philosophy": philosophy,
        "philosophy_changed": any(line.change != SAME for line in philosophy),
        "sections": sections,
        "total_changes": sum(s.changed for s in sections)
        + sum(1 for line in philosophy if line.change != SAME),
    }
