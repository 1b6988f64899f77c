"""A volunteer's personal details, regular slots and holidays, and their table rows."""

from __future__ import annotations

from datetime import date, timedelta
from random import Random
from typing import TYPE_CHECKING

from ..models import RiskOutcome
from . import places
from .names import RELATIONS, languages, weighted
from .names import person as random_person
from .posts import DESK_LEAD
from .world import Ids, PostSpec, World

if TYPE_CHECKING:
    from .people import Vol

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
UNAVAILABLE_REASONS = (
    "Holiday",
    "Family commitment",
    "Hospital appointment",
    "Working away",
    "Caring for a relative",
    "Exams",
)


def _byday(post: PostSpec) -> list[int]:
    rule = post.patterns[0].rrule
    if "BYDAY=" not in rule:  # a course block: the weekday it starts on
        return [post.patterns[0].start.weekday()]
    codes = rule.split("BYDAY=")[1].split(";")[0].split(",")
    return [WEEKDAY_CODES.index(code[-2:]) for code in codes]


def _add_slot(vol: Vol, weekday: int, session: str, every: int, anchor: date) -> None:
    known = vol.availability.get((weekday, session))
    if known is None or every < known[0]:
        vol.availability[(weekday, session)] = (every, anchor)


def availability(rng: Random, vol: Vol, world: World) -> None:
    monday = world.span_start - timedelta(days=world.span_start.weekday())
    if vol.site.is_court:  # desk volunteers mostly give a day or two a week
        for weekday in sorted(rng.sample(range(5), rng.choice((1, 2, 2, 3, 3)))):
            sessions = weighted(
                rng, ((("morning",), 2), (("afternoon",), 1), (("morning", "afternoon"), 7))
            )
            for session in sessions:
                _add_slot(vol, weekday, session, 1, monday + timedelta(days=weekday))
        return
    for post in vol.posts:
        days = _byday(post)
        if len(days) > 1:
            days = sorted(rng.sample(days, min(len(days), rng.choice((1, 1, 2)))))
        pattern = post.patterns[0]
        for weekday in days:
            if "INTERVAL=2" in pattern.rrule:
                start = pattern.start - timedelta(days=pattern.start.weekday())
                _add_slot(vol, weekday, post.session, 2, start + timedelta(days=weekday))
            elif rng.random() < 0.18 and "COUNT" not in pattern.rrule:
                anchor = monday + timedelta(days=weekday + 7 * rng.randint(0, 1))
                _add_slot(vol, weekday, post.session, 2, anchor)
            else:
                _add_slot(vol, weekday, post.session, 1, monday + timedelta(days=weekday))
    if rng.random() < 0.15:
        weekday = rng.randrange(7)
        _add_slot(
            vol, weekday, rng.choice(("morning", "afternoon")), 1, monday + timedelta(days=weekday)
        )


def unavailability(rng: Random, vol: Vol, world: World) -> None:
    span = (world.span_end - world.span_start).days
    for _ in range(weighted(rng, ((0, 62), (1, 30), (2, 8)))):
        start = world.span_start + timedelta(days=rng.randint(0, span - 7))
        end = start + timedelta(days=rng.randint(2, 20))
        vol.unavailable.append((start, end, rng.choice(UNAVAILABLE_REASONS)))
    vol.unavailable.sort()


