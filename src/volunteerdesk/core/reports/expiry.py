"""The expiry report: what lapses in the next 30, 60 and 90 days, by volunteer, with the
phone number and email address to chase each one; then what has lapsed already.

The states and dates come from the compliance engine (``breaches.expiries``), loaded with
the report's window as its warning window, so "expiring" means "within N days" here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from reportlab.platypus import CondPageBreak
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..compliance.breaches import ExpiryItem, expiries
from ..compliance.engine import ComplianceData
from ..compliance.rules import State
from ..models import Volunteer
from ..settings import OrgSettings, load_settings
from ..validation import format_uk_date
from .data import ReportError, site_info
from .table import table
from .template import Letterhead, column_widths, frame_width, para
from .template import render as render_pdf

BAND_DAYS = 30


@dataclass(frozen=True)
class Lapse:
    what: str
    kind: str  # "Clearance" or "Training"
    expires_on: date | None
    days: int | None  # from the report's date; negative when lapsed
    note: str


@dataclass(frozen=True)
class PersonLapses:
    volunteer_id: int
    name: str
    phone: str
    email: str
    lapses: tuple[Lapse, ...]


@dataclass(frozen=True)
class Band:
    title: str
    people: tuple[PersonLapses, ...]

    @property
    def count(self) -> int:
        return sum(len(p.lapses) for p in self.people)


@dataclass(frozen=True)
class ExpiryData:
    on: date
    within: int
    site_name: str
    bands: tuple[Band, ...]


def _bands(within: int) -> list[tuple[int, int, str]]:
    """(first day, last day, title) for each band of 30 days up to ``within``."""
    out, first = [], 0
    while first <= within:
        last = min(within, first + BAND_DAYS if first == 0 else first + BAND_DAYS - 1)
        title = f"Within {last} days" if first == 0 else f"In {first} to {last} days"
        out.append((first, last, title))
        first = last + 1
    return out


def expiry_data(
    session: Session, on: date, within: int = 90, site_id: int | None = None
) -> ExpiryData:
    if not 1 <= within <= 730:
        raise ReportError("Choose a window of 1 to 730 days.")
    site_name = site_info(session, site_id).name if site_id is not None else "every site"
    data = ComplianceData.load(session, warning_days=within)
    items = [i for i in expiries(data, on, site_id) if i.state in (State.EXPIRING, State.EXPIRED)]
    ids = {i.volunteer_id for i in items}
    contacts = (
        {
            vid: (phone or "", email or "", last)
            for vid, phone, email, last in session.execute(
                select(Volunteer.id, Volunteer.phone, Volunteer.email, Volunteer.last_name).where(
                    Volunteer.id.in_(ids)
                )
            )
        }
        if ids
        else {}
    )
    groups: dict[str, dict[int, list[ExpiryItem]]] = defaultdict(lambda: defaultdict(list))
    bands = _bands(within)
    for item in items:
        if item.state is State.EXPIRED:
            groups["Lapsed already"][item.volunteer_id].append(item)
            continue
        days = (item.expires_on - on).days if item.expires_on else within
        title = next(t for first, last, t in bands if first <= days <= last)
        groups[title][item.volunteer_id].append(item)
    result = []
    for title in [t for _f, _l, t in bands] + ["Lapsed already"]:
        people = []
        for vid, found in groups.get(title, {}).items():
            phone, email, _last = contacts.get(vid, ("", "", ""))
            found.sort(key=lambda i: (i.expires_on or date.max, i.requirement))
            people.append(
                PersonLapses(
                    vid,
                    found[0].volunteer,
                    phone,
                    email,
                    tuple(
                        Lapse(
                            i.requirement,
                            i.kind.capitalize(),
                            i.expires_on,
                            (i.expires_on - on).days if i.expires_on else None,
                            "Renewal under way" if i.renewal_in_progress else "",
                        )
                        for i in found
                    ),
                )
            )
        people.sort(key=lambda p: (p.lapses[0].expires_on or date.max, p.name.casefold()))
        if title == "Lapsed already":
            people.sort(
                key=lambda p: (
                    contacts.get(p.volunteer_id, ("", "", ""))[2].casefold(),
                    p.name.casefold(),
                )
            )
        result.append(Band(title, tuple(people)))
    return ExpiryData(on, within, site_name, tuple(result))


def _band_table(band: Band, width: float, lapsed: bool):
    header = [
        "Volunteer",
        "Phone and email",
        "What",
        "Kind",
        "Expires",
        "Days ago" if lapsed else "Days left",
        "Note",
    ]
    rows, starts = [], []
    for person in band.people:
        starts.append(len(rows))
        for i, lapse in enumerate(person.lapses):
            contact = "\n".join(x for x in (person.phone, person.email) if x) or "None recorded"
            who = [person.name, contact] if i == 0 else ["", ""]
            days = "" if lapse.days is None else str(abs(lapse.days))
            rows.append(
                [*who, lapse.what, lapse.kind, format_uk_date(lapse.expires_on), days, lapse.note]
            )
    widths = column_widths(width, [30, 44, 38, 17, 18, 11, 24])
    return table(
        header,
        rows,
        widths,
        size=7.5,
        bold_columns=[0],
        right_columns=[5],
        zebra=False,
        group_starts=starts,
    )


def build_expiry_report(
    session: Session,
    on: date,
    *,
    within: int = 90,
    site_id: int | None = None,
    settings: OrgSettings | None = None,
    username: str,
    out_path: str | Path | None = None,
    printed_at: datetime | None = None,
) -> Path | bytes:
    data = expiry_data(session, on, within, site_id)
    settings = settings or load_settings(session)
    width = frame_width()
    title = f"Expiry report: {data.site_name}"
    counts = ", ".join(f"{b.count} {b.title.lower()}" for b in data.bands)
    story = [
        para(title, "title"),
        para(f"As of {format_uk_date(on)}, looking {within} days ahead · {counts}", "subtitle"),
        para(
            "Training and clearances of current volunteers. Items with a renewal under way "
            "need no chasing unless the renewal stalls.",
            "small",
        ),
    ]
    for band in data.bands:
        lapsed = band.title == "Lapsed already"
        story += [CondPageBreak(50), para(f"{band.title} ({band.count})", "h2")]
        if band.people:
            story.append(_band_table(band, width, lapsed))
        else:
            story.append(para("Nothing.", "body"))
    return render_pdf(
        story,
        title=f"{title}, {format_uk_date(on)}",
        letterhead=Letterhead.of(settings, username, printed_at),
        out_path=out_path,
    )
