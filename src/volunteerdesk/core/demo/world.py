"""The plan of a demo world in plain Python: sites, posts, patterns and communities.

The builders (``small``, ``national``) describe a world with these classes; the people,
compliance and rota generators fill it; ``build`` writes it with bulk inserts. Every
row gets its id here, from :class:`Ids`, so the big tables need no round trips.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from ..models import Jurisdiction, PostKind, SiteDayKind, SiteKind

FAR_FUTURE = date(9999, 12, 31)


class Ids:
    """The next free id of each table, starting after what the database already holds."""

    def __init__(self, start: dict[str, int] | None = None) -> None:
        self._last = dict(start or {})

    def next(self, table: str) -> int:
        value = self._last.get(table, 0) + 1
        self._last[table] = value
        return value


@dataclass(frozen=True)
class Requirement:
    code: str  # a clearance type code or a training course code
    is_clearance: bool
    mandatory: bool = True


@dataclass
class PatternSpec:
    rrule: str
    start: date
    end: date | None = None
    description: str = ""
    id: int = 0


@dataclass
class PostSpec:
    key: str  # the template it came from: "mass", "desk_am", ...
    name: str
    kind: PostKind
    start: time
    end: time
    min_volunteers: int
    max_volunteers: int
    role: str  # the role (catalogue name) of the volunteers who staff it
    patterns: list[PatternSpec]
    requirements: list[Requirement]
    faith: str | None = None
    faith_mandatory: bool = True
    needs_escort: bool = False
    location: str = ""
    notes: str = ""
    id: int = 0
    site_id: int = 0

    @property
    def session(self) -> str:
        return session_of(self.start)


def session_of(start: time) -> str:
    if start < time(12, 0):
        return "morning"
    if start < time(17, 0):
        return "afternoon"
    return "evening"


@dataclass
class OneOff:
    """A session added by hand: a Saturday remand sitting, a Christmas Day service."""

    post_key: str
    day: date
    notes: str
    max_volunteers: int | None = None


@dataclass
class SiteSpec:
    name: str
    code: str
    kind: SiteKind
    jurisdiction: Jurisdiction
    nation: str  # england, wales, scotland, northern_ireland: for names and heritage
    town: str
    area: str  # postcode area letters
    size: str  # small, medium, large (prisons) or court
    volunteers: int  # how many volunteers are linked to it
    posts: list[PostSpec] = field(default_factory=list)
    days: list[tuple[date, SiteDayKind, str]] = field(default_factory=list)
    one_offs: list[OneOff] = field(default_factory=list)
    # (community index in World.communities, weight) the volunteers come from
    communities: list[tuple[int, int]] = field(default_factory=list)
    row: dict = field(default_factory=dict)  # contact fields and the like, as columns
    id: int = 0

    @property
    def is_court(self) -> bool:
        return self.kind.is_court

    @property
    def closed_on_bank_holidays(self) -> bool:
        return self.is_court


@dataclass
class CommunitySpec:
    name: str
    kind: str  # CommunityKind value
    faith: str | None
    tradition: str
    leader: str  # who endorses its volunteers
    row: dict = field(default_factory=dict)
    id: int = 0


@dataclass
class World:
    size: str
    today: date
    organisation_name: str
    sites: list[SiteSpec] = field(default_factory=list)
    communities: list[CommunitySpec] = field(default_factory=list)
    script_chance: float = 0.01
    # Names that must appear (first, last, sex, faith or None, heritage, badge name).
    featured: list[tuple[str, str, str, str | None, str, str]] = field(default_factory=list)

    @property
    def span_start(self) -> date:
        return add_months(self.today, -3)

    @property
    def span_end(self) -> date:
        return add_months(self.today, 9)


def monday_on_or_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, clamped to the month's end like ``relativedelta``.

    Hand-written because it runs a few hundred thousand times in a national build.
    """
    years, month = divmod(day.month - 1 + months, 12)
    year = day.year + years
    return day.replace(year=year, month=month + 1, day=min(day.day, monthrange(year, month + 1)[1]))
