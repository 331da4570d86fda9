"""Writes of the communication plan and the notices: plan entries and their deliveries, notices
drafted, their audience resolved to contacts (with why each is chosen), sent through the outbox,
major incidents' updates, the maintenance window's calendar file, the portal users' preferences
and the overdue plan entries' reminders.

Sending to many is bulk: `notice_send` only marks the notice sent and schedules one due job;
the job (`notice_fanout`) resolves the audience in a few queries (one per role, whatever the
number of customers), writes the recipients and queues one email a contact with
`outbox_enqueue_many` (one INSERT a batch). Each email's outbox key names the notice (or the
update) and the contact, so a job run twice, or two workers, queue it once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import nh3
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

from brm.audit.services import audit_record, audited_create, audited_update
from brm.calendar.ics import CalendarEvent, Person, calendar_bytes, event_uid
from brm.outbox.services import due_job_schedule, outbox_enqueue, outbox_enqueue_many
from brm.tenancy.context import current_tenant_id
from brm.tenancy.models import PORTAL_ROLES, Membership, Tenant
from customers.models import Contact, Customer, CustomerService, Purchaser

from .communication_models import (
    AudienceRole,
    CommunicationPlanEntry,
    CommunicationPreference,
    Notice,
    NoticeAudience,
    NoticeRecipient,
    NoticeUpdate,
    PlanDelivery,
    PlanFrequency,
    Topic,
)

NOTICE_FANOUT = "meetings.notice_fanout"
UPDATE_FANOUT = "meetings.notice_update_fanout"
PLAN_OVERDUE = "meetings.plan_overdue"

# --- the body: plain text with a safe subset of Markdown ------------------------------------

# CommonMark without raw HTML (a "<script>" in the body is text), then nh3 keeps only these
# tags and attributes and the link schemes below: nothing in a body ever runs.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable("image")
ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "a",
    "code",
    "pre",
    "blockquote",
    "h3",
    "h4",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def body_html(text: str) -> str:
    """The body as safe HTML (headings of the body start at h3, below the page's own)."""
    html = _markdown.render(text or "")
    for level in (6, 5, 4, 3, 2, 1):
        target = min(level + 2, 4)
        html = html.replace(f"<h{level}>", f"<h{target}>").replace(f"</h{level}>", f"</h{target}>")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


# --- shared pieces ---------------------------------------------------------------------------


def _refuse_reader(actor_member: Membership | None) -> None:
    """Only the writing staff roles send and plan; a purchaser or a customer never does (an API
    key, `None`, writes through its own scope)."""
    if actor_member is not None and not actor_member.can_write:
        raise PermissionDenied(_("Your role does not send communications."))


def _office() -> Tenant:
    return Tenant.objects.get(pk=current_tenant_id())


def _link(office: Tenant, url_name: str, **kwargs) -> str:
    try:
        path = reverse(url_name, kwargs={"tenant_slug": office.slug, **kwargs})
    except NoReverseMatch:
        return ""
    return f"{settings.BRM_BASE_URL}{path}"


def preferences_link(office: Tenant) -> str:
    """The portal's preferences page, named in every notice email."""
    return _link(office, "meetings:portal_preferences")


def _own_ids(model, ids: Iterable, field_name: str, **filters) -> list[int]:
    """The ids given, each checked to be one of the office's (another office's id is unknown)."""
    try:
        wanted = sorted({int(i) for i in ids})
    except (TypeError, ValueError):
        raise ValidationError({field_name: _("Give ids of records.")}) from None
    found = set(model.objects.filter(pk__in=wanted, **filters).values_list("pk", flat=True))
    missing = [i for i in wanted if i not in found]
    if missing:
        raise ValidationError(
            {field_name: _("Unknown id: %(ids)s.") % {"ids": ", ".join(map(str, missing))}}
        )
    return wanted


def _roles(roles: Iterable[str]) -> list[str]:
    roles = list(dict.fromkeys(roles or []))
    if set(roles) - set(AudienceRole.values):
        raise ValidationError({"roles": _("Choose roles from the list.")})
    return roles


def next_due_after(day: date, frequency: str) -> date | None:
    steps = {
        PlanFrequency.WEEKLY: relativedelta(weeks=1),
        PlanFrequency.MONTHLY: relativedelta(months=1),
        PlanFrequency.QUARTERLY: relativedelta(months=3),
        PlanFrequency.YEARLY: relativedelta(years=1),
    }
    step = steps.get(frequency)
    return day + step if step else None


# --- the plan --------------------------------------------------------------------------------

PLAN_FIELDS = (
    "topic",
    "description",
    "roles",
    "contact_ids",
    "frequency",
    "channel",
    "owner",
    "next_due",
)


def _plan_data(customer: Customer, data: dict) -> dict:
    data = {k: v for k, v in data.items() if k in PLAN_FIELDS}
    if "roles" in data:
        data["roles"] = _roles(data["roles"])
    if "contact_ids" in data:
        data["contact_ids"] = _own_ids(
            Contact, data["contact_ids"], "contact_ids", customer_id=customer.pk
        )
    owner = data.get("owner")
    if owner is not None and not (owner.is_active and owner.is_staff_role):
        raise ValidationError({"owner": _("The owner is an active member of the office staff.")})
    return data


def _check_entry(entry: CommunicationPlanEntry) -> None:
    entry.clean()
    if not entry.roles and not entry.contact_ids:
        raise ValidationError({"roles": _("Say to whom: a role, or contacts by name.")})


@transaction.atomic
def plan_entry_create(
    *, customer: Customer, actor, actor_member: Membership | None = None, **data
) -> CommunicationPlanEntry:
    _refuse_reader(actor_member)
    data = _plan_data(customer, data)
    entry = CommunicationPlanEntry(customer=customer, **data)
    _check_entry(entry)
    return audited_create(
        CommunicationPlanEntry,
        actor=actor,
        action="communication_plan.create",
        data={"customer": customer, **data},
    )


@transaction.atomic
def plan_entry_update(
    *, entry: CommunicationPlanEntry, actor, actor_member: Membership | None = None, **data
) -> CommunicationPlanEntry:
    _refuse_reader(actor_member)
    data = _plan_data(entry.customer, data)
    probe = CommunicationPlanEntry(
        **{f: getattr(entry, f) for f in PLAN_FIELDS if f != "owner"},
        owner_id=entry.owner_id,
        customer=entry.customer,
    )
    for name, value in data.items():
        setattr(probe, name, value)
    _check_entry(probe)
    audited_update(entry, actor=actor, action="communication_plan.update", data=data)
    return entry


@transaction.atomic
def plan_entry_delete(
    *, entry: CommunicationPlanEntry, actor, actor_member: Membership | None = None
) -> None:
    _refuse_reader(actor_member)
    audit_record(
        actor=actor,
        action="communication_plan.delete",
        obj=entry.customer,
        changes={"plan_entry": [str(entry), None]},
    )
    entry.delete()


@transaction.atomic
def plan_entry_deliver(
    *,
    entry: CommunicationPlanEntry,
    actor,
    on: date | None = None,
    notice: Notice | None = None,
    actor_member: Membership | None = None,
) -> PlanDelivery:
    """Record that the entry's communication went out (on `on`, today by default) and move its
    next due date on by its frequency."""
    _refuse_reader(actor_member)
    today = timezone.localdate(timezone.now(), _office().zone)
    on = on or today
    if on > today:
        raise ValidationError({"on": _("A delivery is recorded once it has happened.")})
    entry = CommunicationPlanEntry.objects.select_for_update().get(pk=entry.pk)
    delivery = PlanDelivery.objects.create(
        entry=entry,
        customer_id=entry.customer_id,
        due_on=entry.next_due,
        delivered_on=on,
        notice=notice,
    )
    changes = {"last_delivered_on": [entry.last_delivered_on, on]}
    entry.last_delivered_on = on
    if entry.next_due is not None:
        following = next_due_after(entry.next_due, entry.frequency)
        while following is not None and following <= on:
            following = next_due_after(following, entry.frequency)
        changes["next_due"] = [entry.next_due, following]
        entry.next_due = following
    entry.save(update_fields=["last_delivered_on", "next_due", "updated_at"])
    audit_record(
        actor=actor,
        action="communication_plan.deliver",
        obj=entry,
        changes={
            k: [str(a) if a else None, str(b) if b else None] for k, (a, b) in changes.items()
        },
    )
    return delivery


def plan_overdue_remind(day: date) -> int:
    """The daily job: each entry overdue on `day` reminds its owner once (per due date)."""
    office = _office()
    overdue = (
        CommunicationPlanEntry.objects.filter(next_due__lt=day)
        .filter(Q(reminded_for__isnull=True) | ~Q(reminded_for=F("next_due")))
        .select_related("customer", "owner__user")
    )
    sent = 0
    for entry in overdue:
        email = entry.owner.user.email if entry.owner.is_active else ""
        if email:
            with translation.override(office.language):
                context = {
                    "office": office,
                    "entry": entry,
                    "link": _link(office, "meetings:communication_plan"),
                }
                outbox_enqueue(
                    key=f"comm-plan-overdue:{entry.pk}:{entry.next_due.isoformat()}",
                    to=email,
                    subject=_("Overdue: %(what)s for %(customer)s")
                    % {"what": entry.get_topic_display(), "customer": entry.customer.name},
                    text=render_to_string("meetings/email/plan_overdue.txt", context),
                )
            sent += 1
        CommunicationPlanEntry.objects.filter(pk=entry.pk).update(reminded_for=entry.next_due)
    return sent


# --- notices ---------------------------------------------------------------------------------

NOTICE_FIELDS = (
    "kind",
    "subject",
    "body",
    "window_starts_at",
    "window_ends_at",
    "customer_ids",
    "service",
    "purchasers_only",
    "resolve",
    "roles",
    "contact_ids",
)


def _notice_data(data: dict) -> dict:
    data = {k: v for k, v in data.items() if k in NOTICE_FIELDS}
    if "roles" in data:
        data["roles"] = _roles(data["roles"])
    if "customer_ids" in data:
        data["customer_ids"] = _own_ids(Customer, data["customer_ids"], "customer_ids")
    if "contact_ids" in data:
        data["contact_ids"] = _own_ids(Contact, data["contact_ids"], "contact_ids")
    return data


def _check_notice(notice: Notice) -> None:
    errors = {}
    try:
        notice.clean()
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if notice.resolve == Notice.Resolve.HAND:
        if not notice.contact_ids:
            errors["contact_ids"] = _("Choose the contacts who receive it.")
    else:
        if not notice.customer_ids and notice.service_id is None:
            errors["customer_ids"] = _(
                "Choose the customers, or a service whose customers receive it."
            )
        if notice.resolve == Notice.Resolve.ROLES and not notice.roles:
            errors["roles"] = _("Choose the roles who receive it.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def notice_create(
    *, actor, actor_member: Membership | None = None, source: str = Notice.Source.STAFF, **data
) -> Notice:
    _refuse_reader(actor_member)
    data = _notice_data(data)
    _check_notice(Notice(**data))
    return audited_create(
        Notice,
        actor=actor,
        action="notice.create",
        data={**data, "created_by": actor_member, "source": source},
    )


@transaction.atomic
def notice_update(
    *, notice: Notice, actor, actor_member: Membership | None = None, **data
) -> Notice:
    _refuse_reader(actor_member)
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.status != Notice.Status.DRAFT:
        raise ValidationError(_("A sent notice is not changed; add an update instead."))
    data = _notice_data(data)
    probe = Notice(
        **{f: getattr(notice, f) for f in NOTICE_FIELDS if f != "service"},
        service_id=notice.service_id,
    )
    for name, value in data.items():
        setattr(probe, name, value)
    _check_notice(probe)
    audited_update(notice, actor=actor, action="notice.update", data=data)
    return notice


@transaction.atomic
def notice_delete(*, notice: Notice, actor, actor_member: Membership | None = None) -> None:
    _refuse_reader(actor_member)
    if notice.status != Notice.Status.DRAFT:
        raise ValidationError(_("A sent notice stays on record."))
    audit_record(
        actor=actor, action="notice.delete", obj=notice, changes={"subject": [notice.subject, None]}
    )
    notice.delete()


# --- the audience ----------------------------------------------------------------------------


@dataclass
class Recipient:
    contact_id: int
    name: str
    email: str
    customer_id: int
    customer_name: str
    purchaser_id: int | None
    reasons: list[str] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


@dataclass
class Audience:
    """Who receives a notice, and why; the customers addressed that reach nobody; and how many
    contacts were left out because they opted out of this kind."""

    recipients: list[Recipient]
    customers: list[tuple[int, str]]
    unreached: list[str]
    opted_out: int

    @property
    def count(self) -> int:
        return len(self.recipients)


ROLE_REASON = {
    AudienceRole.BUSINESS_MANAGER: _("business manager"),
    AudienceRole.COUNTERPART: _("business counterpart"),
    AudienceRole.PURCHASER_MANAGERS: _("purchaser's manager"),
    AudienceRole.PORTAL_USERS: _("has portal access"),
    AudienceRole.ALL_CONTACTS: _("a contact of the customer"),
}


def _role_filter(role: str) -> Q:
    if role == AudienceRole.BUSINESS_MANAGER:
        return Q(customer__business_manager=F("pk"))
    if role == AudienceRole.COUNTERPART:
        return Q(customer__counterpart=F("pk"))
    if role == AudienceRole.PURCHASER_MANAGERS:
        return Q(Exists(Purchaser.objects.filter(manager_id=OuterRef("pk"))))
    if role == AudienceRole.PORTAL_USERS:
        return Q(membership__is_active=True, membership__role__in=PORTAL_ROLES)
    return Q()


def _opted_out(kind: str) -> Q:
    prefs = CommunicationPreference.objects.filter(contact_id=OuterRef("pk"))
    if kind == Topic.NEWSLETTER:
        return Q(Exists(prefs.filter(newsletters=False)))
    if kind == Topic.GENERAL:
        return Q(Exists(prefs.filter(general=False)))
    return Q(pk__in=[])  # the essential kinds: nobody is left out


def audience_customers(notice: Notice) -> list[tuple[int, str]]:
    """The customers a notice addresses: those named and every customer consuming its service
    (for a notice chosen by hand, the customers of the contacts chosen)."""
    if notice.resolve == Notice.Resolve.HAND:
        customers = Customer.objects.filter(
            pk__in=Contact.objects.filter(pk__in=notice.contact_ids).values("customer_id")
        )
    else:
        where = Q(pk__in=notice.customer_ids)
        if notice.service_id:
            where |= Q(
                pk__in=CustomerService.objects.filter(service_id=notice.service_id).values(
                    "customer_id"
                )
            )
        customers = Customer.objects.filter(where)
    return list(customers.order_by("name", "pk").values_list("pk", "name"))


def audience_resolve(notice: Notice) -> Audience:
    """Resolve a notice's audience to contacts, each with why they receive it.

    A fixed number of queries whatever the number of customers and contacts: one for the
    customers, one per role (or per role the plan entries name, and one for the contacts they
    name), and one count of those who opted out."""
    customers = audience_customers(notice)
    customer_ids = [pk for pk, _name in customers]
    base = Contact.objects.filter(customer_id__in=customer_ids).exclude(email="")
    if notice.purchasers_only:
        base = base.filter(purchaser__isnull=False)
    optional = notice.is_optional
    chosen: dict[int, Recipient] = {}
    opted_out: set[int] = set()
    columns = ("pk", "name", "email", "customer_id", "customer__name", "purchaser_id", "out")

    def collect(rows, reason: str) -> None:
        for pk, name, email, customer_id, customer_name, purchaser_id, out in rows:
            if out:
                opted_out.add(pk)
                continue
            recipient = chosen.get(pk)
            if recipient is None:
                recipient = chosen[pk] = Recipient(
                    pk, name, email, customer_id, customer_name, purchaser_id
                )
            if reason not in recipient.reasons:
                recipient.reasons.append(reason)

    def rows(queryset):
        flagged = queryset.annotate(out=_opted_out(notice.kind) if optional else Q(pk__in=[]))
        return flagged.values_list(*columns)

    if notice.resolve == Notice.Resolve.HAND:
        collect(rows(base.filter(pk__in=notice.contact_ids)), _("chosen by hand"))
    elif notice.resolve == Notice.Resolve.ROLES:
        for role in notice.roles:
            collect(rows(base.filter(_role_filter(role))), str(ROLE_REASON[AudienceRole(role)]))
    else:
        entries = CommunicationPlanEntry.objects.filter(
            customer_id__in=customer_ids, topic=notice.kind
        ).values_list("customer_id", "roles", "contact_ids")
        by_role: dict[str, set[int]] = {}
        named: set[int] = set()
        for customer_id, roles, contact_ids in entries:
            for role in roles:
                by_role.setdefault(role, set()).add(customer_id)
            named.update(contact_ids)
        plan = _("communication plan")
        for role in AudienceRole.values:
            if role in by_role:
                collect(
                    rows(base.filter(_role_filter(role), customer_id__in=by_role[role])),
                    f"{plan}: {ROLE_REASON[AudienceRole(role)]}",
                )
        if named:
            collect(rows(base.filter(pk__in=named)), f"{plan}: {_('named')}")
    reached = {r.customer_id for r in chosen.values()}
    recipients = sorted(chosen.values(), key=lambda r: (r.customer_name, r.name, r.contact_id))
    return Audience(
        recipients=recipients,
        customers=customers,
        unreached=[name for pk, name in customers if pk not in reached],
        opted_out=len(opted_out - set(chosen)),
    )


# --- sending ---------------------------------------------------------------------------------


@transaction.atomic
def notice_send(*, notice: Notice, actor, actor_member: Membership | None = None) -> Notice:
    """Send a draft: it is marked sent at once and one job resolves the audience and queues the
    emails (no work per customer or per contact in the caller). Sending twice sends once."""
    _refuse_reader(actor_member)
    now = timezone.now()
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.status != Notice.Status.DRAFT:
        raise ValidationError(_("This notice has been sent already."))
    _check_notice(notice)
    Notice.objects.filter(pk=notice.pk).update(
        status=Notice.Status.SENT, sent_at=now, sent_by=actor_member, updated_at=now
    )
    audit_record(
        actor=actor,
        action="notice.send",
        obj=notice,
        changes={"status": [Notice.Status.DRAFT, Notice.Status.SENT]},
    )
    due_job_schedule(handler=NOTICE_FANOUT, key=f"notice-send:{notice.pk}", due_at=now, obj=notice)
    notice.refresh_from_db()
    return notice


def notice_ics(notice: Notice, office: Tenant | None = None) -> bytes:
    """The maintenance window as a calendar file to import (METHOD:PUBLISH, a stable UID)."""
    if notice.kind != Topic.PLANNED_MAINTENANCE or not notice.window_starts_at:
        raise ValidationError(_("Only a planned maintenance has a window."))
    office = office or _office()
    sender = settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">").strip()
    event = CalendarEvent(
        uid=event_uid(office.pk, "notice", notice.pk),
        sequence=0,
        summary=notice.subject,
        description=notice.body,
        starts_at=notice.window_starts_at,
        ends_at=notice.window_ends_at,
        time_zone=office.time_zone,
        organizer=Person(office.name, sender),
        categories=[str(Topic.PLANNED_MAINTENANCE.label)],
        status="CONFIRMED",
    )
    return calendar_bytes([event], "PUBLISH")


