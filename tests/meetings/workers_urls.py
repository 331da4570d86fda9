"""The project's URLs, plus stand-ins for the meetings pages the emails link to where those
pages are not routed in this tree: the emails' links are then tested with the agreed names."""

from django.http import HttpResponse
from django.urls import NoReverseMatch, include, path, reverse

from brm.urls import urlpatterns as project_patterns


def _page(request, **kwargs):
    return HttpResponse()


def _routed(name: str) -> bool:
    try:
        reverse(name, kwargs={"tenant_slug": "x", "pk": 1}, urlconf="brm.urls")
    except NoReverseMatch:
        return False
    return True


urlpatterns = list(project_patterns)
if not _routed("meetings:meeting_detail"):
    stand_ins = [
        path("meetings/<int:pk>/", _page, name="meeting_detail"),
        path("meetings/decisions/<int:pk>/", _page, name="decision_detail"),
        path("portal/meetings/<int:pk>/", _page, name="portal_meeting"),
        path("portal/decisions/<int:pk>/", _page, name="portal_decision"),
    ]
    urlpatterns.append(path("t/<slug:tenant_slug>/", include((stand_ins, "meetings"))))
