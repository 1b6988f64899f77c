"""Is this incoming person someone we already have, or someone earlier in the same file?

Indexed by folded surname with each form of the first name, by email and by date of
birth, so 7,000 rows against 7,000 volunteers is a handful of dictionary look-ups each,
never all pairs. A phone number only confirms a name match (households share landlines).

- **Same person** (an update): the same email and the same name, or the same name and the
  same date of birth. A shared email alone is not enough: couples and households share one.
- **Possible duplicate** (the user decides): a compatible first name (Bill = William,
  Siân = Sian, one typing slip) with the same surname, together with the same date of birth,
  email or phone; the same first name and date of birth with a surname one slip away;
  the same email with a different name; the same name where nothing tells them apart.
- Two different dates of birth always mean two different people.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from .folding import (
    email_key,
    first_name_keys,
    fold,
    fold_words,
    phone_key,
    same_first_name,
    within_one_edit,
)


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    badge: str = ""
    born: date | None = None
    email: str = ""
    phone: str = ""

    @property
    def surname_key(self) -> str:
        return fold(self.last)

    def first_names(self) -> tuple[str, ...]:
        return (self.first, self.badge) if self.badge else (self.first,)


@dataclass(frozen=True)
class Match:
    """The same person for sure (``exact``), or people it may be, each with why."""

    exact: Hashable | None = None
    exact_reason: str = ""
    candidates: tuple[tuple[Hashable, str], ...] = ()


def _same_name(a: Person, b: Person) -> bool:
    if a.surname_key != b.surname_key or not a.surname_key:
        return False
    return any(fold(x) == fold(y) for x in a.first_names() for y in b.first_names())


def _compatible_first(a: Person, b: Person) -> bool:
    return any(same_first_name(x, y) for x in a.first_names() for y in b.first_names())


class PersonIndex:
    """People by surname and first name (each nickname's canonical form too), email and
    date of birth; ``match`` finds who someone may be."""

    def __init__(self) -> None:
        self.people: dict[Hashable, Person] = {}
        self._by_name: dict[tuple[str, str], list[Hashable]] = defaultdict(list)
        self._by_email: dict[str, list[Hashable]] = defaultdict(list)
        self._by_born: dict[date, list[Hashable]] = defaultdict(list)

    def add(self, key: Hashable, person: Person) -> None:
        self.people[key] = person
        if person.surname_key:
            for first in _first_keys(person):
                self._by_name[(person.surname_key, first)].append(key)
        if email_key(person.email):
            self._by_email[email_key(person.email)].append(key)
        if person.born is not None:
            self._by_born[person.born].append(key)

    def by_email(self, email: str) -> list[Hashable]:
        return list(self._by_email.get(email_key(email), ())) if email_key(email) else []

    def _named_alike(self, person: Person) -> list[Hashable]:
        """The same surname and a first name that can be the same (Bill, William)."""
        found: dict[Hashable, None] = {}
        for first in _first_keys(person):
            found.update(dict.fromkeys(self._by_name.get((person.surname_key, first), ())))
        return list(found)

    def by_name(self, person: Person) -> list[Hashable]:
        """Everyone with exactly this name (first or known-as name, and surname)."""
        return [k for k in self._named_alike(person) if _same_name(person, self.people[k])]

    def match(self, person: Person) -> Match:
        exact: dict[Hashable, str] = {}
        maybe: dict[Hashable, str] = {}
        email = email_key(person.email)
        phone = phone_key(person.phone)
        for key in self.by_email(person.email):
            other = self.people[key]
            if _born_differ(person, other):
                maybe.setdefault(key, "same email address, but a different date of birth")
            elif _same_name(person, other):
                exact.setdefault(key, "same name and email address")
            else:
                maybe.setdefault(key, "same email address")
        for key in self._named_alike(person) if person.surname_key else ():
            other = self.people[key]
            if _born_differ(person, other):
                continue
            same = _same_name(person, other)
            if same and person.born is not None and other.born is not None:
                exact.setdefault(key, "same name and date of birth")
                continue
            reason = _corroborated(person, other, email, phone)
            if reason:
                maybe.setdefault(key, f"{'same' if same else 'similar'} name, {reason}")
            elif same:
                maybe.setdefault(key, "same name (nothing else to compare)")
        if person.born is not None:
            for key in self._by_born.get(person.born, ()):
                if key in exact or key in maybe:
                    continue
                other = self.people[key]
                if within_one_edit(person.surname_key, other.surname_key) and _compatible_first(
                    person, other
                ):
                    maybe[key] = "same date of birth, similar name"
        if len(exact) == 1:
            ((key, reason),) = exact.items()
            others = tuple((k, r) for k, r in maybe.items() if k != key)
            return Match(key, reason, others)
        ranked = {**exact, **{k: r for k, r in maybe.items() if k not in exact}}
        return Match(None, "", tuple(ranked.items()))


def _first_keys(person: Person) -> frozenset[str]:
    keys = first_name_keys(person.first)
    return keys | first_name_keys(person.badge) if person.badge else keys


def _born_differ(a: Person, b: Person) -> bool:
    return a.born is not None and b.born is not None and a.born != b.born


def _corroborated(a: Person, b: Person, email: str, phone: str) -> str:
    if a.born is not None and a.born == b.born:
        return "same date of birth"
    if email and email == email_key(b.email):
        return "same email address"
    if phone and phone == phone_key(b.phone):
        return "same phone number"
    return ""


# ----- communities ------------------------------------------------------------------------
_NOISE = {"the", "of", "and", "st", "saint", "church", "parish", "ce", "rc", "cofe", "for"}


@lru_cache(maxsize=4096)
def community_key(name: str) -> str:
    """ "St. Mary's Church, Westmoor" and "Saint Marys Westmoor" fold alike."""
    words = [w for w in fold_words(name.replace("&", " and ")).split() if w not in _NOISE]
    return "".join(words)


class NameIndex:
    """Communities by exact name (case-folded) and by a looser key."""

    def __init__(self, items: Iterable[tuple[Hashable, str]] = ()) -> None:
        self.names: dict[Hashable, str] = {}
        self._exact: dict[str, list[Hashable]] = defaultdict(list)
        self._loose: dict[str, list[Hashable]] = defaultdict(list)
        for key, name in items:
            self.add(key, name)

    def add(self, key: Hashable, name: str) -> None:
        self.names[key] = name
        self._exact[name.strip().casefold()].append(key)
        if community_key(name):
            self._loose[community_key(name)].append(key)

    def match(self, name: str) -> Match:
        exact = self._exact.get(name.strip().casefold(), [])
        loose = [k for k in self._loose.get(community_key(name), []) if k not in exact]
        candidates = tuple((k, "a similar name") for k in loose)
        if len(exact) == 1:
            return Match(exact[0], "same name", candidates)
        return Match(None, "", tuple((k, "same name") for k in exact) + candidates)
