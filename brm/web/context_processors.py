def shell(request):
    """The page shell the generic pages extend: the portal's for portal users, else the staff's.

    So one form page and one confirmation page (templates/web/) serve both.
    """
    membership = getattr(request, "membership", None)
    portal = membership is not None and membership.is_portal
    return {"shell_template": "portal/base.html" if portal else "staff/base.html"}