def _window(notice: Notice, office: Tenant) -> str:
    if not notice.window_starts_at:
        return ""
    starts = timezone.localtime(notice.window_starts_at, office.zone)
    ends = timezone.localtime(notice.window_ends_at, office.zone)
    return (
        f"{date_format(starts, 'l j F Y')} {starts:%H:%M} – "
        f"{date_format(ends, 'l j F Y')} {ends:%H:%M} ({office.zone.key})"
    )


def _email(office: Tenant, notice: Notice, update: NoticeUpdate | None = None) -> dict:
    """The email of a notice (or of one of its updates): the same for every recipient."""
    with translation.override(office.language), timezone.override(office.zone):
        context = {
            "office": office,
            "notice": notice,
            "update": update,
            "window": _window(notice, office),
            "body_html": body_html(update.body if update else notice.body),
            "body": update.body if update else notice.body,
            "link": _link(office, "meetings:portal_notice", pk=notice.pk),
            "preferences": preferences_link(office),
        }
        text = render_to_string("meetings/email/notice.txt", context)
        html = render_to_string("meetings/email/notice.html", context)
        if update is None:
            subject = f"[{notice.get_kind_display()}] {notice.subject}"
        else:
            subject = f"[{update.get_stage_display()}] {notice.subject}"
    email = {"subject": subject, "text": text, "html": html}
    if notice.kind == Topic.PLANNED_MAINTENANCE and update is None:
        email["attachments"] = [
            {
                "filename": "maintenance.ics",
                "content_type": "text/calendar",
                "content": notice_ics(notice, office),
            }
        ]
    return email


