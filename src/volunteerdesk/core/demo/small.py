"""The small demo: HMP Westmoor's chaplaincy and the Westmoor court desks (all invented)."""

from __future__ import annotations

from datetime import date, time, timedelta
from random import Random

from dateutil.relativedelta import relativedelta

from ..models import CommunityKind, Jurisdiction, SiteDayKind, SiteKind
from ..scheduling.calendar import bank_holidays
from .posts import course_blocks, make_post
from .world import CommunitySpec, OneOff, SiteSpec, World

ORGANISATION = "Westmoor Chaplaincy & Court Desks"

FAITH = CommunityKind.FAITH_COMMUNITY.value
PARTNER = CommunityKind.PARTNER.value

# name, kind, faith, tradition, leader, endorsing authority, signed (days ago), review (years)
COMMUNITIES: list[tuple[str, str, str | None, str, str, str, int, int]] = [
    ("St Michael and All Angels, Westmoor", FAITH, "Church of England", "Anglican parish",
     "Revd Canon Mary Whitfield", "Vicar of St Michael's", 400, 3),
    ("Diocese of Westmoor", FAITH, "Church of England", "Anglican diocese",
     "The Ven. David Hartley", "Bishop's Adviser for Prison Ministry", 1300, 3),
    ("Our Lady of Lourdes Parish, Westmoor", FAITH, "Roman Catholic", "Catholic parish",
     "Fr Declan Murphy", "Catholic Diocese of Westmoor", 700, 3),
    ("Westmoor Polish Catholic Mission", FAITH, "Roman Catholic", "Catholic mission",
     "Fr Paweł Nowak", "Catholic Diocese of Westmoor", 200, 3),
    ("Westmoor Methodist Circuit", FAITH, "Methodist", "Methodist circuit",
     "Revd Gethin Rees", "Superintendent Minister", 1000, 3),
    ("New Covenant Pentecostal Church, Westmoor", FAITH, "Pentecostal", "Pentecostal church",
     "Pastor Chinedu Okafor", "Church elders", 1150, 3),
    ("Westmoor Central Mosque", FAITH, "Islam (Sunni)", "Sunni mosque",
     "Imam Yusuf Qureshi", "Mosque management committee", 500, 3),
    ("Masjid al-Noor, Eastfield", FAITH, "Islam (Sunni)", "Sunni mosque",
     "Sheikh Abdirahman Warsame", "Masjid trustees", 90, 3),
    ("Guru Nanak Gurdwara, Westmoor", FAITH, "Sikh", "Gurdwara",
     "Giani Amarjit Singh", "Gurdwara committee", 800, 3),
    ("Shree Krishna Mandir, Westmoor", FAITH, "Hindu", "Mandir",
     "Pandit Ramesh Joshi", "Mandir trustees", 300, 3),
    ("Westmoor Hebrew Congregation", FAITH, "Jewish", "Orthodox synagogue",
     "Rabbi Naomi Cohen", "Rabbi and wardens", 1100, 3),
    ("Westmoor and Moorside Area Quaker Meeting", FAITH, "Quaker", "Quaker Area Meeting",
     "Elspeth Drummond", "Area Meeting clerk", 600, 3),
    ("Westmoor Buddhist Centre", FAITH, "Buddhist", "Buddhist centre",
     "Venerable Chaminda Perera", "Centre teacher", 250, 3),
    ("Pact (Prison Advice and Care Trust)", PARTNER, None, "National charity: families and courts",
     "Chiamaka Eze", "Pact volunteering team", 365, 2),
    ("Samaritans of Westmoor", PARTNER, None, "Listening support",
     "Jonathan Fairclough", "Branch director", 800, 2),
    ("Prison Fellowship, Westmoor group", PARTNER, None, "Christian charity (ecumenical)",
     "Margaret Pemberton", "Group leader", 150, 2),
]  # fmt: skip

