"""The posts a chaplaincy or a court desk runs, as templates scaled to a site's size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from random import Random

from ..models import Jurisdiction, PostKind
from .world import PatternSpec, PostSpec, Requirement, monday_on_or_after

# Roles, by their catalogue names.
CHAPLAINCY = "Chaplaincy volunteer"
GROUP_LEADER = "Faith group leader"
CHOIR = "Choir and music"
ADMIN = "Chapel administration"
OPV = "Official Prison Visitor"
SYCAMORE = "Sycamore Tree facilitator"
DESK = "Court desk volunteer"
DESK_LEAD = "Court desk lead"

WEEKDAYS = "MO,TU,WE,TH,FR"


@dataclass(frozen=True)
class Template:
    name: str
    kind: PostKind
    start: time
    end: time
    role: str
    byday: str
    sizes: dict[str, tuple[int, int]]  # size -> (min, max)
    requirements: str  # chaplaincy, admin, opv, sycamore, desk
    faith: str | None = None
    faith_mandatory: bool = True
    needs_escort: bool = False
    location: str = "Chapel"
    interval: int = 1
    monthly: str = ""  # e.g. "1SU": a monthly rule instead of a weekly one
    large_byday: str = ""  # a busier pattern at large prisons
    large_interval: int = 0


def _t(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def _sizes(small: tuple[int, int], medium: tuple[int, int], large: tuple[int, int]) -> dict:
    return {"small": small, "medium": medium, "large": large}


TEMPLATES: dict[str, Template] = {
    "cofe": Template(
        "Sunday service (Church of England)", PostKind.SERVICE, _t("08:30"), _t("10:15"),
        CHAPLAINCY, "SU", _sizes((2, 4), (2, 5), (3, 10)), "chaplaincy_keys_advised",
    ),
    "evening": Template(
        "Sunday evening worship", PostKind.SERVICE, _t("17:30"), _t("18:30"), CHAPLAINCY, "SU",
        _sizes((1, 2), (1, 3), (2, 5)), "chaplaincy",
    ),
    "mass": Template(
        "Catholic Mass", PostKind.SERVICE, _t("09:00"), _t("10:30"), CHAPLAINCY, "SA",
        _sizes((1, 3), (1, 4), (2, 5)), "chaplaincy", faith="Roman Catholic",
    ),
    "jummah": Template(
        "Friday Jummah prayers", PostKind.SERVICE, _t("13:15"), _t("14:30"), CHAPLAINCY, "FR",
        _sizes((1, 2), (1, 3), (2, 4)), "chaplaincy", faith="Islam (Sunni)",
        location="Multi-faith room",
    ),
    "sikh": Template(
        "Sikh faith group", PostKind.GROUP, _t("14:00"), _t("15:30"), GROUP_LEADER, "WE",
        _sizes((1, 2), (1, 2), (1, 3)), "chaplaincy", faith="Sikh", needs_escort=True,
        location="Multi-faith room",
    ),
    "hindu": Template(
        "Hindu faith group", PostKind.GROUP, _t("14:00"), _t("15:30"), GROUP_LEADER, "TH",
        _sizes((1, 2), (1, 2), (1, 3)), "chaplaincy", faith="Hindu", faith_mandatory=False,
        needs_escort=True, location="Multi-faith room", interval=2, large_interval=1,
    ),
    "admin": Template(
        "Chapel administration", PostKind.ADMIN, _t("09:00"), _t("12:00"), ADMIN, "TU,TH",
        _sizes((1, 1), (1, 1), (1, 2)), "admin", location="Chapel office",
        large_byday=WEEKDAYS,
    ),
    "choir": Template(
        "Chapel choir", PostKind.GROUP, _t("17:30"), _t("19:00"), CHOIR, "TH",
        _sizes((2, 6), (2, 6), (3, 10)), "chaplaincy",
    ),
    "opv": Template(
        "Official Prison Visitors", PostKind.VISITING, _t("14:00"), _t("16:00"), OPV, "TU",
        _sizes((2, 4), (2, 4), (3, 6)), "opv", location="Visits hall", interval=2,
        large_interval=1,
    ),
    "sycamore": Template(
        "Sycamore Tree course", PostKind.COURSE, _t("13:30"), _t("16:00"), SYCAMORE, "MO",
        _sizes((2, 3), (2, 3), (2, 4)), "sycamore", location="Education block, room 4",
    ),
    "first_sunday": Template(
        "First Sunday Free Church service", PostKind.SERVICE, _t("14:00"), _t("15:30"),
        CHAPLAINCY, "SU", _sizes((1, 3), (1, 3), (2, 4)), "chaplaincy", monthly="1SU",
    ),
    "bible": Template(
        "Bible study group", PostKind.GROUP, _t("18:00"), _t("19:30"), GROUP_LEADER, "WE",
        _sizes((1, 2), (1, 3), (2, 4)), "chaplaincy",
    ),
    "wing": Template(
        "Wing visiting", PostKind.VISITING, _t("14:00"), _t("16:00"), CHAPLAINCY, "MO,WE,FR",
        _sizes((1, 2), (1, 2), (2, 6)), "opv", needs_escort=True,
        location="Residential wings", large_byday=WEEKDAYS,
    ),
    "buddhist": Template(
        "Buddhist meditation group", PostKind.GROUP, _t("14:00"), _t("15:00"), GROUP_LEADER,
        "MO", _sizes((1, 2), (1, 2), (1, 3)), "chaplaincy", faith="Buddhist",
        faith_mandatory=False, location="Multi-faith room",
    ),
    "jewish": Template(
        "Jewish study and Shabbat", PostKind.GROUP, _t("15:00"), _t("16:00"), GROUP_LEADER, "FR",
        _sizes((1, 2), (1, 2), (1, 2)), "chaplaincy", faith="Jewish",
        location="Multi-faith room", interval=2,
    ),
    "quaker": Template(
        "Quaker meeting for worship", PostKind.SERVICE, _t("18:00"), _t("19:00"), CHAPLAINCY,
        "TU", _sizes((1, 2), (1, 2), (1, 3)), "chaplaincy", faith="Quaker",
        faith_mandatory=False,
    ),
    "desk_am": Template(
        "Family support desk (morning)", PostKind.DESK, _t("09:30"), _t("13:00"), DESK,
        WEEKDAYS, _sizes((2, 2), (2, 2), (2, 2)), "desk", location="Ground floor, by the list office",
    ),
    "desk_pm": Template(
        "Family support desk (afternoon)", PostKind.DESK, _t("13:00"), _t("16:30"), DESK,
        WEEKDAYS, _sizes((2, 2), (2, 2), (2, 2)), "desk", location="Ground floor, by the list office",
    ),
}  # fmt: skip


def requirements(kind: str, jurisdiction: Jurisdiction) -> list[Requirement]:
    """What a post needs: mandatory items block a volunteer, advisory ones only warn."""
    scotland = jurisdiction is Jurisdiction.SCOTLAND
    if kind == "desk":
        return [
            Requirement("PVG" if scotland else "DBS", True),
            Requirement("DESK_INDUCTION", False),
            Requirement("SAFEGUARDING", False),
            Requirement("CONDUCT", False, mandatory=False),
            Requirement("DATA", False, mandatory=False),
        ]
    needs = [Requirement("HMPPS", True), Requirement("SAFEGUARDING", False)]
    if scotland:
        needs.append(Requirement("PVG", True))
    if kind == "opv":
        needs += [
            Requirement("ACCT", False, mandatory=False),
            Requirement("CONDITIONING", False, mandatory=False),
        ]
        return needs
    needs.append(Requirement("CTC", True))
    if kind == "admin":
        needs += [
            Requirement("KEYS", False),
            Requirement("CONDUCT", False),
            Requirement("DATA", False, mandatory=False),
        ]
    elif kind == "sycamore":
        needs += [Requirement("SYCAMORE", False), Requirement("CONDUCT", False, mandatory=False)]
    elif kind == "chaplaincy_keys_advised":
        needs += [
            Requirement("KEYS", False, mandatory=False),
            Requirement("CONDUCT", False, mandatory=False),
        ]
    else:
        needs.append(Requirement("CONDUCT", False, mandatory=False))
    return needs


def make_post(
    key: str,
    size: str,
    jurisdiction: Jurisdiction,
    pattern_start: date,
    *,
    blocks: list[date] | None = None,
) -> PostSpec:
    """A post from a template; ``blocks`` are the start Mondays of six-week course blocks."""
    template = TEMPLATES[key]
    low, high = template.sizes.get(size, template.sizes["small"])
    byday = template.large_byday if size == "large" and template.large_byday else template.byday
    interval = template.interval
    if size == "large" and template.large_interval:
        interval = template.large_interval
    patterns: list[PatternSpec] = []
    if blocks:
        for first in blocks:
            patterns.append(
                PatternSpec(
                    "FREQ=WEEKLY;COUNT=6",
                    first,
                    None,
                    f"Course block of 6 weekly sessions from {first:%d %b %Y}",
                )
            )
    elif template.monthly:
        patterns.append(
            PatternSpec(
                f"FREQ=MONTHLY;BYDAY={template.monthly}",
                pattern_start,
                None,
                "First Sunday of the month",
            )
        )
    else:
        rule = f"FREQ=WEEKLY;BYDAY={byday}"
        words = "Every week" if interval == 1 else "Every other week"
        if interval > 1:
            rule = f"FREQ=WEEKLY;INTERVAL={interval};BYDAY={byday}"
        patterns.append(PatternSpec(rule, pattern_start, None, f"{words} ({byday})"))
    return PostSpec(
        key=key,
        name=template.name,
        kind=template.kind,
        start=template.start,
        end=template.end,
        min_volunteers=low,
        max_volunteers=high,
        role=template.role,
        patterns=patterns,
        requirements=requirements(template.requirements, jurisdiction),
        faith=template.faith,
        faith_mandatory=template.faith_mandatory,
        needs_escort=template.needs_escort,
        location=template.location,
    )


def course_blocks(rng: Random, span_start: date, today: date, count: int) -> list[date]:
    """Start Mondays of ``count`` six-week blocks spread over the year, never overlapping."""
    offsets = [(span_start, 14), (today, 21), (today, 7 * 18), (today, 7 * 30)]
    rng.shuffle(offsets)
    chosen = sorted(offsets[:count], key=lambda item: item[0] + timedelta(days=item[1]))
    return [monday_on_or_after(base + timedelta(days=days)) for base, days in chosen]


def places_per_month(post: PostSpec) -> float:
    """Roughly how many volunteer places a post offers a month (sum of its maximums)."""
    total = 0.0
    for pattern in post.patterns:
        rule = pattern.rrule
        if "COUNT=6" in rule:
            total += 6 * post.max_volunteers / 12
            continue
        if rule.startswith("FREQ=MONTHLY"):
            total += post.max_volunteers
            continue
        days = rule.split("BYDAY=")[1].count(",") + 1
        interval = 2 if "INTERVAL=2" in rule else 1
        total += 52 / 12 * days * post.max_volunteers / interval
    return total
