from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from brm.web.access import admin_required
from brm.web.pages import confirm_then, list_context, tenant_url

from . import services
from .forms import ApiKeyForm
from .models import ApiKey


@admin_required
def api_key_list(request):
    keys = ApiKey.objects.select_related("created_by").order_by("-created_at", "-pk")
    return render(request, "api/apikey_list.html", list_context(request, keys))


@admin_required
@require_http_methods(["GET", "POST"])
def api_key_create_view(request):
    form = ApiKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            api_key, raw = services.api_key_create(
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                created_by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            # Rendered, not redirected: the raw key is shown this once and never stored anywhere.
            response = render(request, "api/apikey_created.html", {"api_key": api_key, "raw": raw})
            add_never_cache_headers(response)
            return response
    return render(request, "api/apikey_form.html", {"form": form})


@admin_required
@require_http_methods(["GET", "POST"])
def api_key_revoke_view(request, pk):
    api_key = get_object_or_404(ApiKey.objects, pk=pk)
    return confirm_then(
        request,
        lambda: services.api_key_revoke(api_key=api_key, actor=request.user),
        success=_("The API key %(name)s was revoked.") % {"name": api_key.name},
        done=reverse("api_keys:list", kwargs={"tenant_slug": request.tenant.slug}),
        template="api/apikey_confirm_revoke.html",
        context={
            "api_key": api_key,
            "title": _("Revoke API key"),
            "breadcrumbs": [
                (_("API keys"), tenant_url("api_keys:list", request)),
                (_("Revoke API key"), ""),
            ],
            "danger": True,
            "button": _("Revoke"),
            "cancel_label": _("Keep it"),
            "cancel_url": tenant_url("api_keys:list", request),
            "refusal": ""
            if api_key.is_active
            else format_html(
                _("The API key <strong>{name}</strong> is already revoked."), name=api_key.name
            ),
            "back_label": _("Back to API keys"),
        },
    )
