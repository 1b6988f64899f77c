"""The shipped defaults: faiths, roles, training courses and clearance types (DOMAIN.md).

Seeded once into an empty database; the organisation may edit them afterwards, and a
changed validity shows as set locally against ``default_validity_months``.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import ClearanceType, Faith, Role, TrainingCourse

FAITHS: list[tuple[str, str]] = [
    ("Church of England", "Christian"),
    ("Roman Catholic", "Christian"),
    ("Methodist", "Christian"),
    ("Baptist", "Christian"),
    ("United Reformed Church", "Christian"),
    ("Pentecostal", "Christian"),
    ("Orthodox Christian", "Christian"),
    ("Church of Scotland", "Christian"),
    ("Salvation Army", "Christian"),
    ("Quaker", "Christian"),
    ("Islam (Sunni)", "Muslim"),
    ("Islam (Shia)", "Muslim"),
    ("Sikh", "Sikh"),
    ("Hindu", "Hindu"),
    ("Jewish", "Jewish"),
    ("Buddhist", "Buddhist"),
    ("Pagan", "Pagan"),
    ("Rastafari", "Rastafari"),
    ("Bahá'í", "Bahá'í"),
    ("Jain", "Jain"),
]

ROLES: list[tuple[str, str]] = [
    ("Chaplaincy volunteer", "Helps at services and faith groups"),
    ("Faith group leader", "Leads a faith group or study session"),
    ("Choir and music", "Choir member or musician at services"),
    ("Chapel administration", "Chapel office and administration"),
    ("Official Prison Visitor", "Visits prisoners weekly or fortnightly at one prison"),
    ("Sycamore Tree facilitator", "Runs the six-session Sycamore Tree course"),
    ("Court desk volunteer", "Staffs an advice and family-support desk at court"),
    ("Court desk lead", "Leads the desk team for a session"),
]

# code, name, validity (months or None), within months of starting, description
COURSES: list[tuple[str, str, int | None, int | None, str]] = [
    (
        "SAFEGUARDING",
        "Safeguarding (foundation)",
        36,
        6,
        "Within 6 months of starting; refresh every 3 years.",
    ),
    ("CONDUCT", "Code of conduct and confidentiality", 12, None, "Signed every year."),
    ("KEYS", "Key and security training", 12, None, "Local policy; default every 12 months."),
    (
        "CONDITIONING",
        "Conditioning and manipulation awareness",
        12,
        None,
        "Local policy; default every 12 months.",
    ),
    (
        "ACCT",
        "ACCT (suicide and self-harm) awareness",
        12,
        None,
        "Local policy; default every 12 months.",
    ),
    ("FIRE", "Fire and evacuation", 12, None, "Local policy; default every 12 months."),
    ("DATA", "Data protection", 12, None, "Local policy; default every 12 months."),
    ("SYCAMORE", "Sycamore Tree facilitator", None, None, "Role-specific; does not expire."),
    ("DESK_INDUCTION", "Court desk induction", None, None, "Role-specific; does not expire."),
]

# code, name, validity, per establishment, is DBS, levels, description
CLEARANCES: list[tuple[str, str, int | None, bool, bool, str, str]] = [
    (
        "HMPPS",
        "HMPPS vetting",
        60,
        True,
        False,
        "Baseline,Enhanced Level 1,Enhanced Level 2,Standard Plus",
        "For one establishment and type of work. No national validity found: 5 years "
        "is a shipped default; set your own.",
    ),
    (
        "CTC",
        "Counter Terrorist Check",
        120,
        False,
        False,
        "",
        "Chaplaincy posts; review after at most 10 years.",
    ),
    (
        "DBS",
        "DBS check",
        36,
        False,
        True,
        "Basic,Standard,Enhanced,Enhanced with barred lists",
        "No expiry on the certificate; good practice is a re-check every 3 years or the "
        "Update Service.",
    ),
    (
        "PVG",
        "PVG scheme membership (Scotland)",
        60,
        False,
        False,
        "",
        "Renewed every 5 years from April 2026.",
    ),
]


def seed_defaults(session: Session) -> bool:
    """Fill empty catalogues with the defaults; returns True when anything was added."""
    added = False
    if not session.scalar(select(func.count()).select_from(Faith)):
        session.add_all(Faith(name=n, family=f) for n, f in FAITHS)
        added = True
    if not session.scalar(select(func.count()).select_from(Role)):
        session.add_all(Role(name=n, description=d) for n, d in ROLES)
        added = True
    if not session.scalar(select(func.count()).select_from(TrainingCourse)):
        session.add_all(
            TrainingCourse(
                code=code,
                name=name,
                validity_months=months,
                default_validity_months=months,
                within_months_of_start=within,
                description=desc,
            )
            for code, name, months, within, desc in COURSES
        )
        added = True
    if not session.scalar(select(func.count()).select_from(ClearanceType)):
        session.add_all(
            ClearanceType(
                code=code,
                name=name,
                validity_months=months,
                default_validity_months=months,
                per_establishment=per_site,
                is_dbs=is_dbs,
                levels=levels,
                description=desc,
            )
            for code, name, months, per_site, is_dbs, levels, desc in CLEARANCES
        )
        added = True
    return added
