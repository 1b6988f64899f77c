"""The preview for training records and clearances: whose they are, and new or known.

A row names its volunteer by id, email, or name (with the date of birth when two share a
name). A training row gives one course and its date, or several course columns of dates
("Safeguarding date", "Key training date"): one record each. The expiry is worked out
from the course's or clearance type's validity unless the file gives another date.
DBS details are kept only as DOMAIN.md allows (never the certificate's content).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta

from ..models import ClearanceStatus, TrainingStatus
from ..validation import InvalidValue, format_uk_date
from .context import ImportContext
from .folding import fold
from .plan import Outcome, PlanRow, differences, error_row
from .plan_people import volunteer_label
from .targets import COURSE_PREFIX
from .validate import CellError, RowValues

WHO_KEYS = ("volunteer_id", "full_name", "last_name", "first_name", "email")
TRAINING_EXTRA = ("provider", "certificate_ref", "notes")
CLEARANCE_EXTRA = (
    "level",
    "reference",
    "applied_on",
    "granted_on",
    "decision",
    "decision_on",
    "notes",
)
DBS_FIELDS = (
    "dbs_certificate_number",
    "dbs_barred_list_checked",
    "dbs_update_service",
    "dbs_update_service_checked_on",
)
PENDING = (ClearanceStatus.APPLIED, ClearanceStatus.IN_PROGRESS)


def expiry(start: date | None, months: int | None, given: date | None) -> tuple[date | None, bool]:
    """The expiry date and whether it was overridden (given, and not what the rule says)."""
    computed = start + relativedelta(months=months) if start and months else None
    if given is None:
        return computed, False
    return given, given != computed


def _who(ctx: ImportContext, rv: RowValues) -> tuple[int | None, str]:
    try:
        vid = ctx.find_volunteer(rv.values)
    except InvalidValue as exc:
        given = [k for k in WHO_KEYS if k in rv.values]
        rv.fail(rv.first_column(*given, *WHO_KEYS), str(exc))
        return None, volunteer_label(rv.values)
    v = ctx.volunteers[vid]
    return vid, f"{v['first_name']} {v['last_name']}"


def _known(
    row: PlanRow, found: dict[str, Any], values: dict[str, Any], keys: tuple[str, ...]
) -> PlanRow:
    """An update (or nothing to do) of the record ``found``, with the fields in ``keys``."""
    wanted = {k: values[k] for k in keys if k in values}
    row.values, row.record_id, row.version = wanted, found["id"], found["version"]
    row.changes = differences(found, wanted)
    row.outcome = Outcome.UPDATE if row.changes else Outcome.UNCHANGED
    if not row.changes:
        row.note = "already recorded"
    return row


# ----- training ---------------------------------------------------------------------------
def _courses(ctx: ImportContext, rv: RowValues) -> list[tuple[int, date | None, date | None]]:
    """(course id, completed on, booked for) for each course the row gives a date for."""
    v, items = rv.values, []
    if "course" in v:
        try:
            course_id = ctx.find_course(v["course"])
        except InvalidValue as exc:
            rv.fail("course", str(exc))
        else:
            done = v.get("completed_on")
            items.append((course_id, done, None if done else v.get("booked_for")))
    codes = {course.code: cid for cid, course in ctx.courses.items()}
    for key in v:
        if key.startswith(COURSE_PREFIX) and key[len(COURSE_PREFIX) :] in codes:
            items.append((codes[key[len(COURSE_PREFIX) :]], v[key], None))
    return items


def plan_training(ctx: ImportContext, rows: list[RowValues]) -> list[PlanRow]:
    planned: list[PlanRow] = []
    seen: dict[tuple[int, int, date | None], int] = {}
    for rv in rows:
        vid, who = _who(ctx, rv)
        items = _courses(ctx, rv)
        if rv.errors or vid is None:
            planned.append(error_row(rv, who))
            continue
        if not items:
            planned.append(PlanRow(rv.row, Outcome.UNCHANGED, who, note="no training dates"))
            continue
        for course_id, done, booked in items:
            course = ctx.courses[course_id]
            given = rv.values.get("expires_on") if "course" in rv.values else None
            expires, overridden = expiry(done, course.validity_months, given)
            when = (
                f"completed {format_uk_date(done)}"
                if done
                else f"booked for {format_uk_date(booked)}"
            )
            row = PlanRow(rv.row, Outcome.NEW, f"{who}: {course.name}, {when}")
            if done and expires and expires < done:
                row.outcome = Outcome.ERROR
                message = f"The expiry date is before completion ({format_uk_date(done)})"
                row.errors.append(CellError(rv.row, rv.columns.get("expires_on", ""), message))
                planned.append(row)
                continue
            values = {
                "volunteer_id": vid,
                "course_id": course_id,
                "status": TrainingStatus.COMPLETED if done else TrainingStatus.BOOKED,
                "completed_on": done,
                "booked_for": booked,
                "expires_on": expires if done else given,
                "expiry_overridden": overridden if done else given is not None,
                **{k: rv.values[k] for k in TRAINING_EXTRA if k in rv.values},
            }
            key = (vid, course_id, done or booked)
            if key in seen:
                row.outcome, row.note = Outcome.UNCHANGED, f"same as row {seen[key]}"
                planned.append(row)
                continue
            seen[key] = rv.row
            same = [
                r
                for r in ctx.training.get((vid, course_id), [])
                if r["completed_on"] == done and (done or r["booked_for"] == booked)
            ]
            if same:
                keys = TRAINING_EXTRA + (("expires_on", "expiry_overridden") if given else ())
                _known(row, same[0], values, keys)
            else:
                row.values = values
            planned.append(row)
    return planned


# ----- clearances -------------------------------------------------------------------------
def _type_and_site(ctx: ImportContext, rv: RowValues, row_warnings: list[str]):
    v = rv.values
    type_id = site_id = None
    if "type" in v:
        try:
            type_id = ctx.find_type(v["type"])
        except InvalidValue as exc:
            rv.fail("type", str(exc))
            return None, None
    else:
        type_id = ctx.type_by_code("DBS")
        if type_id is None:
            rv.fail(None, "Give the type of clearance")
            return None, None
    kind = ctx.types[type_id]
    if kind.per_establishment:
        if "site" not in v:
            rv.fail(
                rv.first_column("site", "type"),
                f"{kind.name} is per establishment: give the establishment",
            )
        else:
            try:
                site_id = ctx.find_site(v["site"])
            except InvalidValue as exc:
                rv.fail("site", str(exc))
    elif "site" in v:
        row_warnings.append(
            f"{kind.name} is not per establishment: the establishment is not recorded"
        )
    return type_id, site_id


def _level(ctx: ImportContext, rv: RowValues, type_id: int) -> None:
    level = rv.values.get("level")
    if not level:
        return
    kind = ctx.types[type_id]
    levels = [x.strip() for x in kind.levels.split(",") if x.strip()]
    found = next((x for x in levels if fold(x) == fold(level)), None)
    if found is None:
        choices = f" ({', '.join(levels)})" if levels else ": leave the level blank"
        rv.fail("level", f"{level} is not a level of {kind.name}{choices}")
    else:
        rv.values["level"] = found


def _same_clearance(found: list[dict[str, Any]], values: dict[str, Any]) -> dict[str, Any] | None:
    for key in ("reference", "dbs_certificate_number", "granted_on", "applied_on"):
        if values.get(key):
            same = [r for r in found if r[key] == values[key]]
            if same:
                return same[0]
    pending = [r for r in found if r["status"] in PENDING]
    return pending[0] if len(pending) == 1 else None


def plan_clearances(ctx: ImportContext, rows: list[RowValues]) -> list[PlanRow]:
    planned: list[PlanRow] = []
    seen: dict[tuple, int] = {}
    for rv in rows:
        warnings: list[str] = []
        vid, who = _who(ctx, rv)
        type_id, site_id = _type_and_site(ctx, rv, warnings)
        if type_id is not None:
            _level(ctx, rv, type_id)
        if rv.errors or vid is None or type_id is None:
            planned.append(error_row(rv, who))
            continue
        kind, v = ctx.types[type_id], rv.values
        status = ClearanceStatus(v["status"]) if "status" in v else None
        if status is None:
            status = ClearanceStatus.GRANTED if v.get("granted_on") else ClearanceStatus.APPLIED
        given = v.get("expires_on")
        expires, overridden = expiry(v.get("granted_on"), kind.validity_months, given)
        values = {
            "volunteer_id": vid,
            "type_id": type_id,
            "site_id": site_id,
            "status": status,
            "expires_on": expires,
            "expiry_overridden": overridden,
            **{k: v[k] for k in CLEARANCE_EXTRA if k in v},
        }
        if kind.is_dbs:
            values.update({k: v[k] for k in DBS_FIELDS if k in v})
        elif any(k in v for k in DBS_FIELDS):
            warnings.append(f"DBS details are kept only for a DBS check, not for {kind.name}")
        place = f" at {ctx.sites[site_id]}" if site_id else ""
        when = v.get("granted_on") or v.get("applied_on")
        label = f"{who}: {kind.name}{place}, {status.value.replace('_', ' ')}"
        label += f" {format_uk_date(when)}" if when else ""
        row = PlanRow(rv.row, Outcome.NEW, label, values, warnings=warnings)
        key = (
            vid,
            type_id,
            site_id,
            *(
                values.get(k)
                for k in ("reference", "dbs_certificate_number", "granted_on", "applied_on")
            ),
        )
        if key in seen:
            row.outcome, row.note = Outcome.UNCHANGED, f"same as row {seen[key]}"
            planned.append(row)
            continue
        seen[key] = rv.row
        same = _same_clearance(ctx.clearances.get((vid, type_id, site_id), []), values)
        if same is not None:
            keys = (*CLEARANCE_EXTRA, *DBS_FIELDS)
            if "status" in v or status is ClearanceStatus.GRANTED:
                keys += ("status",)
            if given is not None or ("granted_on" in v and not same["expiry_overridden"]):
                keys += ("expires_on", "expiry_overridden")
            _known(row, same, values, keys)
        planned.append(row)
    return planned
