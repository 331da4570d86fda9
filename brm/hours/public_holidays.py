"""The countries' public holidays, from the `holidays` package: the one place that reads it, so
the rest of the app sees plain codes, names and dates."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from functools import cache

import holidays
from holidays.registry import COUNTRIES


@cache
def supported_countries() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code -> English name, for every country the package knows, by name."""
    names = {}
    for class_name, code, *_aliases in COUNTRIES.values():
        names[code] = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", class_name)
    return dict(sorted(names.items(), key=lambda item: item[1]))


def subdivisions(country: str) -> list[str]:
    """The subdivision codes (provinces, states) the package knows for `country`."""
    return list(holidays.list_supported_countries().get(country, ()))


def public_holidays(country: str, subdivision: str, years: Iterable[int]) -> dict[date, str]:
    """The public holidays of `country` (and `subdivision`, when given) in `years`, by date.

    Two holidays on one date come joined by the package ("A; B").
    """
    found = holidays.country_holidays(country, subdiv=subdivision or None, years=list(years))
    return dict(sorted(found.items()))
