"""The shapes every staff and portal page takes: a paginated, sortable list; a form that calls
one service; a confirmation page before one service call. A service's ValidationError lands on
the form (or as a message), so nothing typed is lost."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from brm.db.plans import OfficePaginator

PAGE_SIZE = 25

# Both extend the staff or the portal shell, by the member's role (brm.web.context_processors).
FORM_TEMPLATE = "web/form_page.html"
CONFIRM_TEMPLATE = "web/confirm.html"


def tenant_url(name: str, request, **kwargs) -> str:
    """reverse() of a page of the request's office: `tenant_url("customers:customer_list", r)`."""
    return reverse(name, kwargs={"tenant_slug": request.tenant.slug, **kwargs})


def get_only(request) -> HttpResponseNotAllowed | None:
    """405 for anything but GET/HEAD, for a read-only object page to call once it has found its
    object: another tenant's or customer's id stays a 404 for every method."""
    return None if request.method in ("GET", "HEAD") else HttpResponseNotAllowed(["GET"])


def add_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: per field where it names one, else on top."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def list_context(
    request, objects, ordering: str = "", per_page: int = PAGE_SIZE, *, count: int | None = None
) -> dict:
    """A page of `objects` plus the query strings the sortable headers and the pager keep.

    `count`, when given, is how many `objects` holds (the pager does not count them again)."""
    page = OfficePaginator(objects, per_page, count=count).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = query.copy()
    sort_query.pop("sort", None)
    return {
        "page": page,
        "ordering": ordering,
        "query": query.urlencode(),
        "sort_query": sort_query.urlencode(),
    }


def form_page(
    request,
    form,
    save: Callable[[dict], Any],
    *,
    success: Callable[[Any], str] | str,
    next_url: Callable[[Any], str] | str,
    context: dict,
    template: str = FORM_TEMPLATE,
):
    """GET shows the form; a valid POST calls the service once; its refusal lands on the form.

    `context` gives the page its `title`, `breadcrumbs` ([(label, url), ...], the last is this
    page), `cancel_url` and optionally `intro`.
    """
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, success(obj) if callable(success) else success)
            return redirect(next_url(obj) if callable(next_url) else next_url)
    return render(request, template, {"form": form, **context})


def confirm_then(
    request,
    act: Callable[[], Any],
    *,
    success,
    done: str,
    context: dict,
    template: str = CONFIRM_TEMPLATE,
):
    """A confirmation page for one service call: GET shows `template`; POST runs `act()`, says
    how it went (the service's refusal as an error, else `success`, a text or a function of
    what `act` returned) and goes to `done`."""
    if request.method != "POST":
        return render(request, template, context)
    try:
        result = act()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success(result) if callable(success) else success)
    return redirect(done)


def confirm_delete(
    request,
    obj: models.Model,
    delete: Callable[[], None],
    *,
    what: str,
    back: str,
    done: str,
    note: str = "",
    refusal: str = "",
    breadcrumbs: list | None = None,
):
    """GET asks; POST deletes through the service and goes to `done` (a refusal: back).

    `refusal`: why it cannot be deleted now (the page then says so and offers no button; the
    service still refuses a POST)."""
    if request.method == "POST":
        try:
            delete()
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(back)
        messages.success(
            request, _("%(what)s “%(name)s” was deleted.") % {"what": what, "name": obj}
        )
        return redirect(done)
    title = _("Delete %(name)s") % {"name": obj}
    return render(
        request,
        CONFIRM_TEMPLATE,
        {
            "title": title,
            "breadcrumbs": [*(breadcrumbs or []), (title, "")],
            "danger": True,
            "question": format_html(
                _("{what} <strong>{name}</strong> will be deleted. This cannot be undone."),
                what=what,
                name=str(obj),
            ),
            "note": note,
            "refusal": refusal,
            "button": _("Delete"),
            "cancel_url": back,
            "cancel_label": _("Keep it"),
        },
    )
