"""The preview for volunteers and for communities: new, update, or a possible duplicate.

A row is compared with the records already held and with the rows above it in the same
file. Religion or belief is special-category data: a faith is imported only where the
file says the volunteer consented (or the record already holds their consent).
"""

from __future__ import annotations

from typing import Any

from ..models import CommunityKind, VolunteerStatus
from ..validation import InvalidValue, format_uk_date
from .context import ImportContext, person_of
from .duplicates import Match, NameIndex, PersonIndex
from .plan import Candidate, Outcome, PlanRow, differences, error_row
from .validate import RowValues

VOLUNTEER_FIELDS = (
    "title",
    "first_name",
    "last_name",
    "badge_name",
    "date_of_birth",
    "email",
    "phone",
    "address",
    "postcode",
    "emergency_contact_name",
    "emergency_contact_phone",
    "emergency_contact_relation",
    "status",
    "started_on",
    "left_on",
    "languages",
    "key_holder",
    "max_shifts_per_month",
    "notes",
)
COMMUNITY_FIELDS = (
    "name",
    "kind",
    "tradition",
    "contact_name",
    "contact_email",
    "contact_phone",
    "address",
    "endorsing_authority",
    "agreement_signed_on",
    "review_due_on",
    "notes",
)
NO_CONSENT = (
    "Faith not imported: religion or belief is recorded only with the volunteer's consent "
    "(add a 'Faith consent' column saying yes)"
)


def volunteer_label(values: dict[str, Any]) -> str:
    name = f"{values.get('first_name', '')} {values.get('last_name', '')}".strip()
    if not name and values.get("volunteer_id"):
        name = f"Volunteer {values['volunteer_id']}"
    born = values.get("date_of_birth")
    return f"{name}, born {format_uk_date(born)}" if born else name or "(no name)"


def volunteer_values(
    ctx: ImportContext, rv: RowValues, existing: dict[str, Any] | None = None
) -> tuple[dict[str, Any], list[str]]:
    """The model values a row asks for, with communities and faiths resolved to ids."""
    given = rv.values
    values = {key: given[key] for key in VOLUNTEER_FIELDS if key in given}
    warnings: list[str] = []
    if "status" in values:
        values["status"] = VolunteerStatus(values["status"])
    if "community" in given:
        try:
            values["community_id"] = ctx.find_community(given["community"])
        except InvalidValue as exc:
            rv.fail("community", str(exc))
    consent = given.get("faith_consent")
    consented = consent is True or (
        consent is None and existing is not None and existing.get("faith_consent")
    )
    if "faith" in given:
        if not consented:
            warnings.append(NO_CONSENT)
        else:
            try:
                values["faith_id"] = ctx.find_faith(given["faith"])
            except InvalidValue as exc:
                rv.fail("faith", str(exc))
    if consent is True:
        values["faith_consent"] = True
        if not (existing and existing.get("faith_consent")):
            values["faith_consent_on"] = ctx.today
    elif consent is False:  # consent withdrawn (or never given): no faith kept
        values.update(faith_consent=False, faith_id=None, faith_consent_on=None)
    return values, warnings


def _update(ctx: ImportContext, row: PlanRow, record_id: int) -> PlanRow:
    current = ctx.volunteers[record_id]
    values = dict(row.values)
    if "status" in values and values["status"] != current["status"]:
        values["status_since"] = ctx.today
    row.values, row.record_id, row.version = values, record_id, current["version"]
    row.changes = differences(current, values)
    row.outcome = Outcome.UPDATE if row.changes else Outcome.UNCHANGED
    if not row.changes:
        row.note = "already up to date"
    return row


def _new_volunteer(ctx: ImportContext, row: PlanRow) -> PlanRow:
    defaults = {
        "status": VolunteerStatus.ACTIVE,
        "status_since": ctx.today,
        "max_shifts_per_month": ctx.default_max_shifts,
    }
    row.defaults = {k: v for k, v in defaults.items() if k not in row.values}
    row.outcome = Outcome.NEW
    return row


def _candidates(
    match: Match, name_of, version_of, row_match: Match, row_labels: dict[int, str]
) -> list[Candidate]:
    found: list[Candidate] = []
    for key, reason in (
        [(row_match.exact, row_match.exact_reason)] if row_match.exact else []
    ) + list(row_match.candidates):
        found.append(Candidate(None, int(key), row_labels[int(key)], reason))
    for key, reason in ([(match.exact, match.exact_reason)] if match.exact else []) + list(
        match.candidates
    ):
        found.append(Candidate(int(key), None, name_of(int(key)), reason, version_of(int(key))))
    return found


