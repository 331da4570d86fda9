"""The demo office's business calendar (registered in brm.web.registry.demo_data, see apps.py):
Monday to Friday, 09:00 to 17:00, with the Dutch public holidays of this year and next. The demo
office keeps Amsterdam time, so its country is the Netherlands."""

from __future__ import annotations

DEMO_COUNTRY = "NL"


def seed_business_calendar(members: dict) -> None:
    from . import services
    from .models import BusinessCalendar

    if BusinessCalendar.objects.exists():
        return
    admin = members.get("admin@demo.example")
    actor = admin.user if admin else None
    services.business_calendar_update(actor=actor, data={"country": DEMO_COUNTRY})
    services.holidays_seed(actor=actor)