PRISON_WEIGHTS = [10, 5, 8, 5, 6, 5, 6, 3, 5, 4, 2, 3, 2, 0, 2, 4]
COURT_WEIGHTS = [1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 22, 2, 0]

# The cast a user of the small demo will look for: first, last, sex, faith, heritage, badge.
FEATURED: list[tuple[str, str, str, str | None, str, str]] = [
    ("Siân", "Evans", "f", "Methodist", "welsh", "Siân"),
    ("Zoë", "Williams", "f", "Church of England", "english", "Zoë"),
    ("Aoife", "Ó Briain", "f", "Roman Catholic", "irish", "Aoife"),
    ("Ciarán", "O'Neill", "m", "Roman Catholic", "irish", "Ciarán"),
    ("Łukasz", "Kowalski", "m", "Roman Catholic", "polish", "Łukasz"),
    ("محمد", "الحسن", "m", "Islam (Sunni)", "south_asian_muslim", "محمد"),
    ("ਗੁਰਪ੍ਰੀਤ", "ਕੌਰ", "f", "Sikh", "sikh", "ਗੁਰਪ੍ਰੀਤ"),
    ("प्रिया", "शर्मा", "f", "Hindu", "hindu", "प्रिया"),
    ("Muhammad", "Ahmed", "m", "Islam (Sunni)", "south_asian_muslim", "Mo"),
    ("Gurpreet", "Singh", "m", "Sikh", "sikh", "Gurpreet"),
    ("Priya", "Patel", "f", "Hindu", "hindu", "Priya"),
    ("Chiamaka", "Okonkwo", "f", "Pentecostal", "nigerian", "Chiamaka"),
    ("Linh", "Nguyen", "f", "Roman Catholic", "vietnamese", "Linh"),
    ("Hamish", "MacLeod", "m", None, "scottish", "Hamish"),
    ("William", "Jones", "m", None, "english", "Bill"),
    ("Agnieszka", "Kowalska", "f", None, "polish", "Agnieszka"),
]

PRISON_POSTS = ["cofe", "mass", "jummah", "sikh", "hindu", "admin", "choir", "opv", "first_sunday"]


def _communities(today: date) -> list[CommunitySpec]:
    found = []
    for index, row in enumerate(COMMUNITIES):
        name, kind, faith, tradition, leader, authority, days_ago, years = row
        signed = today - timedelta(days=days_ago)
        slug = "".join(ch for ch in name.lower() if ch.isalnum())[:20]
        found.append(
            CommunitySpec(
                name=name,
                kind=kind,
                faith=faith,
                tradition=tradition,
                leader=leader,
                row={
                    "contact_name": leader,
                    "contact_email": f"office@{slug}.example.org",
                    "contact_phone": f"01632 960{300 + index * 7:03d}",
                    "address": f"{10 + index * 3} Church Street, Westmoor",
                    "endorsing_authority": authority,
                    "agreement_signed_on": signed,
                    "review_due_on": signed + relativedelta(years=years),
                    "notes": "",
                },
            )
        )
    return found


def _working_day(day: date, holidays: dict[date, str], step: int = 1) -> date:
    while day.weekday() >= 5 or day in holidays:
        day += timedelta(days=step)
    return day


