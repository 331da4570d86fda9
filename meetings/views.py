"""Staff pages of the meetings area, under /t/<office>/meetings/: the meetings list (mine,
upcoming, held, missed cadences), a meeting with its attendees, agenda, minutes, decisions and
action items, the cadences, and the decision log.

Each view finds its records through the scoped managers (another office's id is a 404), parses
the input with a form and calls one service (meetings.services); the service's refusal lands on
the form or as a message. Every staff role reads; the writing roles change; an IT decision is
approved or rejected only by its accountable staff member (services.decision_refusal).
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from agreements.models import Agreement
from brm.audit.history import history_context
from brm.web.access import staff_required, write_required
from brm.web.pages import (
    add_errors,
    confirm_delete,
    confirm_then,
    form_page,
    get_only,
    list_context,
    tenant_url,
)
from customers.models import Customer

from . import forms, presentation, selectors, services
from .models import AgendaItem, Attendee, Cadence, Meeting, MeetingAction, Minutes

ADHERENCE_DAYS = 365


def _url(name: str, request, **kwargs) -> str:
    return tenant_url(f"meetings:{name}", request, **kwargs)


def _meeting_url(request, meeting, anchor: str = "") -> str:
    url = _url("meeting_detail", request, pk=meeting.pk)
    return f"{url}#{anchor}" if anchor else url


def _crumbs(request, meeting=None) -> list[tuple[str, str]]:
    crumbs = [(_("Meetings"), _url("meeting_list", request))]
    if meeting is not None:
        crumbs.append((meeting.title, _meeting_url(request, meeting)))
    return crumbs


def _cadence_crumbs(request, cadence=None) -> list[tuple[str, str]]:
    crumbs = [
        (_("Meetings"), _url("meeting_list", request)),
        (_("Cadences"), _url("cadence_list", request)),
    ]
    if cadence is not None:
        crumbs.append((cadence.name, _url("cadence_detail", request, pk=cadence.pk)))
    return crumbs


def _decision_crumbs(request, decision=None) -> list[tuple[str, str]]:
    crumbs = [
        (_("Meetings"), _url("meeting_list", request)),
        (_("Decision log"), _url("decision_log", request)),
    ]
    if decision is not None:
        crumbs.append((decision.title, _url("decision_detail", request, pk=decision.pk)))
    return crumbs


def _posted(request):
    """The POST data on a POST (even an empty one: a form of checkboxes may send nothing)."""
    return request.POST if request.method == "POST" else None


def _sort(request, allowed: dict, default: str) -> str:
    ordering = request.GET.get("sort", default)
    return ordering if ordering.lstrip("-") in allowed else default


def _zone_context(request) -> dict:
    zone = request.tenant.zone
    return {"zone": zone, "zone_name": zone.key}


# The meetings list -------------------------------------------------------------------------------


@staff_required
@require_GET
def meeting_list(request):
    """Tabs (upcoming, mine, held, all, missed cadences) and filters by customer, status,
    organiser and a date range (office days)."""
    view = request.GET.get("view", "upcoming")
    if view not in selectors.MEETING_VIEWS:
        view = "upcoming"
    form = forms.MeetingFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    zone = request.tenant.zone
    context = {
        "form": form,
        "view": view,
        "filtered": any(filters.values()),
        "tabs": _tabs(request),
    }
    if view == "missed":
        objects = selectors.missed_cadence_list(
            customer=filters.get("customer"),
            date_from=filters.get("date_from"),
            date_to=filters.get("date_to"),
            search=filters.get("q", ""),
        )
        context.update(list_context(request, objects, ""))
    else:
        ordering = _sort(request, selectors.MEETING_ORDERINGS, "starts")
        objects = selectors.meeting_list(
            view=view,
            membership=request.membership,
            customer=filters.get("customer"),
            status=filters.get("status") or "",
            organiser=filters.get("organiser"),
            date_from=filters.get("date_from"),
            date_to=filters.get("date_to"),
            search=filters.get("q", ""),
            ordering=ordering,
            zone=zone,
        )
        context.update(list_context(request, objects, ordering))
    context.update(_zone_context(request))
    return render(request, "meetings/meeting_list.html", context)


def _tabs(request) -> list[dict]:
    """The tabs, each keeping the filters (not the page or the sort)."""
    labels = {
        "upcoming": _("Upcoming"),
        "mine": _("Mine"),
        "held": _("Held"),
        "all": _("All"),
        "missed": _("Missed cadences"),
    }
    tabs = []
    for key in selectors.MEETING_VIEWS:
        query = request.GET.copy()
        for name in ("page", "sort", "view"):
            query.pop(name, None)
        query["view"] = key
        tabs.append({"key": key, "label": labels[key], "query": query.urlencode()})
    return tabs


# A meeting ---------------------------------------------------------------------------------------


@staff_required
def meeting_detail(request, pk):
    meeting = selectors.meeting_get(pk=pk)
    if not_allowed := get_only(request):
        return not_allowed
    attendees = selectors.meeting_attendees(meeting)
    items = list(meeting.agenda_items.all())
    decisions = list(
        meeting.decisions.select_related("accountable_contact", "accountable_member__user")
    )
    actions = list(
        MeetingAction.objects.filter(meeting=meeting)
        .select_related(
            "action_item__owner_contact", "action_item__owner_member__user", "agenda_item"
        )
        .order_by("pk")  # in the order they were agreed
    )
    minutes = selectors.minutes_of(meeting)
    writer = request.membership.can_write
    planned = meeting.status == Meeting.Status.PLANNED
    open_ = meeting.status != Meeting.Status.CANCELLED
    started = meeting.starts_at <= timezone.now()
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "attendees": attendees,
            "items": items,
            "decisions": decisions,
            "actions": actions,
            "minutes": minutes,
            "writer": writer,
            "can_edit": writer and open_,
            "can_move": writer and planned,
            "can_cancel": writer and planned,
            "can_hold": writer and planned and started,
            "is_held": meeting.status == Meeting.Status.HELD,
            "breadcrumbs": [*_crumbs(request), (meeting.title, "")],
            **_zone_context(request),
            **history_context(
                [meeting, *items, *([minutes] if minutes else []), *decisions], limit=20
            ),
        },
    )


@write_required
@require_http_methods(["GET", "POST"])
def meeting_create(request):
    """A one-off meeting (a major event, an escalation...): `?customer=` chooses the customer."""
    customer = _customer_from_query(request)
    zone = request.tenant.zone
    form = forms.MeetingCreateForm(
        _posted(request), zone=zone, customer=customer, initial=_organiser_initial(request)
    )
    title = _("Plan a meeting")
    return form_page(
        request,
        form,
        lambda data: services.meeting_create(
            actor=request.user,
            contacts=data.get("contacts") or (),
            members=data.get("members") or (),
            kind=data["kind"],
            **form.values(),
        ),
        success=_("The meeting is planned; the invitations are on their way."),
        next_url=lambda meeting: _meeting_url(request, meeting),
        context={
            "title": title,
            "breadcrumbs": [*_crumbs(request), (title, "")],
            "cancel_url": _url("meeting_list", request),
            "intro": _("Times are in the office's time zone, %(zone)s.") % {"zone": zone.key},
            "submit_label": _("Plan the meeting"),
        },
    )


def _organiser_initial(request) -> dict:
    """The signed-in member organises, unless they choose someone else."""
    return {"organiser": request.membership.pk}


def _customer_from_query(request) -> Customer | None:
    raw = request.GET.get("customer", "")
    if not raw.isdigit() or len(raw) > 18:
        return None
    return Customer.objects.filter(pk=int(raw)).first()


@write_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk):
    """Move the meeting or change its place: an update goes to everyone invited."""
    meeting = selectors.meeting_get(pk=pk)
    zone = request.tenant.zone
    form = forms.MeetingTimesForm(
        _posted(request), zone=zone, initial=forms.MeetingTimesForm.initial_of(meeting, zone)
    )
    if meeting.status == Meeting.Status.HELD:
        for name in ("day", "start_time", "end_time"):
            form.fields[name].disabled = True
    title = _("Move or change “%(title)s”") % {"title": meeting.title}
    return form_page(
        request,
        form,
        lambda data: services.meeting_update(
            meeting=meeting, actor=request.user, **_changed_values(form, meeting)
        ),
        success=_("The meeting was saved; calendars get the change."),
        next_url=_meeting_url(request, meeting),
        context={
            "title": title,
            "breadcrumbs": [*_crumbs(request, meeting), (title, "")],
            "cancel_url": _meeting_url(request, meeting),
            "intro": _("Times are in the office's time zone, %(zone)s.") % {"zone": zone.key},
        },
    )


def _changed_values(form, meeting) -> dict:
    values = form.values()
    if meeting.status == Meeting.Status.HELD:
        values.pop("starts_at", None)
        values.pop("ends_at", None)
    return values


@write_required
@require_http_methods(["GET", "POST"])
def meeting_cancel(request, pk):
    """Cancel with a reason, after a confirmation: everyone invited gets the cancellation."""
    meeting = selectors.meeting_get(pk=pk)
    form = forms.CancelForm(_posted(request))
    title = _("Cancel “%(title)s”") % {"title": meeting.title}
    refusal = (
        ""
        if meeting.status == Meeting.Status.PLANNED
        else _("Only a planned meeting can be cancelled.")
    )
    if refusal and request.method == "POST":
        messages.error(request, refusal)
        return redirect(_meeting_url(request, meeting))
    return form_page(
        request,
        form,
        lambda data: services.meeting_cancel(
            meeting=meeting, actor=request.user, reason=data["reason"]
        ),
        success=_("The meeting was cancelled; everyone invited is told."),
        next_url=_meeting_url(request, meeting),
        context={
            "title": title,
            "breadcrumbs": [*_crumbs(request, meeting), (title, "")],
            "cancel_url": _meeting_url(request, meeting),
            "intro": refusal
            or _("Everyone invited gets a cancellation in their calendar. This cannot be undone."),
            "submit_label": _("Cancel the meeting"),
            "refusal": refusal,
        },
        template="meetings/meeting_cancel.html",
    )


@write_required
@require_http_methods(["GET", "POST"])
def meeting_held(request, pk):
    """Mark the meeting held (once it has started) with who attended; once held, correct the
    attendance here."""
    meeting = selectors.meeting_get(pk=pk)
    attendees = [a for a in selectors.meeting_attendees(meeting) if a.removed_at is None]
    form = forms.AttendanceForm(_posted(request), attendees=attendees)
    held = meeting.status == Meeting.Status.HELD
    title = (_("Attendance at “%(title)s”") if held else _("Mark “%(title)s” as held")) % {
        "title": meeting.title
    }

    def save(_data):
        if held:
            return services.attendance_record(
                meeting=meeting, actor=request.user, attendance=form.attendance()
            )
        return services.meeting_mark_held(
            meeting=meeting, actor=request.user, attendance=form.attendance()
        )

    return form_page(
        request,
        form,
        save,
        success=_("The attendance was saved.")
        if held
        else _("The meeting was held: write its minutes."),
        next_url=_meeting_url(request, meeting, "attendees" if held else "minutes"),
        context={
            "title": title,
            "breadcrumbs": [*_crumbs(request, meeting), (title, "")],
            "cancel_url": _meeting_url(request, meeting),
            "intro": _("Who attended, was absent or excused (separate from who was invited)."),
            "submit_label": _("Save the attendance") if held else _("Mark as held"),
        },
    )


# Attendees ---------------------------------------------------------------------------------------


@write_required
@require_http_methods(["GET", "POST"])
def attendees_add(request, pk):
    meeting = selectors.meeting_get(pk=pk)
    form = forms.AttendeesAddForm(_posted(request), meeting=meeting)
    title = _("Invite people to “%(title)s”") % {"title": meeting.title}
    return form_page(
        request,
        form,
        lambda data: services.attendees_add(
            meeting=meeting,
            actor=request.user,
            contacts=data.get("contacts") or (),
            members=data.get("members") or (),
        ),
        success=lambda added: _("%(n)d invited; they get the invitation.") % {"n": len(added)},
        next_url=_meeting_url(request, meeting, "attendees"),
        context={
            "title": title,
            "breadcrumbs": [*_crumbs(request, meeting), (title, "")],
            "cancel_url": _meeting_url(request, meeting, "attendees"),
            "submit_label": _("Invite"),
        },
    )


@write_required
@require_http_methods(["GET", "POST"])
def attendee_remove(request, pk):
    attendee = get_object_or_404(Attendee.objects.select_related("meeting"), pk=pk)
    meeting = attendee.meeting
    back = _meeting_url(request, meeting, "attendees")
    title = _("Remove %(name)s") % {"name": attendee.name}
    refusal = ""
    if attendee.removed_at is not None:
        refusal = _("%(name)s was already removed.") % {"name": attendee.name}
    elif meeting.status == Meeting.Status.CANCELLED:
        refusal = _("This meeting was cancelled.")
    return confirm_then(
        request,
        lambda: services.attendee_remove(attendee=attendee, actor=request.user),
        success=_("%(name)s was removed and gets a cancellation.") % {"name": attendee.name},
        done=back,
        context={
            "title": title,
            "breadcrumbs": [*_crumbs(request, meeting), (title, "")],
            "question": _(
                "%(name)s is taken off the meeting and gets a cancellation in their calendar."
            )
            % {"name": attendee.name},
            "refusal": refusal,
            "danger": True,
            "button": _("Remove"),
            "cancel_url": back,
            "cancel_label": _("Keep them"),
        },
    )


# Agenda ------------------------------------------------------------------------------------------


@write_required
@require_http_methods(["GET", "POST"])
def agenda_item_add(request, pk):
    meeting = selectors.meeting_get(pk=pk)
    form = forms.AgendaItemForm(_posted(request))
    title = _("Add to the agenda")
    return form_page(
        request,
        form,
        lambda data: services.agenda_item_add(meeting=meeting, actor=request.user, **data),
        success=_("The item was added to the agenda."),
        next_url=_meeting_url(request, meeting, "agenda"),
        context={
            "title": title,
            "breadcrumbs": [*_crumbs(request, meeting), (title, "")],
            "cancel_url": _meeting_url(request, meeting, "agenda"),
        },
    )


def _agenda_item_or_404(pk) -> AgendaItem:
    return get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=pk)


@write_required
@require_http_methods(["GET", "POST"])
def agenda_item_edit(request, pk):
    item = _agenda_item_or_404(pk)
    meeting = item.meeting
    # Not bound to the instance: the service compares the item with what was typed.
    form = forms.AgendaItemEditForm(_posted(request), initial=model_to_dict(item))
    title = _("Edit “%(title)s”") % {"title": item.title}
    return form_page(
        request,
        form,
        lambda data: services.agenda_item_update(item=item, actor=request.user, **data),
        success=_("The agenda item was saved."),
        next_url=_meeting_url(request, meeting, "agenda"),
        context={
            "title": title,
            "breadcrumbs": [*_crumbs(request, meeting), (title, "")],
            "cancel_url": _meeting_url(request, meeting, "agenda"),
            "intro": _("This item was proposed from the customer's records.")
            if item.source
            else "",
        },
    )


@write_required
@require_http_methods(["GET", "POST"])
def agenda_item_delete(request, pk):
    item = _agenda_item_or_404(pk)
    meeting = item.meeting
    back = _meeting_url(request, meeting, "agenda")
    return confirm_delete(
        request,
        item,
        lambda: services.agenda_item_delete(item=item, actor=request.user),
        what=_("The agenda item"),
        back=back,
        done=back,
        note=_("A refresh before the meeting may propose it again while its reason stands.")
        if item.source
        else "",
        breadcrumbs=_crumbs(request, meeting),
    )


# Minutes -----------------------------------------------------------------------------------------


@write_required
@require_http_methods(["GET", "POST"])
def minutes_edit(request, pk):
    """The minutes editor: overall notes and one field per agenda item; saved as a draft."""
    meeting = selectors.meeting_get(pk=pk)
    items = list(meeting.agenda_items.all())
    minutes = selectors.minutes_of(meeting)
    form = forms.MinutesForm(
        _posted(request),
        items=items,
        initial={"summary": minutes.summary if minutes else ""},
    )
    title = _("Minutes of “%(title)s”") % {"title": meeting.title}
    published = minutes is not None and minutes.status == Minutes.Status.PUBLISHED
    return form_page(
        request,
        form,
        lambda data: services.minutes_save(
            meeting=meeting,
            actor=request.user,
            summary=data["summary"],
            item_minutes=form.item_minutes(),
        ),
        success=_("The minutes were saved.") if published else _("The draft minutes were saved."),
        next_url=_meeting_url(request, meeting, "minutes"),
        context={
            "title": title,
            "breadcrumbs": [*_crumbs(request, meeting), (title, "")],
            "cancel_url": _meeting_url(request, meeting, "minutes"),
            "intro": _("Published minutes stay editable; each change is recorded.")
            if published
            else _("Saved as a draft until you publish them from the meeting page."),
            "submit_label": _("Save the minutes") if published else _("Save the draft"),
        },
    )


@write_required
@require_http_methods(["GET", "POST"])
def minutes_publish(request, pk):
    meeting = selectors.meeting_get(pk=pk)
    minutes = selectors.minutes_of(meeting)
    back = _meeting_url(request, meeting, "minutes")
    title = _("Publish the minutes of “%(title)s”") % {"title": meeting.title}
    refusal = ""
    if meeting.status != Meeting.Status.HELD:
        refusal = _("Minutes are published for a held meeting.")
    elif minutes is not None and minutes.status == Minutes.Status.PUBLISHED:
        refusal = _("These minutes are already published.")
    return confirm_then(
        request,
        lambda: services.minutes_publish(meeting=meeting, actor=request.user),
        success=_("The minutes are published; the attendees are emailed."),
        done=back,
        context={
            "title": title,
            "breadcrumbs": [*_crumbs(request, meeting), (title, "")],
            "question": _(
                "Every attendee with an address is emailed the minutes (the business attendees "
                "with a link to the portal)."
            ),
            "refusal": refusal,
            "button": _("Publish"),
            "cancel_url": back,
        },
    )


# Decisions and action items of a meeting ---------------------------------------------------------


@write_required
@require_http_methods(["GET", "POST"])
def decision_create(request, pk):
    meeting = selectors.meeting_get(pk=pk)
    form = forms.DecisionForm(_posted(request), customer=meeting.customer)
    title = _("Record a decision")
    return form_page(
        request,
        form,
        lambda data: services.decision_create(
            actor=request.user, customer=meeting.customer, meeting=meeting, **data
        ),
        success=lambda d: (
            _("The decision was recorded; %(name)s is asked to approve it.")
            % {"name": d.accountable_name}
        ),
        next_url=_meeting_url(request, meeting, "decisions"),
        context={
            "title": title,
            "breadcrumbs": [*_crumbs(request, meeting), (title, "")],
            "cancel_url": _meeting_url(request, meeting, "decisions"),
            "intro": _(
                "A business decision is approved by a contact of %(customer)s with the budget "
                "mandate, on the portal; an IT decision by an IT manager or a steering member."
            )
            % {"customer": meeting.customer.name},
        },
    )


@write_required
@require_http_methods(["GET", "POST"])
def action_item_create(request, pk):
    meeting = selectors.meeting_get(pk=pk)
    form = forms.ActionItemFromMeetingForm(_posted(request), meeting=meeting)
    title = _("Add an action item")
    return form_page(
        request,
        form,
        lambda data: services.action_item_from_meeting(meeting=meeting, actor=request.user, **data),
        success=_("The action item was added to the customer's action items."),
        next_url=_meeting_url(request, meeting, "actions"),
        context={
            "title": title,
            "breadcrumbs": [*_crumbs(request, meeting), (title, "")],
            "cancel_url": _meeting_url(request, meeting, "actions"),
        },
    )


# Cadences ----------------------------------------------------------------------------------------


@staff_required
@require_GET
def cadence_list(request):
    form = forms.CadenceFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    ordering = _sort(request, selectors.CADENCE_ORDERINGS, "customer")
    cadences = selectors.cadence_list(
        customer=filters.get("customer"),
        status=filters.get("status") or "",
        meeting_type=filters.get("meeting_type") or "",
        search=filters.get("q", ""),
        ordering=ordering,
    )
    context = list_context(request, cadences, ordering)
    for cadence in context["page"].object_list:
        cadence.rule_text = presentation.rule_in_words(cadence)
    return render(
        request,
        "meetings/cadence_list.html",
        {"form": form, "filtered": any(filters.values()), **context, **_zone_context(request)},
    )


@staff_required
def cadence_detail(request, pk):
    cadence = selectors.cadence_get(pk=pk)
    if not_allowed := get_only(request):
        return not_allowed
    now = timezone.now()
    attendees = list(cadence.attendees.select_related("contact", "member__user"))
    meetings = cadence.meetings.select_related("minutes")
    upcoming = list(meetings.filter(starts_at__gt=now).order_by("starts_at", "pk")[:12])
    past = list(meetings.filter(starts_at__lte=now).order_by("-starts_at", "-pk")[:12])
    missed = list(cadence.missed.all()[:12])
    return render(
        request,
        "meetings/cadence_detail.html",
        {
            "cadence": cadence,
            "rule_text": presentation.rule_in_words(cadence),
            "attendees": attendees,
            "upcoming": upcoming,
            "past": past,
            "missed": missed,
            "breadcrumbs": [*_cadence_crumbs(request), (cadence.name, "")],
            **_zone_context(request),
            **history_context([cadence], limit=20),
        },
    )


@write_required
@require_http_methods(["GET", "POST"])
def cadence_create(request):
    customer = _customer_from_query(request)
    zone = request.tenant.zone
    form = forms.CadenceForm(
        _posted(request), zone=zone, customer=customer, initial=_organiser_initial(request)
    )
    title = _("New cadence")
    return form_page(
        request,
        form,
        lambda data: services.cadence_create(actor=request.user, **form.values()),
        success=lambda c: (
            _("The cadence “%(name)s” is set: %(rule)s.")
            % {"name": c.name, "rule": presentation.rule_in_words(c)}
        ),
        next_url=lambda c: _url("cadence_detail", request, pk=c.pk),
        context={
            "title": title,
            "breadcrumbs": [*_cadence_crumbs(request), (title, "")],
            "cancel_url": _url("cadence_list", request),
            "intro": _(
                "Every N weeks on a weekday; monthly, quarterly or yearly on a day of the month "
                "or on a weekday position such as the 2nd Tuesday. Times are office time "
                "(%(zone)s)."
            )
            % {"zone": zone.key},
            "submit_label": _("Make the cadence"),
        },
    )


@write_required
@require_http_methods(["GET", "POST"])
def cadence_edit(request, pk):
    cadence = selectors.cadence_get(pk=pk)
    zone = request.tenant.zone
    form = forms.CadenceForm(_posted(request), instance=cadence, zone=zone)
    title = _("Edit “%(name)s”") % {"name": cadence.name}
    return form_page(
        request,
        form,
        lambda data: services.cadence_update(cadence=cadence, actor=request.user, **form.values()),
        success=_("The cadence was saved; its future planned meetings follow."),
        next_url=_url("cadence_detail", request, pk=cadence.pk),
        context={
            "title": title,
            "breadcrumbs": [*_cadence_crumbs(request, cadence), (title, "")],
            "cancel_url": _url("cadence_detail", request, pk=cadence.pk),
            "intro": _(
                "Held and past meetings stay as they were; meetings moved on their own keep their "
                "time."
            ),
        },
    )


@write_required
@require_http_methods(["GET", "POST"])
def cadence_pause(request, pk):
    """Pause (its future planned meetings are cancelled) or resume (planned again)."""
    cadence = selectors.cadence_get(pk=pk)
    back = _url("cadence_detail", request, pk=cadence.pk)
    active = cadence.status == Cadence.Status.ACTIVE
    if active:
        title = _("Pause “%(name)s”") % {"name": cadence.name}
        question = _(
            "Its future planned meetings are cancelled, and everyone invited is told. Resume "
            "it to plan them again."
        )
        act = lambda: services.cadence_pause(cadence=cadence, actor=request.user)  # noqa: E731
        success = _("The cadence is paused.")
    else:
        title = _("Resume “%(name)s”") % {"name": cadence.name}
        question = _("Its meetings are planned again up to the horizon, with invitations.")
        act = lambda: services.cadence_resume(cadence=cadence, actor=request.user)  # noqa: E731
        success = _("The cadence is active again.")
    return confirm_then(
        request,
        act,
        success=success,
        done=back,
        context={
            "title": title,
            "breadcrumbs": [*_cadence_crumbs(request, cadence), (title, "")],
            "question": question,
            "danger": active,
            "button": _("Pause") if active else _("Resume"),
            "cancel_url": back,
        },
    )


@write_required
@require_http_methods(["GET", "POST"])
def cadences_from_agreement(request, pk):
    """Make the cadences of the agreement's engagement strategy (idempotent), after a
    confirmation: the message says what was made and what existed."""
    agreement = get_object_or_404(Agreement.objects.select_related("customer"), pk=pk)
    back = tenant_url("agreements:agreement_detail", request, pk=agreement.pk)
    title = _("Make cadences from the agreement with %(customer)s") % {
        "customer": agreement.customer.name
    }
    in_force = services.agreement_in_force_version(agreement)
    refusal = (
        ""
        if in_force is not None
        else _("The agreement has no version in force: its engagement strategy is not agreed yet.")
    )

    def said(result) -> str:
        made, found = result
        parts = []
        if made:
            parts.append(_("Made: %(names)s.") % {"names": ", ".join(c.name for c in made)})
        if found:
            parts.append(
                _("Already there: %(names)s.") % {"names": ", ".join(c.name for c in found)}
            )
        return " ".join(parts) or _("The agreement's engagement strategy names no meetings.")

    return confirm_then(
        request,
        lambda: services.cadences_from_agreement(agreement=agreement, actor=request.user),
        success=said,
        done=_url("cadence_list", request) + f"?customer={agreement.customer_id}",
        context={
            "title": title,
            "breadcrumbs": [
                (_("Agreements"), tenant_url("agreements:agreement_list", request)),
                (agreement.customer.name, back),
                (title, ""),
            ],
            "question": _(
                "Each meeting of the engagement strategy in force (version %(n)s) becomes a "
                "cadence with its meetings planned ahead. A cadence made before is left as it is."
            )
            % {"n": in_force.number if in_force else "—"},
            "refusal": refusal,
            "button": _("Make the cadences"),
            "cancel_url": back,
        },
    )


# Decisions ---------------------------------------------------------------------------------------


@staff_required
@require_GET
def decision_log(request):
    """Every decision (a customer's with `?customer=`), newest first."""
    form = forms.DecisionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    ordering = _sort(request, selectors.DECISION_ORDERINGS, "-created")
    decisions = selectors.decision_list(
        customer=filters.get("customer"),
        status=filters.get("status") or "",
        kind=filters.get("kind") or "",
        search=filters.get("q", ""),
        ordering=ordering,
    )
    return render(
        request,
        "meetings/decision_log.html",
        {
            "form": form,
            "filtered": any(filters.values()),
            "customer": filters.get("customer"),
            **list_context(request, decisions, ordering),
        },
    )


@staff_required
def decision_detail(request, pk):
    decision = selectors.decision_get(pk=pk)
    if not_allowed := get_only(request):
        return not_allowed
    refusal = services.decision_refusal(decision=decision, membership=request.membership)
    return render(
        request,
        "meetings/decision_detail.html",
        {
            "decision": decision,
            "refusal": refusal,
            "may_decide": not refusal,
            "breadcrumbs": [*_decision_crumbs(request), (decision.title, "")],
            **_zone_context(request),
            **history_context([decision], limit=20),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def decision_decide(request, pk):
    """The accountable IT manager or steering member approves or rejects, after confirming.
    Anyone else sees why not, and a POST from them is refused (403)."""
    decision = selectors.decision_get(pk=pk)
    back = _url("decision_detail", request, pk=decision.pk)
    refusal = services.decision_refusal(decision=decision, membership=request.membership)
    if refusal and request.method == "POST":
        raise PermissionDenied(refusal)
    form = forms.DecideForm(_posted(request), initial={"outcome": request.GET.get("outcome")})
    title = _("Approve or reject “%(title)s”") % {"title": decision.title}
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["outcome"] == "approve"
        try:
            services.decision_decide(
                decision=decision,
                membership=request.membership,
                approve=approve,
                note=form.cleaned_data["note"],
            )
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("You approved the decision.") if approve else _("You rejected the decision."),
            )
            return redirect(back)
    return render(
        request,
        "meetings/decision_decide.html",
        {
            "decision": decision,
            "form": form,
            "refusal": refusal,
            "title": title,
            "breadcrumbs": [*_decision_crumbs(request, decision), (title, "")],
            "cancel_url": back,
        },
    )


# The customer page's panel -----------------------------------------------------------------------


def customer_panel_context(request, customer) -> dict:
    """Next meeting, last review, cadence adherence over the last 12 months, missed cadences,
    and the agreement whose cadences can be made (five queries)."""
    zone = request.tenant.zone
    today = timezone.localtime(timezone.now(), zone).date()
    since = today - timedelta(days=ADHERENCE_DAYS)
    in_force = (
        Agreement.objects.filter(customer=customer, versions__status="in_force")
        .values_list("pk", flat=True)
        .first()
    )
    return {
        "next_meeting": selectors.next_meeting(customer),
        "last_review": selectors.last_review(customer),
        "adherence": selectors.cadence_adherence(customer=customer, since=since),
        "missed": selectors.recent_missed(customer, since),
        "agreement_in_force_id": in_force,
        "zone_name": zone.key,
    }
