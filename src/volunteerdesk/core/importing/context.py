"""What an import needs to know about the database, loaded once in a few plain queries.

Names people write are resolved here: a community, a faith, a course, a clearance type,
an establishment, or the volunteer a training or clearance row is about. Each finder
returns an id or raises ``InvalidValue`` with a message for the user.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import (
    Clearance,
    ClearanceType,
    Community,
    Faith,
    Site,
    TrainingCourse,
    TrainingRecord,
    Volunteer,
)
from ..settings import load_settings
from ..validation import InvalidValue, format_uk_date
from .duplicates import NameIndex, Person, PersonIndex
from .folding import fold, fold_words
from .targets import COURSE_ALIASES

FAITH_ALIASES = {
    "Church of England": ("c of e", "cofe", "ce", "anglican", "church in wales", "episcopal"),
    "Roman Catholic": ("catholic", "rc", "r c", "roman catholic church"),
    "Orthodox Christian": ("orthodox", "greek orthodox", "russian orthodox"),
    "Quaker": ("quakers", "religious society of friends", "friends"),
    "Sikh": ("sikhism",),
    "Hindu": ("hinduism",),
    "Jewish": ("judaism", "jew"),
    "Buddhist": ("buddhism",),
    "Islam (Sunni)": ("sunni", "sunni muslim", "sunni islam"),
    "Islam (Shia)": ("shia", "shia muslim", "shiite", "shia islam"),
    "Pentecostal": ("pentecostalist",),
    "United Reformed Church": ("urc", "united reformed"),
}
TYPE_ALIASES = {
    "DBS": (
        "dbs check",
        "crb",
        "disclosure",
        "enhanced dbs",
        "dbs enhanced",
        "disclosure and barring",
    ),
    "HMPPS": ("vetting", "security vetting", "prison vetting", "hmpps vetting", "noms vetting"),
    "CTC": ("counter terrorist check", "counter terrorism check", "counterterrorism check"),
    "PVG": ("disclosure scotland", "pvg scheme", "protecting vulnerable groups"),
}
SITE_PREFIXES = ("hmp yoi ", "hmpyoi ", "hmp ", "hmyoi ", "hmyoi ", "yoi ")
VOLUNTEER_COLUMNS = [c for c in Volunteer.__table__.columns]


def _unique(index: Mapping[str, list[int]], key: str) -> int | None:
    found = index.get(key, [])
    return found[0] if len(set(found)) == 1 else None


class ImportContext:
    """The database as an import sees it: records, indexes and the finders over them."""

    def __init__(self, session: Session, target: str, today: date) -> None:
        self.target = target
        self.today = today
        self.default_max_shifts = load_settings(session).default_max_shifts_per_month
        self.volunteers: dict[int, dict[str, Any]] = {}
        self.people = PersonIndex()
        if target != "communities":
            for row in session.execute(select(*VOLUNTEER_COLUMNS)).mappings():
                values = dict(row)
                self.volunteers[values["id"]] = values
                self.people.add(values["id"], person_of(values))
        self.communities = {
            row["id"]: dict(row)
            for row in session.execute(select(*Community.__table__.columns)).mappings()
        }
        self.community_names = NameIndex((cid, c["name"]) for cid, c in self.communities.items())
        self.faiths = dict(session.execute(select(Faith.id, Faith.name)).all())
        self.faith_families = dict(session.execute(select(Faith.id, Faith.family)).all())
        self.courses = {c.id: c for c in session.scalars(select(TrainingCourse))}
        self.types = {t.id: t for t in session.scalars(select(ClearanceType))}
        self.sites = dict(session.execute(select(Site.id, Site.name)).all())
        self.training: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
        self.clearances: dict[tuple[int, int, int | None], list[dict[str, Any]]] = defaultdict(list)
        if target == "training":
            for row in session.execute(select(*TrainingRecord.__table__.columns)).mappings():
                self.training[(row["volunteer_id"], row["course_id"])].append(dict(row))
        if target == "clearances":
            for row in session.execute(select(*Clearance.__table__.columns)).mappings():
                key = (row["volunteer_id"], row["type_id"], row["site_id"])
                self.clearances[key].append(dict(row))
        self._lookups()
        self._memo: dict[tuple[str, str], int | InvalidValue] = {}

    def _remembered(self, kind: str, text: str, find) -> int:
        """A finder's answer, worked out once per distinct text (files repeat themselves)."""
        key = (kind, text)
        if key not in self._memo:
            try:
                self._memo[key] = find(text)
            except InvalidValue as exc:
                self._memo[key] = exc
        found = self._memo[key]
        if isinstance(found, InvalidValue):
            raise InvalidValue(str(found))
        return found

    def _lookups(self) -> None:
        self._faith_index: dict[str, list[int]] = defaultdict(list)
        for fid, name in self.faiths.items():
            self._faith_index[fold(name)].append(fid)
            for alias in FAITH_ALIASES.get(name, ()):
                self._faith_index[fold(alias)].append(fid)
        for fid, family in self.faith_families.items():
            if family:
                self._faith_index[f"family:{fold(family)}"].append(fid)
        self._course_index: dict[str, list[int]] = defaultdict(list)
        for cid, course in self.courses.items():
            for word in (course.code, course.name, *COURSE_ALIASES.get(course.code, ())):
                self._course_index[fold(word)].append(cid)
        self._type_index: dict[str, list[int]] = defaultdict(list)
        for tid, kind in self.types.items():
            for word in (kind.code, kind.name, *TYPE_ALIASES.get(kind.code, ())):
                self._type_index[fold(word)].append(tid)
        self._site_index: dict[str, list[int]] = defaultdict(list)
        for sid, name in self.sites.items():
            words = fold_words(name)
            self._site_index[fold(name)].append(sid)
            for prefix in SITE_PREFIXES:
                if words.startswith(prefix):
                    self._site_index[fold(words[len(prefix) :])].append(sid)

    # ----- finders ------------------------------------------------------------------------
    def find_community(self, text: str) -> int:
        return self._remembered("community", text, self._find_community)

    def find_faith(self, text: str) -> int:
        return self._remembered("faith", text, self._find_faith)

    def find_course(self, text: str) -> int:
        return self._remembered("course", text, self._find_course)

    def find_type(self, text: str) -> int:
        return self._remembered("type", text, self._find_type)

    def find_site(self, text: str) -> int:
        return self._remembered("site", text, self._find_site)

    def _find_community(self, text: str) -> int:
        match = self.community_names.match(text)
        if match.exact is not None:
            return int(match.exact)
        if len(match.candidates) == 1:
            return int(match.candidates[0][0])
        if match.candidates:
            names = ", ".join(self.community_names.names[k] for k, _r in match.candidates)
            raise InvalidValue(f"{text} could be any of: {names}. Write the name in full")
        raise InvalidValue(
            f"There is no community called {text} (import the communities first, or leave it blank)"
        )

    def _find_faith(self, text: str) -> int:
        key = fold(text)
        found = _unique(self._faith_index, key) or _unique(self._faith_index, f"family:{key}")
        if found is not None:
            return found
        ambiguous = self._faith_index.get(f"family:{key}", [])
        if ambiguous:
            names = ", ".join(sorted(self.faiths[f] for f in ambiguous))
            raise InvalidValue(f"{text} could be {names}: write which")
        raise InvalidValue(f"{text} is not one of the faiths in the list (Settings, Catalogues)")

    def _find_course(self, text: str) -> int:
        found = _unique(self._course_index, fold(text))
        if found is None:
            contains = {c for c, course in self.courses.items() if fold(text) in fold(course.name)}
            found = next(iter(contains)) if len(contains) == 1 and len(fold(text)) >= 4 else None
        if found is None:
            raise InvalidValue(f"{text} is not a training course (give its name or code)")
        if not self.courses[found].active:
            raise InvalidValue(f"{self.courses[found].name} is no longer in use")
        return found

    def _find_type(self, text: str) -> int:
        found = _unique(self._type_index, fold(text))
        if found is None:
            names = ", ".join(sorted(t.name for t in self.types.values() if t.active))
            raise InvalidValue(f"{text} is not a type of clearance ({names})")
        if not self.types[found].active:
            raise InvalidValue(f"{self.types[found].name} is no longer in use")
        return found

    def type_by_code(self, code: str) -> int | None:
        return next((t for t, kind in self.types.items() if kind.code == code), None)

    def _find_site(self, text: str) -> int:
        found = _unique(self._site_index, fold(text))
        if found is None:
            contains = [s for s, name in self.sites.items() if fold(text) in fold(name)]
            if len(contains) == 1 and len(fold(text)) >= 4:
                return contains[0]
            raise InvalidValue(f"There is no establishment called {text}")
        return found

    def find_volunteer(self, values: Mapping[str, Any]) -> int:
        """The volunteer a training or clearance row is about: by id, email, or name
        (with the date of birth when two share a name)."""
        if "volunteer_id" in values:
            if values["volunteer_id"] not in self.volunteers:
                raise InvalidValue(f"No volunteer has id {values['volunteer_id']}")
            return values["volunteer_id"]
        person = Person(
            values.get("first_name", ""),
            values.get("last_name", ""),
            born=values.get("date_of_birth"),
            email=values.get("email", ""),
        )
        named = bool(person.first and person.last)
        by_email = self.people.by_email(person.email)
        if len(by_email) == 1 and (not named or self._agrees(by_email[0], person)):
            return int(by_email[0])
        if not named:
            raise InvalidValue(
                f"No volunteer has the email address {person.email}"
                if not by_email
                else f"{len(by_email)} volunteers share {person.email}: add their names"
            )
        same = self.people.by_name(person)
        if person.born is not None:
            same = [k for k in same if self.people.people[k].born == person.born]
        if len(by_email) > 1:
            same = [k for k in same if k in by_email] or same
        if len(same) == 1:
            return int(same[0])
        who = f"{person.first} {person.last}"
        if person.born is not None:
            who += f" born {format_uk_date(person.born)}"
        if same:
            raise InvalidValue(
                f"{len(same)} volunteers are called {who}: add a date of birth or email column"
            )
        maybe = [k for k, _reason in self.people.match(person).candidates][:3]
        hint = ""
        if maybe:
            hint = "; did you mean " + " or ".join(self.describe_volunteer(int(k)) for k in maybe)
        raise InvalidValue(f"No volunteer is called {who}{hint}")

    def _agrees(self, key: Any, person: Person) -> bool:
        other = self.people.people[key]
        return fold(other.last) == fold(person.last) or fold(other.first) == fold(person.first)

    def describe_volunteer(self, volunteer_id: int) -> str:
        v = self.volunteers[volunteer_id]
        text = f"{v['first_name']} {v['last_name']}"
        if v["date_of_birth"]:
            text += f" (born {format_uk_date(v['date_of_birth'])})"
        return text


def person_of(values: Mapping[str, Any]) -> Person:
    """A volunteer's (or an incoming row's) identifying details, for matching."""
    return Person(
        values.get("first_name") or "",
        values.get("last_name") or "",
        values.get("badge_name") or "",
        values.get("date_of_birth"),
        values.get("email") or "",
        values.get("phone") or "",
    )