def small_world(rng: Random, today: date) -> World:
    world = World("small", today, ORGANISATION, script_chance=0.0)
    world.communities = _communities(today)
    world.featured = FEATURED
    start = world.span_start
    since = start - timedelta(days=rng.randint(400, 2000))

    prison = SiteSpec(
        "HMP Westmoor", "WMR", SiteKind.PRISON, Jurisdiction.ENGLAND_WALES, "england",
        "Westmoor", "WM", "medium", 80,
    )  # fmt: skip
    prison.posts = [make_post(key, "small", prison.jurisdiction, since) for key in PRISON_POSTS]
    prison.posts.append(
        make_post(
            "sycamore",
            "small",
            prison.jurisdiction,
            since,
            blocks=course_blocks(rng, start, today, 4),
        )
    )
    prison.communities = [(i, w) for i, w in enumerate(PRISON_WEIGHTS) if w]
    closure = today + timedelta(days=40)
    closure += timedelta(days=(3 - closure.weekday()) % 7)  # a Thursday
    prison.days = [(closure, SiteDayKind.CLOSURE, "Chapel closed for redecoration")]
    christmas = date(today.year if today < date(today.year, 12, 25) else today.year + 1, 12, 25)
    if christmas.weekday() != 6:
        prison.one_offs = [OneOff("cofe", christmas, "Christmas Day service", max_volunteers=6)]
    prison.row = {
        "address": "Moor Road, Westmoor",
        "postcode": "WM3 7HP",
        "phone": "01632 960100",
        "security_contact_name": "Diane Holloway",
        "security_contact_phone": "01632 960142",
        "security_contact_email": "security.westmoor@justice.example.org",
        "coordinator_name": "Revd Canon Ruth Ashworth (Managing Chaplain)",
        "coordinator_phone": "01632 960155",
        "safeguarding_contact_name": "Marcus Reid",
        "safeguarding_contact_phone": "01632 960177",
        "morning_gate_time": time(8, 0),
        "afternoon_gate_time": time(13, 0),
        "notes": "Category B local prison for men (invented for the demo).",
    }

    holidays = bank_holidays(Jurisdiction.ENGLAND_WALES, start, world.span_end)
    magistrates = SiteSpec(
        "Westmoor Magistrates' Court", "WMC", SiteKind.MAGISTRATES_COURT,
        Jurisdiction.ENGLAND_WALES, "england", "Westmoor", "WM", "court", 18,
    )  # fmt: skip
    saturday = today + timedelta(days=24)
    saturday += timedelta(days=(5 - saturday.weekday()) % 7)
    magistrates.days = [
        (
            _working_day(today - timedelta(days=37), holidays),
            SiteDayKind.CLOSURE,
            "Court not sitting: fire safety works",
        ),
        (
            _working_day(today + timedelta(days=45), holidays),
            SiteDayKind.CLOSURE,
            "Court not sitting: judicial training day",
        ),
        (saturday, SiteDayKind.EXCEPTION, "Remand-only Saturday sitting"),
    ]
    magistrates.one_offs = [OneOff("desk_am", saturday, "Remand-only Saturday sitting")]
    magistrates.row = _court_row("Castle Street, Westmoor", "WM1 2AB", 200, "Karen Sutcliffe")

    crown = SiteSpec(
        "Westmoor Crown Court", "WCC", SiteKind.CROWN_COURT, Jurisdiction.ENGLAND_WALES,
        "england", "Westmoor", "WM", "court", 16,
    )  # fmt: skip
    crown.row = _court_row(
        "The Law Courts, Bridge Street, Westmoor", "WM1 4QT", 250, "Trevor Grant"
    )
    for court in (magistrates, crown):
        court.posts = [
            make_post(key, "court", court.jurisdiction, since) for key in ("desk_am", "desk_pm")
        ]
        court.communities = [(i, w) for i, w in enumerate(COURT_WEIGHTS) if w]
    world.sites = [prison, magistrates, crown]
    return world


def _court_row(address: str, postcode: str, number: int, security: str) -> dict:
    return {
        "address": address,
        "postcode": postcode,
        "phone": f"01632 960{number:03d}",
        "security_contact_name": security,
        "security_contact_phone": f"01632 960{number + 11:03d}",
        "security_contact_email": f"court.security{number}@justice.example.org",
        "coordinator_name": "Chiamaka Eze (Pact court volunteer coordinator)",
        "coordinator_phone": "07700 900417",
        "safeguarding_contact_name": "Owen Pritchard",
        "safeguarding_contact_phone": f"01632 960{number + 23:03d}",
        "morning_gate_time": None,
        "afternoon_gate_time": None,
        "notes": "Pact family support desk in the public waiting area.",
    }
