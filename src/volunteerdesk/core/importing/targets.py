"""What can be imported: the fields of each target, the headers people give them, their words.

A field's ``aliases`` are compared with a file's headers ignoring case, spaces and
punctuation ("E-mail" = "email", "DBS No." = "dbs no"). ``words`` turn what people
write ("On hold", "Cleared") into the stored values.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from .words import CLEARANCE_STATUS, COMMUNITY_KIND, VOLUNTEER_STATUS


class Kind(enum.StrEnum):
    TEXT = "text"
    NAME = "name"
    DATE = "date"
    EMAIL = "email"
    PHONE = "phone"
    BOOL = "yes/no"
    INT = "number"
    WORD = "word"
    LOOKUP = "lookup"  # a name resolved against the database (community, course, site...)
    ID = "id"
    DBS_NUMBER = "dbs number"


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    kind: Kind = Kind.TEXT
    aliases: tuple[str, ...] = ()
    max_length: int | None = None
    words: Mapping[str, str] | None = None  # folded word -> stored value

    def choices(self) -> str:
        """The words a WORD field takes, for messages."""
        return ", ".join(sorted({v.replace("_", " ") for v in (self.words or {}).values()}))


WHO = (
    FieldSpec("volunteer_id", "Volunteer ID", Kind.ID, ("id", "volunteer number", "record id")),
    FieldSpec("full_name", "Full name", Kind.NAME, ("name", "volunteer", "volunteer name")),
    FieldSpec(
        "first_name",
        "First name",
        Kind.NAME,
        ("forename", "forenames", "given name", "given names", "christian name", "first"),
        100,
    ),
    FieldSpec("last_name", "Last name", Kind.NAME, ("surname", "family name", "last"), 100),
    FieldSpec(
        "date_of_birth", "Date of birth", Kind.DATE, ("dob", "d.o.b.", "birth date", "birthday")
    ),
    FieldSpec("email", "Email", Kind.EMAIL, ("e-mail", "email address", "e-mail address"), 200),
)
PHONE_ALIASES = ("mobile", "tel", "telephone", "mobile number", "phone number", "mob", "tel no")

VOLUNTEERS = (
    *WHO,
    FieldSpec("title", "Title", Kind.TEXT, ("salutation",), 20),
    FieldSpec(
        "badge_name",
        "Known as",
        Kind.NAME,
        ("preferred name", "badge name", "nickname", "preferred first name"),
        100,
    ),
    FieldSpec("phone", "Phone", Kind.PHONE, (*PHONE_ALIASES, "contact number"), 40),
    FieldSpec("address", "Address", Kind.TEXT, ("home address", "street address")),
    FieldSpec("postcode", "Postcode", Kind.TEXT, ("post code", "postal code"), 10),
    FieldSpec(
        "emergency_contact_name",
        "Emergency contact",
        Kind.NAME,
        ("emergency contact name", "next of kin", "nok", "in case of emergency"),
        120,
    ),
    FieldSpec(
        "emergency_contact_phone",
        "Emergency phone",
        Kind.PHONE,
        ("emergency contact phone", "emergency tel", "emergency number", "next of kin phone"),
        40,
    ),
    FieldSpec(
        "emergency_contact_relation",
        "Emergency contact relationship",
        Kind.TEXT,
        ("relationship", "relation", "next of kin relationship"),
        60,
    ),
    FieldSpec("status", "Status", Kind.WORD, ("volunteer status",), words=VOLUNTEER_STATUS),
    FieldSpec(
        "started_on",
        "Start date",
        Kind.DATE,
        ("started", "date started", "joined", "date joined", "start", "started on"),
    ),
    FieldSpec("left_on", "Left on", Kind.DATE, ("left", "date left", "leaving date", "end date")),
    FieldSpec(
        "community",
        "Community",
        Kind.LOOKUP,
        (
            "church",
            "faith community",
            "parish",
            "sending community",
            "sending organisation",
            "organisation",
            "endorsing community",
            "congregation",
            "place of worship",
        ),
    ),
    FieldSpec("faith", "Faith", Kind.LOOKUP, ("religion", "religion or belief", "denomination")),
    FieldSpec(
        "faith_consent",
        "Faith consent",
        Kind.BOOL,
        ("consent to record faith", "religion consent", "faith recorded with consent"),
    ),
    FieldSpec("languages", "Languages", Kind.TEXT, ("language", "languages spoken"), 200),
    FieldSpec("key_holder", "Key holder", Kind.BOOL, ("keys", "key holding", "holds keys")),
    FieldSpec(
        "max_shifts_per_month",
        "Most shifts a month",
        Kind.INT,
        ("max shifts", "max shifts per month", "shifts per month"),
    ),
    FieldSpec("notes", "Notes", Kind.TEXT, ("comments", "remarks", "note")),
)

COMMUNITIES = (
    FieldSpec(
        "name",
        "Name",
        Kind.NAME,
        (
            "community",
            "community name",
            "church",
            "organisation",
            "organization",
            "organisation name",
            "partner",
            "parish",
            "place of worship",
            "congregation",
        ),
        200,
    ),
    FieldSpec(
        "kind",
        "Kind",
        Kind.WORD,
        ("type", "community type", "organisation type"),
        words=COMMUNITY_KIND,
    ),
    FieldSpec("faith", "Faith", Kind.LOOKUP, ("religion", "denomination")),
    FieldSpec("tradition", "Tradition", Kind.TEXT, ("rite", "branch"), 120),
    FieldSpec(
        "contact_name",
        "Contact name",
        Kind.NAME,
        ("contact", "contact person", "leader", "minister", "faith leader"),
        120,
    ),
    FieldSpec("contact_email", "Contact email", Kind.EMAIL, ("email", "e-mail"), 200),
    FieldSpec("contact_phone", "Contact phone", Kind.PHONE, ("phone", *PHONE_ALIASES), 40),
    FieldSpec("address", "Address", Kind.TEXT, ()),
    FieldSpec(
        "endorsing_authority", "Endorsing authority", Kind.TEXT, ("endorsed by", "authority"), 200
    ),
    FieldSpec(
        "agreement_signed_on",
        "Agreement signed",
        Kind.DATE,
        ("agreement date", "date signed", "signed", "agreement signed on"),
    ),
    FieldSpec(
        "review_due_on",
        "Review due",
        Kind.DATE,
        ("review", "review date", "next review", "agreement review", "review due on"),
    ),
    FieldSpec("notes", "Notes", Kind.TEXT, ("comments", "remarks")),
)

TRAINING = (
    *WHO,
    FieldSpec(
        "course",
        "Course",
        Kind.LOOKUP,
        ("training", "training course", "course name", "course code", "module"),
    ),
    FieldSpec(
        "completed_on",
        "Completed on",
        Kind.DATE,
        (
            "completed",
            "date completed",
            "completion date",
            "date",
            "training date",
            "date attended",
            "date of training",
        ),
    ),
    FieldSpec("booked_for", "Booked for", Kind.DATE, ("booked", "booked on", "booking date")),
    FieldSpec(
        "expires_on", "Expires on", Kind.DATE, ("expires", "expiry", "expiry date", "valid until")
    ),
    FieldSpec("provider", "Provider", Kind.TEXT, ("trainer", "delivered by"), 200),
    FieldSpec(
        "certificate_ref",
        "Certificate reference",
        Kind.TEXT,
        ("certificate", "certificate ref", "certificate number", "cert no"),
        100,
    ),
    FieldSpec("notes", "Notes", Kind.TEXT, ("comments", "remarks")),
)

CLEARANCES = (
    *WHO,
    FieldSpec(
        "type",
        "Clearance type",
        Kind.LOOKUP,
        ("type", "clearance", "check", "check type", "vetting type"),
    ),
    FieldSpec("site", "Establishment", Kind.LOOKUP, ("prison", "site", "establishment name")),
    FieldSpec(
        "status",
        "Status",
        Kind.WORD,
        ("clearance status", "vetting status", "outcome"),
        words=CLEARANCE_STATUS,
    ),
    FieldSpec("level", "Level", Kind.TEXT, ("vetting level", "dbs level", "clearance level"), 60),
    FieldSpec(
        "reference", "Reference", Kind.TEXT, ("ref", "vetting reference", "clearance reference"), 60
    ),
    FieldSpec(
        "applied_on",
        "Applied on",
        Kind.DATE,
        ("applied", "date applied", "application date", "submitted", "date submitted"),
    ),
    FieldSpec(
        "granted_on",
        "Granted on",
        Kind.DATE,
        (
            "granted",
            "date granted",
            "cleared",
            "cleared on",
            "date cleared",
            "issue date",
            "date of issue",
            "issued",
            "dbs issue date",
            "dbs date",
            "vetting date",
        ),
    ),
    FieldSpec(
        "expires_on", "Expires on", Kind.DATE, ("expires", "expiry", "expiry date", "valid until")
    ),
    FieldSpec(
        "dbs_certificate_number",
        "DBS certificate number",
        Kind.DBS_NUMBER,
        (
            "dbs no",
            "dbs number",
            "dbs certificate no",
            "dbs cert no",
            "certificate number",
            "disclosure number",
        ),
    ),
    FieldSpec(
        "dbs_barred_list_checked", "Barred list checked", Kind.BOOL, ("barred list", "barred")
    ),
    FieldSpec(
        "dbs_update_service",
        "DBS Update Service",
        Kind.BOOL,
        ("update service", "on update service"),
    ),
    FieldSpec(
        "dbs_update_service_checked_on",
        "Update Service checked on",
        Kind.DATE,
        ("update service checked", "update service check date"),
    ),
    FieldSpec("decision", "Decision", Kind.TEXT, ("dbs decision", "recruitment decision"), 60),
    FieldSpec("decision_on", "Decision date", Kind.DATE, ("decision on", "date of decision")),
    FieldSpec("notes", "Notes", Kind.TEXT, ("comments", "remarks")),
)

# Extra ways people head a column of dates for one course, by the shipped course codes.
COURSE_ALIASES: dict[str, tuple[str, ...]] = {
    "SAFEGUARDING": ("safeguarding", "safeguarding training", "safeguarding course"),
    "CONDUCT": ("code of conduct", "conduct", "confidentiality", "code of conduct signed"),
    "KEYS": ("key training", "keys training", "security training", "key and security"),
    "CONDITIONING": ("conditioning", "manipulation awareness", "conditioning and manipulation"),
    "ACCT": ("acct awareness", "suicide and self harm", "self harm awareness"),
    "FIRE": ("fire", "fire safety", "fire training", "evacuation"),
    "DATA": ("data protection", "gdpr", "data protection training"),
    "SYCAMORE": ("sycamore tree", "sycamore"),
    "DESK_INDUCTION": ("induction", "court desk induction", "desk induction"),
}

COURSE_PREFIX = "course:"


def course_field(code: str, name: str) -> FieldSpec:
    """A column of completion dates for one course ("Safeguarding date")."""
    bases = {name, code, *COURSE_ALIASES.get(code, ())}
    aliases = tuple(
        sorted({f"{b} {suffix}".strip() for b in bases for suffix in ("", "date", "completed")})
    )
    return FieldSpec(f"{COURSE_PREFIX}{code}", f"{name} date", Kind.DATE, aliases)


@dataclass(frozen=True)
class Target:
    name: str
    label: str
    subject: str  # what ``Changes`` names
    fields: tuple[FieldSpec, ...]


TARGETS: dict[str, Target] = {
    "volunteers": Target("volunteers", "Volunteers", "volunteers", VOLUNTEERS),
    "communities": Target(
        "communities", "Faith communities and partners", "communities", COMMUNITIES
    ),
    "training": Target("training", "Training records", "training", TRAINING),
    "clearances": Target("clearances", "Clearances", "clearances", CLEARANCES),
}


def get_target(name: str) -> Target:
    try:
        return TARGETS[name]
    except KeyError:
        raise ValueError(f"Cannot import {name!r}: choose one of {', '.join(TARGETS)}") from None