def personal_row(rng: Random, vol: Vol, today: date) -> dict:
    name = vol.name
    site = vol.site
    age = weighted(
        rng, (((18, 29), 10), ((30, 44), 15), ((45, 59), 25), ((60, 74), 35), ((75, 88), 15))
    )
    born = today - timedelta(days=365 * rng.randint(*age) + rng.randint(0, 364))
    since = vol.started_on or vol.status_since or today
    born = min(born, since - timedelta(days=365 * 18 + rng.randint(0, 4000)))  # adult at start
    vol.has_email = age[0] < 75 or rng.random() < 0.7
    if name.sex == "f":
        title = weighted(rng, (("Mrs", 35), ("Ms", 30), ("Miss", 10), ("Dr", 4), ("", 21)))
    else:
        title = weighted(rng, (("Mr", 70), ("Dr", 5), ("", 25)))
    if any(p.role == "Faith group leader" for p in vol.posts) and rng.random() < 0.1:
        title = "Revd" if vol.faith in ("Church of England", "Methodist", "Baptist") else title
    contact = random_person(rng, name.heritage)
    relation = rng.choice(RELATIONS)
    contact_last = (
        name.last if relation in ("Spouse", "Daughter", "Son", "Parent") else contact.last
    )
    notes = ""
    if vol.risk:
        notes = "Lived experience: risk assessment done; outcome recorded."
        if vol.risk[0] is RiskOutcome.APPROVED_WITH_CONDITIONS:
            notes += " Conditions agreed with the security department."
    elif rng.random() < 0.08:
        notes = rng.choice(
            (
                "Prefers morning sessions.",
                "Happy to cover at short notice.",
                "Drives; can bring others from the parish.",
                "Needs a ground-floor room (uses a stick).",
                "Retired teacher; helps with the literacy group too.",
            )
        )
    return {
        "title": title,
        "first_name": name.first,
        "last_name": name.last,
        "badge_name": vol.badge,
        "date_of_birth": born,
        "phone": places.mobile(rng)
        if rng.random() < 0.9
        else places.landline(rng, "westmoor" if site.area == "WM" else site.nation),
        "address": places.street_address(rng, site.town),
        "postcode": places.postcode(rng, site.area),
        "emergency_contact_name": f"{contact.first} {contact_last}",
        "emergency_contact_phone": places.mobile(rng),
        "emergency_contact_relation": relation,
        "status": vol.status,
        "status_since": vol.status_since,
        "started_on": vol.started_on,
        "left_on": vol.left_on,
        "community_id": vol.community_id,
        "faith_consent": vol.consent,
        "faith_consent_on": min(today, since + timedelta(days=rng.randint(0, 30)))
        if vol.consent
        else None,
        "languages": languages(rng, name.heritage),
        "key_holder": vol.key_holder,
        "max_shifts_per_month": vol.cap,
        "notes": notes,
        "risk_assessment_outcome": vol.risk[0] if vol.risk else None,
        "risk_assessment_on": vol.risk[1] if vol.risk else None,
        "erased_on": None,
    }


def volunteer_tables(vols: list[Vol], ids: Ids, catalogue, stamp) -> dict[str, list[dict]]:
    """The rows of the people tables: volunteers and what hangs off them."""
    used: dict[str, int] = {}
    tables: dict[str, list[dict]] = {
        name: []
        for name in (
            "volunteers",
            "volunteer_roles",
            "volunteer_sites",
            "endorsements",
            "weekly_availability",
            "unavailability",
        )
    }
    base = {"version": 1, "updated_at": stamp}
    for vol in vols:
        row = dict(vol.row, id=vol.id, faith_id=catalogue.faith_id(vol.recorded_faith), **base)
        row["email"] = places.email_for(vol.name, used) if vol.has_email else ""
        tables["volunteers"].append(row)
        roles = {"Chaplaincy volunteer"} if not vol.site.is_court else set()
        roles.update(post.role for post in vol.posts)
        if vol.lead:
            roles.add(DESK_LEAD)
        for role in sorted(roles):
            tables["volunteer_roles"].append(
                {"volunteer_id": vol.id, "role_id": catalogue.role_id(role)}
            )
        for site in vol.sites:
            tables["volunteer_sites"].append({"volunteer_id": vol.id, "site_id": site.id})
        if vol.community and vol.endorsed:
            tables["endorsements"].append(
                {
                    "id": ids.next("endorsements"),
                    "volunteer_id": vol.id,
                    "community_id": vol.community_id,
                    "endorsed_by": vol.community.leader,
                    "endorsed_on": vol.endorsed_on,
                    "notes": "",
                    **base,
                }
            )
        for (weekday, session), (every, anchor) in sorted(vol.availability.items()):
            tables["weekly_availability"].append(
                {
                    "id": ids.next("weekly_availability"),
                    "volunteer_id": vol.id,
                    "weekday": weekday,
                    "session": session,
                    "every_n_weeks": every,
                    "anchor_date": anchor if every == 2 else None,
                    **base,
                }
            )
        for start, end, reason in vol.unavailable:
            tables["unavailability"].append(
                {
                    "id": ids.next("unavailability"),
                    "volunteer_id": vol.id,
                    "start_date": start,
                    "end_date": end,
                    "reason": reason,
                    **base,
                }
            )
    return tables