def plan_volunteers(ctx: ImportContext, rows: list[RowValues]) -> list[PlanRow]:
    planned: list[PlanRow] = []
    incoming = PersonIndex()  # rows of this file, by row number
    labels: dict[int, str] = {}
    claimed: dict[int, int] = {}  # volunteer id -> the row that updates it
    for rv in rows:
        vid = rv.values.get("volunteer_id")
        existing = ctx.volunteers.get(vid) if vid else None
        values, warnings = volunteer_values(ctx, rv, existing)
        label = volunteer_label({**rv.values, **values})
        if vid is not None and existing is None:
            rv.fail("volunteer_id", f"No volunteer has id {vid}")
        if rv.errors:
            planned.append(error_row(rv, label))
            continue
        row = PlanRow(rv.row, Outcome.NEW, label, values, warnings=warnings)
        person = person_of({**(existing or {}), **values})
        if vid is not None:
            match, row_match = Match(vid, "same id"), Match()
        else:
            match, row_match = ctx.people.match(person), incoming.match(person)
        candidates = _candidates(
            match, ctx.describe_volunteer, lambda k: ctx.volunteers[k]["version"], row_match, labels
        )
        if match.exact is not None and int(match.exact) in claimed:
            earlier = claimed[int(match.exact)]
            candidates = [c for c in candidates if c.row != earlier]
            candidates.insert(0, Candidate(None, earlier, labels[earlier], "the same volunteer"))
        if any(c.row is not None for c in candidates) or (match.exact is None and candidates):
            _new_volunteer(ctx, row)
            row.outcome, row.candidates = Outcome.DUPLICATE, candidates
        elif match.exact is not None:
            _update(ctx, row, int(match.exact))
            row.candidates = candidates[1:]
            claimed[int(match.exact)] = rv.row
            if row.candidates:
                row.warnings.append("Also like: " + "; ".join(c.text for c in row.candidates))
        else:
            _new_volunteer(ctx, row)
        incoming.add(rv.row, person)
        labels[rv.row] = label
        planned.append(row)
    return planned


# ----- communities ------------------------------------------------------------------------
def community_values(ctx: ImportContext, rv: RowValues) -> dict[str, Any]:
    given = rv.values
    values = {key: given[key] for key in COMMUNITY_FIELDS if key in given}
    if "kind" in values:
        values["kind"] = CommunityKind(values["kind"])
    if "faith" in given:
        try:
            values["faith_id"] = ctx.find_faith(given["faith"])
        except InvalidValue as exc:
            rv.fail("faith", str(exc))
    return values


def plan_communities(ctx: ImportContext, rows: list[RowValues]) -> list[PlanRow]:
    planned: list[PlanRow] = []
    incoming = NameIndex()
    labels: dict[int, str] = {}
    claimed: dict[int, int] = {}
    names = {cid: c["name"] for cid, c in ctx.communities.items()}
    for rv in rows:
        values = community_values(ctx, rv)
        label = values.get("name", "(no name)")
        if rv.errors:
            planned.append(error_row(rv, label))
            continue
        row = PlanRow(rv.row, Outcome.NEW, label, values)
        match, row_match = ctx.community_names.match(label), incoming.match(label)
        candidates = _candidates(
            match, names.__getitem__, lambda k: ctx.communities[k]["version"], row_match, labels
        )
        if match.exact is not None and int(match.exact) in claimed:
            earlier = claimed[int(match.exact)]
            candidates = [c for c in candidates if c.row != earlier]
            candidates.insert(0, Candidate(None, earlier, labels[earlier], "the same community"))
        if any(c.row is not None for c in candidates) or (match.exact is None and candidates):
            row.outcome, row.candidates = Outcome.DUPLICATE, candidates
            if any(c.reason in ("same name", "the same community") for c in candidates):
                row.no_create = "a community with the same name exists: merge or skip"
        elif match.exact is not None:
            cid = int(match.exact)
            current = ctx.communities[cid]
            row.record_id, row.version = cid, current["version"]
            row.changes = differences(current, values)
            row.outcome = Outcome.UPDATE if row.changes else Outcome.UNCHANGED
            claimed[cid] = rv.row
        if "kind" not in values:
            row.defaults = {"kind": CommunityKind.FAITH_COMMUNITY}
        incoming.add(rv.row, label)
        labels[rv.row] = label
        planned.append(row)
    return planned