def notice_key(notice_id: int, contact_id: int) -> str:
    return f"notice-{notice_id}:contact-{contact_id}"


def update_key(update_id: int, contact_id: int) -> str:
    return f"notice-update-{update_id}:contact-{contact_id}"


def _resolve_once(notice: Notice) -> Notice:
    """Write the notice's recipients and audience once (the row lock keeps racing jobs apart)."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.resolved_at is not None:
        return notice
    audience = audience_resolve(notice)
    narrowed, tenant_id = notice.purchasers_only, notice.tenant_id  # bulk_create skips save()
    NoticeAudience.objects.bulk_create(
        [
            NoticeAudience(
                tenant_id=tenant_id, notice=notice, customer_id=pk, whole_customer=not narrowed
            )
            for pk, _name in audience.customers
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    NoticeRecipient.objects.bulk_create(
        [
            NoticeRecipient(
                tenant_id=tenant_id,
                notice=notice,
                contact_id=r.contact_id,
                customer_id=r.customer_id,
                purchaser_id=r.purchaser_id,
                email=r.email,
                reason=r.reason[:200],
            )
            for r in audience.recipients
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    now = timezone.now()
    Notice.objects.filter(pk=notice.pk).update(resolved_at=now, recipient_count=audience.count)
    _plan_delivered(notice, [pk for pk, _name in audience.customers], now)
    notice.resolved_at, notice.recipient_count = now, audience.count
    return notice


def _plan_delivered(notice: Notice, customer_ids: list[int], now) -> None:
    """The customers' plan entries of the notice's kind are delivered by it (in bulk)."""
    office = _office()
    today = timezone.localdate(now, office.zone)
    entries = list(
        CommunicationPlanEntry.objects.filter(customer_id__in=customer_ids, topic=notice.kind)
    )
    PlanDelivery.objects.bulk_create(
        [
            PlanDelivery(
                tenant_id=notice.tenant_id,
                entry=e,
                customer_id=e.customer_id,
                due_on=e.next_due,
                delivered_on=today,
                notice=notice,
            )
            for e in entries
        ],
        batch_size=2000,
    )
    for entry in entries:
        entry.last_delivered_on = today
        if entry.next_due is not None:
            following = next_due_after(entry.next_due, entry.frequency)
            while following is not None and following <= today:
                following = next_due_after(following, entry.frequency)
            entry.next_due = following
    CommunicationPlanEntry.objects.bulk_update(
        entries, ["last_delivered_on", "next_due"], batch_size=2000
    )


def notice_fanout(notice: Notice) -> int:
    """The send job: resolve the audience once and queue one email a recipient (bulk)."""
    notice = _resolve_once(notice)
    office = _office()
    email = _email(office, notice)
    recipients = NoticeRecipient.objects.filter(notice=notice).values_list("contact_id", "email")
    return outbox_enqueue_many(
        {"key": notice_key(notice.pk, contact_id), "to": address, **email}
        for contact_id, address in recipients.iterator(chunk_size=5000)
    )


@transaction.atomic
def notice_update_add(
    *, notice: Notice, stage: str, body: str, actor, actor_member: Membership | None = None
) -> NoticeUpdate:
    """A major incident's next step, sent to the notice's audience (no opt-out: it is essential)."""
    _refuse_reader(actor_member)
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.kind != Topic.MAJOR_INCIDENT:
        raise ValidationError(_("Only a major incident has updates."))
    if notice.status != Notice.Status.SENT:
        raise ValidationError(_("Send the major incident before adding updates."))
    if stage not in NoticeUpdate.Stage.values:
        raise ValidationError({"stage": _("Choose investigating, identified or resolved.")})
    if not (body or "").strip():
        raise ValidationError({"body": _("Say what is known.")})
    if notice.updates.filter(stage=NoticeUpdate.Stage.RESOLVED).exists():
        raise ValidationError(_("This major incident is resolved."))
    update = NoticeUpdate.objects.create(
        notice=notice, stage=stage, body=body, created_by=actor_member
    )
    audit_record(
        actor=actor, action="notice.update_add", obj=notice, changes={"stage": [None, stage]}
    )
    due_job_schedule(
        handler=UPDATE_FANOUT,
        key=f"notice-update-send:{update.pk}",
        due_at=timezone.now(),
        obj=update,
    )
    return update


def update_fanout(update: NoticeUpdate) -> int:
    notice = _resolve_once(update.notice)
    email = _email(_office(), notice, update)
    recipients = NoticeRecipient.objects.filter(notice=notice).values_list("contact_id", "email")
    return outbox_enqueue_many(
        {"key": update_key(update.pk, contact_id), "to": address, **email}
        for contact_id, address in recipients.iterator(chunk_size=5000)
    )


# --- preferences -----------------------------------------------------------------------------


def preference_get(contact: Contact) -> CommunicationPreference:
    found = CommunicationPreference.objects.filter(contact=contact).first()
    return found or CommunicationPreference(contact=contact)


@transaction.atomic
def preference_set(*, contact: Contact, actor, newsletters: bool, general: bool):
    """A portal user's choice of the optional kinds; the essential ones are not a choice."""
    preference, _created = CommunicationPreference.objects.get_or_create(contact=contact)
    audited_update(
        preference,
        actor=actor,
        action="communication_preference.update",
        data={"newsletters": bool(newsletters), "general": bool(general)},
    )
    return preference
