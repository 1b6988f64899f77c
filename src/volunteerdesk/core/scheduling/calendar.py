"""Which days a site runs: its closures, its exception days and its jurisdiction's bank holidays."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache

import holidays

from ..models.enums import Jurisdiction, SiteDayKind

_SUBDIVISION = {
    Jurisdiction.ENGLAND_WALES: "ENG",
    Jurisdiction.SCOTLAND: "SCT",
    Jurisdiction.NORTHERN_IRELAND: "NIR",
}


@cache
def _holidays_for(jurisdiction: Jurisdiction, year: int) -> dict[date, str]:
    calendar = holidays.country_holidays("GB", subdiv=_SUBDIVISION[jurisdiction], years=year)
    return dict(calendar.items())


def bank_holidays(jurisdiction: Jurisdiction, start: date, end: date) -> dict[date, str]:
    """The bank holidays of a jurisdiction between two dates, inclusive, with their names."""
    found: dict[date, str] = {}
    for year in range(start.year, end.year + 1):
        for day, name in _holidays_for(Jurisdiction(jurisdiction), year).items():
            if start <= day <= end:
                found[day] = name
    return found


@dataclass
class SiteCalendar:
    """Answers "does this site run on this day?" and, when not, why."""

    jurisdiction: Jurisdiction
    closed_on_bank_holidays: bool
    closures: dict[date, str] = field(default_factory=dict)
    exceptions: dict[date, str] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        jurisdiction: Jurisdiction,
        closed_on_bank_holidays: bool,
        site_days: Iterable[tuple[date, SiteDayKind, str]] = (),
    ) -> SiteCalendar:
        closures: dict[date, str] = {}
        exceptions: dict[date, str] = {}
        for day, kind, reason in site_days:
            target = closures if SiteDayKind(kind) is SiteDayKind.CLOSURE else exceptions
            target[day] = reason
        return cls(Jurisdiction(jurisdiction), closed_on_bank_holidays, closures, exceptions)

    def closed_reason(self, day: date, *, skip_closures: bool = True) -> str | None:
        """None when the site runs on ``day``; otherwise the reason it does not."""
        if day in self.exceptions:
            return None
        if skip_closures and day in self.closures:
            return self.closures[day] or "Site closed"
        if self.closed_on_bank_holidays:
            name = _holidays_for(self.jurisdiction, day.year).get(day)
            if name:
                return f"Bank holiday: {name}"
        return None

    def is_open(self, day: date, *, skip_closures: bool = True) -> bool:
        return self.closed_reason(day, skip_closures=skip_closures) is None
