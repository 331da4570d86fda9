"""The office's business calendar and its holidays: when the office works, which is when the
clocks of its policy targets (a complaint's time to acknowledge and to resolve) run.

The time zone is the office's own (`Tenant.time_zone`), not the calendar's: the hours are read on
the office's wall clock.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from brm.tenancy.models import TenantOwnedModel

from .arithmetic import DEFAULT_CLOSES, DEFAULT_OPENS, MONDAY_TO_FRIDAY
from .public_holidays import subdivisions, supported_countries

DEFAULT_WEEKDAYS = "".join(str(d) for d in sorted(MONDAY_TO_FRIDAY))  # "01234"
WEEKDAY_NAMES = (
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
)


def validate_weekdays(value: str) -> None:
    if not value or not set(value) <= set("0123456") or len(set(value)) != len(value):
        raise ValidationError(_("Choose at least one working day."))


class BusinessCalendar(TenantOwnedModel):
    """The office's working week: its working weekdays, one span of working hours a day, and the
    country (and subdivision) whose public holidays are seeded into its holiday list.

    One row per office; an office without a row works Monday to Friday, 09:00 to 17:00, with no
    country. `seeded` records which country and year lists were seeded ("NL:2026"), so a
    seeded holiday the office deleted is not brought back.
    """

    weekdays = models.CharField(
        _("working days"),
        max_length=7,
        default=DEFAULT_WEEKDAYS,
        validators=[validate_weekdays],
        help_text=_("Weekday numbers, Monday 0 to Sunday 6."),
    )
    opens = models.TimeField(_("opens"), default=DEFAULT_OPENS)
    closes = models.TimeField(_("closes"), default=DEFAULT_CLOSES)
    country = models.CharField(
        _("country"),
        max_length=2,
        blank=True,
        help_text=_("Its public holidays are offered for the holiday list."),
    )
    subdivision = models.CharField(
        _("subdivision"),
        max_length=10,
        blank=True,
        help_text=_("A province or state with holidays of its own, as the country codes it."),
    )
    seeded = models.JSONField(default=list, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant"], name="business_calendar_one_per_office"),
            models.CheckConstraint(
                condition=Q(opens__lt=F("closes")), name="business_calendar_opens_before_closes"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Business calendar"))

    def clean(self) -> None:
        errors = {}
        if self.opens is not None and self.closes is not None and self.opens >= self.closes:
            errors["closes"] = _("The office must close after it opens.")
        self.country = (self.country or "").upper()
        self.subdivision = (self.subdivision or "").upper()
        if self.country and self.country not in supported_countries():
            errors["country"] = _("%(code)s is not a country with a public holiday list.") % {
                "code": self.country
            }
        elif self.subdivision:
            known = subdivisions(self.country) if self.country else []
            if self.subdivision not in known:
                errors["subdivision"] = (
                    _("%(country)s has these subdivisions: %(known)s.")
                    % {"country": self.country, "known": ", ".join(known)}
                    if known
                    else _("Choose a country with subdivisions first, or leave this empty.")
                )
        if errors:
            raise ValidationError(errors)

    @property
    def weekday_numbers(self) -> frozenset[int]:
        return frozenset(int(d) for d in self.weekdays)

    @property
    def weekday_labels(self) -> list[str]:
        return [str(WEEKDAY_NAMES[d]) for d in sorted(self.weekday_numbers)]

    @property
    def country_name(self) -> str:
        return supported_countries().get(self.country, "")

    def seed_key(self, year: int) -> str:
        """How a seeded year is recorded: the list it came from and the year."""
        where = f"{self.country}-{self.subdivision}" if self.subdivision else self.country
        return f"{where}:{year}"


class Holiday(TenantOwnedModel):
    """A day the office does not work although it is a working weekday (a public holiday, a
    closing day): the clocks of its targets stand still that day.

    Seeded from the country's public holidays (`seeded`) or added by the office; either may be
    edited or deleted.
    """

    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=200)
    seeded = models.BooleanField(_("from the public holidays"), default=False, editable=False)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "date"],
                name="holiday_one_per_office_date",
                violation_error_message=_("The office has a holiday on this date already."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.date.isoformat()})"
