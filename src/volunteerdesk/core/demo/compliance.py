"""Training records and clearances, with expiry dates spread around today.

Relative to ``today`` some items have expired, some expire within 30, 60 and 90 days,
most are comfortably valid, and some clearances are still pending. Renewals form chains
through ``renews_id`` (the newer record points at the one it replaces), as the
compliance service expects. The same records give each volunteer's *coverage*: from
when to when each requirement was met, which the rota uses to keep assignments legal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from random import Random

from ..models import ClearanceStatus, TrainingStatus, VolunteerStatus
from .people import Vol
from .world import FAR_FUTURE, Ids, PostSpec, add_months

# When a current item expires, relative to today: (category, weight).
EXPIRY_SPREAD = (("expired", 6), ("30", 5), ("60", 5), ("90", 5), ("valid", 79))
# Long-lived clearances can only be near expiry for people who started long ago.
LONG_SPREAD = (("expired", 9), ("30", 8), ("60", 8), ("90", 8), ("valid", 67))
PROVIDERS = {
    "SAFEGUARDING": ("Diocesan safeguarding team", "HMPPS e-learning", "Thirtyone:eight"),
    "SYCAMORE": ("Prison Fellowship",),
    "DESK_INDUCTION": ("Pact training team",),
}
DEFAULT_PROVIDERS = ("HMPPS e-learning", "Chaplaincy induction", "Establishment training unit")
SERVED = (VolunteerStatus.ACTIVE, VolunteerStatus.PAUSED, VolunteerStatus.LEFT)


@dataclass
class Catalogue:
    """The seeded catalogues, looked up by name or code."""

    faiths: dict[str, int]
    roles: dict[str, int]
    courses: dict[str, tuple[int, int | None]]  # code -> (id, validity months)
    # code -> (id, validity months, levels, per establishment)
    clearance_types: dict[str, tuple[int, int | None, list[str], bool]]

    def faith_id(self, name: str | None) -> int | None:
        return self.faiths.get(name) if name else None

    def role_id(self, name: str) -> int | None:
        return self.roles.get(name)

    def per_establishment(self, code: str) -> bool:
        found = self.clearance_types.get(code)
        return bool(found and found[3])


def _latest_interval(spans: list[tuple[date, date]]) -> tuple[date, date] | None:
    """The last of the merged intervals (contiguous renewals join up)."""
    merged: list[list[date]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + timedelta(days=1):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return (merged[-1][0], merged[-1][1]) if merged else None


class ComplianceMaker:
    def __init__(self, rng: Random, today: date, catalogue: Catalogue, ids: Ids, stamp: datetime):
        self.rng = rng
        self.today = today
        self.catalogue = catalogue
        self.ids = ids
        self.base = {"version": 1, "updated_at": stamp}
        self.training: list[dict] = []
        self.clearances: list[dict] = []
        # volunteer id -> (code, site id or None) -> (from, until) the item was in force
        self.coverage: dict[int, dict[tuple[str, int | None], tuple[date, date]]] = {}
        # Every world shows at least one refused and one withdrawn application.
        self.refused = self.withdrawn = 0

    # -- dates -------------------------------------------------------------------------
    def _between(self, first: date, last: date) -> date:
        if last <= first:
            return last
        return first + timedelta(days=self.rng.randint(0, (last - first).days))

    def _cycle(self, ref: date, earliest: date, months: int | None) -> tuple[date, date | None]:
        """(completed or granted, expires) of a current item, as of ``ref``."""
        if months is None:
            return self._between(max(earliest, ref - timedelta(days=15 * 365)), ref), None
        validity = (add_months(ref, months) - ref).days
        spread = LONG_SPREAD if months >= 60 else EXPIRY_SPREAD
        category = self.rng.choices(*zip(*spread, strict=True), k=1)[0]
        randint = self.rng.randint
        offset = {
            "expired": lambda: -randint(1, min(200, validity // 2)),
            "30": lambda: randint(0, 30),
            "60": lambda: randint(31, 60),
            "90": lambda: randint(61, 90),
            "valid": lambda: randint(91, max(92, validity - 5)),
        }[category]()
        start = add_months(ref + timedelta(days=offset), -months)
        if start > ref:
            start = ref
        if start < earliest:
            start = self._between(earliest, ref)
        return start, add_months(start, months)

    def _chain(
        self, ref: date, earliest: date, months: int | None, depth: int
    ) -> list[tuple[date, date | None]]:
        """The current cycle and up to ``depth`` earlier ones it renewed, oldest first."""
        chain = [self._cycle(ref, earliest, months)]
        while months and len(chain) <= depth and self.rng.random() < 0.8:
            expires = chain[0][0] + timedelta(days=self.rng.randint(-25, 20))
            start = add_months(expires, -months)
            if start < earliest:
                break
            chain.insert(0, (start, add_months(start, months)))
        return chain

    # -- training ----------------------------------------------------------------------
    def _courses(self, vol: Vol) -> list[tuple[str, float]]:
        keys = {post.key for post in vol.posts}
        if vol.status is VolunteerStatus.VETTING:
            return [("SAFEGUARDING", 0.5), ("CONDUCT", 0.4)]
        if vol.status is VolunteerStatus.APPLICANT:
            return [("SAFEGUARDING", 0.2)]
        if vol.status is VolunteerStatus.ENQUIRY:
            return []
        if vol.site.is_court:
            return [
                ("SAFEGUARDING", 0.95),
                ("CONDUCT", 0.9),
                ("DATA", 0.8),
                ("DESK_INDUCTION", 0.97),
                ("ACCT", 0.15),
            ]
        visiting = 0.9 if keys & {"opv", "wing"} else 0.75
        courses = [
            ("SAFEGUARDING", 0.95),
            ("CONDUCT", 0.93),
            ("FIRE", 0.8),
            ("DATA", 0.8),
            ("ACCT", visiting),
            ("CONDITIONING", visiting),
        ]
        if vol.key_holder:
            courses.append(("KEYS", 0.98))
        if "sycamore" in keys:
            courses.append(("SYCAMORE", 0.97))
        return courses

    def _training(self, vol: Vol, ref: date, earliest: date) -> None:
        rng = self.rng
        for code, chance in self._courses(vol):
            if code not in self.catalogue.courses or rng.random() > chance:
                continue
            course_id, months = self.catalogue.courses[code]
            depth = 3 if months == 12 else 1
            provider = rng.choice(PROVIDERS.get(code, DEFAULT_PROVIDERS))
            previous = None
            spans = []
            for completed, expires in self._chain(ref, earliest, months, depth):
                previous = self._training_row(
                    vol, course_id, code, completed, expires, provider, previous
                )
                spans.append((completed, expires or FAR_FUTURE))
            self.coverage.setdefault(vol.id, {})[(code, None)] = _latest_interval(spans)
            soon = expires is not None and expires <= self.today + timedelta(days=60)
            if vol.status is VolunteerStatus.ACTIVE and soon and rng.random() < 0.35:
                booked = self.today + timedelta(days=rng.randint(3, 75))
                self._training_row(vol, course_id, code, None, None, provider, previous, booked)

    def _training_row(
        self, vol, course_id, code, completed, expires, provider, renews, booked=None
    ):
        row_id = self.ids.next("training_records")
        reference = ""
        if completed and self.rng.random() < 0.7:
            reference = f"{code[:4]}-{completed.year}-{self.rng.randint(100, 99999):05d}"
        self.training.append(
            {
                "id": row_id,
                "volunteer_id": vol.id,
                "course_id": course_id,
                "status": TrainingStatus.BOOKED if booked else TrainingStatus.COMPLETED,
                "completed_on": completed,
                "booked_for": booked,
                "expires_on": expires,
                "expiry_overridden": False,
                "provider": provider,
                "certificate_ref": reference,
                "renews_id": renews,
                "notes": "Renewal booked" if booked else "",
                **self.base,
            }
        )
        return row_id

    # -- clearances --------------------------------------------------------------------
    def _level(self, vol: Vol, code: str) -> str:
        levels = self.catalogue.clearance_types[code][2]
        if not levels:
            return ""
        if code == "HMPPS":
            if vol.risk and "Standard Plus" in levels:
                return "Standard Plus"
            wanted = (
                "Enhanced Level 2"
                if vol.key_holder
                else self.rng.choice(("Baseline", "Baseline", "Enhanced Level 1"))
            )
        elif code == "DBS":
            wanted = self.rng.choice(("Enhanced", "Enhanced with barred lists"))
        else:
            wanted = levels[0]
        return wanted if wanted in levels else levels[0]

    def _reference(self, code: str, site, start: date) -> str:
        randint = self.rng.randint
        if code == "HMPPS":
            return f"HMPPS/{site.code if site else 'XXX'}/{randint(10000, 99999)}"
        if code == "CTC":
            return f"CTC/{start.year}/{randint(100000, 999999)}"
        if code == "PVG":
            digits = f"{randint(10**15, 10**16 - 1)}"
            return " ".join(digits[i : i + 4] for i in range(0, 16, 4))
        return ""

    def _clearance_row(self, vol, code, site, status, applied, granted=None, expires=None, **extra):
        type_id = self.catalogue.clearance_types[code][0]
        row_id = self.ids.next("clearances")
        decided = granted or extra.pop("decision_on", None)
        decision = {
            ClearanceStatus.GRANTED: "Cleared",
            ClearanceStatus.LAPSED: "Lapsed on leaving",
            ClearanceStatus.REFUSED: "Not cleared",
            ClearanceStatus.WITHDRAWN: "Withdrawn by the applicant",
        }.get(status, "")
        row = {
            "id": row_id,
            "volunteer_id": vol.id,
            "type_id": type_id,
            "site_id": site.id
            if site is not None and self.catalogue.per_establishment(code)
            else None,
            "status": status,
            "level": self._level(vol, code),
            "reference": self._reference(code, site, applied)
            if status is not ClearanceStatus.APPLIED
            else "",
            "applied_on": applied,
            "granted_on": granted,
            "expires_on": expires,
            "expiry_overridden": False,
            "renews_id": None,
            "dbs_certificate_number": "",
            "dbs_barred_list_checked": False,
            "dbs_update_service": False,
            "dbs_update_service_checked_on": None,
            "decision": decision,
            "decision_on": decided if decision else None,
            "notes": "",
            **self.base,
        }
        if code == "DBS" and granted:
            on_service = self.rng.random() < 0.55
            row.update(
                dbs_certificate_number=f"{self.rng.randint(0, 10**12 - 1):012d}",
                dbs_barred_list_checked="barred" in row["level"],
                dbs_update_service=on_service,
                dbs_update_service_checked_on=self._between(granted, self.today)
                if on_service
                else None,
            )
        row.update(extra)
        self.clearances.append(row)
        return row

    def _granted(self, vol: Vol, code: str, site, ref: date, earliest: date, depth: int = 1):
        if code not in self.catalogue.clearance_types:
            return
        rng = self.rng
        months = self.catalogue.clearance_types[code][1]
        wait = {"HMPPS": (20, 100), "CTC": (30, 150), "DBS": (5, 40), "PVG": (10, 60)}[code]
        previous, spans, row = None, [], None
        for granted, expires in self._chain(ref, earliest, months, depth):
            days = rng.randint(*wait) if rng.random() > 0.1 else rng.randint(120, 420)
            row = self._clearance_row(
                vol, code, site, ClearanceStatus.GRANTED, granted - timedelta(days=days), granted,
                expires, renews_id=previous,
            )  # fmt: skip
            previous = row["id"]
            spans.append((granted, expires or FAR_FUTURE))
        if vol.status is VolunteerStatus.LEFT:
            row.update(status=ClearanceStatus.LAPSED, decision="Lapsed on leaving")
            row["decision_on"] = vol.left_on
            spans[-1] = (spans[-1][0], min(spans[-1][1], vol.left_on))
        key = (code, row["site_id"])
        self.coverage.setdefault(vol.id, {})[key] = _latest_interval(spans)
        expires = row["expires_on"]
        due = expires and self.today - timedelta(days=150) <= expires <= self.today + timedelta(
            days=90
        )
        if vol.status is VolunteerStatus.ACTIVE and due and rng.random() < 0.5:
            self._pending(vol, code, site, renews=row["id"])

    def _pending(self, vol: Vol, code: str, site, applied: date | None = None, renews=None):
        applied = applied or self.today - timedelta(
            days=min(480, 5 + int(self.rng.expovariate(1 / 60)))
        )
        status = ClearanceStatus.IN_PROGRESS if self.rng.random() < 0.6 else ClearanceStatus.APPLIED
        self._clearance_row(vol, code, site, status, applied, renews_id=renews)

    def _clearances(self, vol: Vol, ref: date) -> None:
        rng = self.rng
        prisons = [s for s in vol.sites if not s.is_court]
        court = vol.site.is_court
        scotland = any(s.nation == "scotland" for s in vol.sites)
        portable = "PVG" if court and scotland else "DBS"
        if vol.status in SERVED and vol.started_on:
            earliest = vol.started_on - timedelta(days=150)
            for site in prisons:
                self._granted(vol, "HMPPS", site, ref, earliest, depth=2)
            if prisons and any(_needs(p, "CTC") for p in vol.posts) and rng.random() < 0.96:
                self._granted(vol, "CTC", None, ref, earliest)
            if prisons and scotland:
                self._granted(vol, "PVG", None, ref, earliest)
            visiting = any(p.key in ("opv", "sycamore") for p in vol.posts)
            if (
                court
                and rng.random() < 0.97
                or prisons
                and rng.random() < (0.8 if visiting else 0.45)
            ):
                self._granted(vol, portable, None, ref, earliest, depth=2)
        elif vol.status is VolunteerStatus.VETTING:
            for site in prisons:
                self._pending(vol, "HMPPS", site, applied=vol.status_since)
            if prisons and rng.random() < 0.5:
                self._pending(vol, "CTC", None, applied=vol.status_since)
            if court:
                self._pending(vol, portable, None, applied=vol.status_since)
        elif vol.status is VolunteerStatus.APPLICANT:
            since = vol.status_since
            if prisons and (not self.refused or rng.random() < 0.12):
                self.refused += 1
                decided = self._between(since, self.today)
                self._clearance_row(
                    vol, "HMPPS", prisons[0], ClearanceStatus.REFUSED, since, decision_on=decided
                )
            elif rng.random() < 0.3:
                self._pending(vol, portable, None, applied=since)
        elif vol.status is VolunteerStatus.ENQUIRY and (not self.withdrawn or rng.random() < 0.15):
            self.withdrawn += 1
            since = vol.status_since
            self._clearance_row(
                vol, portable, None, ClearanceStatus.WITHDRAWN, since - timedelta(days=20),
                decision_on=since,
            )  # fmt: skip

    def volunteer(self, vol: Vol) -> None:
        ref = vol.left_on or self.today
        since = vol.started_on or vol.status_since or self.today
        self._training(vol, ref, since - timedelta(days=60))
        self._clearances(vol, ref)

    def window(self, vol: Vol, post: PostSpec) -> tuple[date, date] | None:
        """When ``vol`` met every mandatory need of ``post`` (None: never in the span)."""
        active = vol.active_window
        if active is None:
            return None
        if post.faith and post.faith_mandatory and not vol.serves_faith(post.faith):
            return None
        start, end = active
        coverage = self.coverage.get(vol.id, {})
        for need in post.requirements:
            if not need.mandatory:
                continue
            per_site = need.is_clearance and self.catalogue.per_establishment(need.code)
            span = coverage.get((need.code, post.site_id if per_site else None))
            if span is None:
                return None
            start, end = max(start, span[0]), min(end, span[1])
        return (start, end) if start <= end else None


def _needs(post: PostSpec, code: str) -> bool:
    return any(need.code == code and need.mandatory for need in post.requirements)
