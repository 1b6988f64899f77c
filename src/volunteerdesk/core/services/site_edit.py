"""Creating and changing prisons and courts, their closure days, posts and patterns.

Every write goes through ``editing`` (optimistic locking and the audit log). A site's
closure and exception days, and a post's requirements and repeat patterns, are saved
with their parent as the difference between what the editor opened (``before``) and
what it saves: a day someone else added meanwhile survives, and the parent's version
goes up so that a second editor of the same site or post meets the usual conflict.
What the editors open comes from ``sites`` (``load_site``, ``load_post``...).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from datetime import date, time
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import audit
from ..changes import Changes
from ..models import (
    Clearance,
    Faith,
    Jurisdiction,
    Post,
    PostKind,
    PostRequirement,
    RecurrencePattern,
    Shift,
    Site,
    SiteDay,
    SiteDayKind,
    SiteKind,
    volunteer_sites,
)
from ..models.base import utcnow
from ..scheduling.patterns import PatternChoice, describe, to_rule
from ..scheduling.recurrence import PatternError
from ..validation import InvalidValue, check_email, check_uk_phone, format_uk_date, require
from . import editing
from .community_edit import InUse, SaveResult
from .sites import (
    POST_FIELDS,
    SITE_FIELDS,
    RequirementValue,
    SiteDayValue,
    new_post_values,
    new_site_values,
    post_names,
    site_names,
)

_PHONES = {"phone", "security_contact_phone", "coordinator_phone", "safeguarding_contact_phone"}
_TIME = re.compile(r"(\d{1,2})[:.](\d{2})|(\d{2})(\d{2})")


def parse_time(value: str | time | None) -> time | None:
    """A wall-clock time from HH:MM (also H:MM, HH.MM, HHMM); empty gives None."""
    if value is None or isinstance(value, time):
        return value
    text = str(value).strip()
    if not text:
        return None
    match = _TIME.fullmatch(text)
    if match:
        hours, minutes = (int(g) for g in match.groups() if g is not None)
        if hours < 24 and minutes < 60:
            return time(hours, minutes)
    raise InvalidValue(f"{text} is not a time (use HH:MM, like 08:00)")


def format_time(value: time | None) -> str:
    return value.strftime("%H:%M") if value else ""


def _enum(cls, value, what: str):
    try:
        return cls(value)
    except ValueError:
        raise InvalidValue(f"{value!r} is not a {what}") from None


def _strip(values: Mapping[str, Any], allowed: tuple[str, ...], what: str) -> dict[str, Any]:
    unknown = set(values) - set(allowed)
    if unknown:
        raise ValueError(f"not {what} fields: {sorted(unknown)}")
    return {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}


def _apply_delta(
    session: Session,
    model: type,
    parent: dict[str, Any],
    rows: Mapping[Hashable, Any],
    before: Mapping[Hashable, Any],
    after: Mapping[Hashable, Any],
    record: Callable[[Any], dict[str, Any]],
    username: str,
    summary: Callable[[str, Any], str],
) -> int:
    """Delete what was removed since ``before``, create or update what was added or
    changed; ``rows`` are the stored rows by the same keys. Returns how many changed."""
    done = 0
    for key in [k for k in before if k not in after]:
        row = rows.get(key)
        if row is not None:  # else someone else removed it already
            text = summary("Removed", before[key])
            editing.delete(session, model, row.id, None, username, summary=text)
            done += 1
    for key, value in after.items():
        if before.get(key) == value:
            continue
        values, row = record(value), rows.get(key)
        if row is None:
            text = summary("Added", value)
            editing.create(session, model, {**parent, **values}, username, summary=text)
        else:
            changed = {k: v for k, v in values.items() if getattr(row, k) != v}
            if not changed:
                continue
            text = summary("Changed", value)
            editing.update(session, model, row.id, row.version, changed, username, summary=text)
        done += 1
    return done


# ----- sites and their days ----------------------------------------------------------------
def check_site(values: Mapping[str, Any]) -> dict[str, Any]:
    """The values cleaned and checked; raises ``InvalidValue`` with a message for the user."""
    clean = _strip(values, SITE_FIELDS, "site")
    if "name" in clean:
        clean["name"] = require(clean["name"], "Name")
    if "kind" in clean:
        clean["kind"] = _enum(SiteKind, clean["kind"], "kind of site")
    if "jurisdiction" in clean:
        clean["jurisdiction"] = _enum(Jurisdiction, clean["jurisdiction"], "jurisdiction")
    for key in _PHONES & set(clean):
        clean[key] = check_uk_phone(clean[key] or "")
    if "security_contact_email" in clean:
        clean["security_contact_email"] = check_email(clean["security_contact_email"] or "")
    for key in ("morning_gate_time", "afternoon_gate_time"):
        if key in clean:
            clean[key] = parse_time(clean[key])
    if "postcode" in clean:
        clean["postcode"] = " ".join((clean["postcode"] or "").upper().split())
    return clean


def check_site_days(days: Iterable[SiteDayValue]) -> tuple[SiteDayValue, ...]:
    days = tuple(days)
    seen: set[date] = set()
    for value in days:
        _enum(SiteDayKind, value.kind, "kind of day")
        if value.day in seen:
            raise InvalidValue(f"{format_uk_date(value.day)} is listed twice")
        if len(value.reason) > 200:
            raise InvalidValue(f"The reason for {format_uk_date(value.day)} is too long")
        seen.add(value.day)
    return tuple(sorted(days, key=lambda d: d.day))


def apply_site_days(
    session: Session,
    site: Site,
    before: Sequence[SiteDayValue],
    after: Sequence[SiteDayValue],
    username: str,
) -> int:
    """Apply the closure and exception days added, changed and removed since ``before``."""
    rows = session.scalars(select(SiteDay).where(SiteDay.site_id == site.id))

    def summary(verb: str, value: SiteDayValue) -> str:
        return f"{verb} {value.kind} day {format_uk_date(value.day)} at {site.name}"

    return _apply_delta(
        session,
        SiteDay,
        {"site_id": site.id},
        {row.day: row for row in rows},
        {d.day: d for d in before},
        {d.day: d for d in check_site_days(after)},
        lambda d: {"day": d.day, "kind": SiteDayKind(d.kind), "reason": d.reason.strip()},
        username,
        summary,
    )


def save_site(
    session: Session,
    site_id: int | None,
    values: Mapping[str, Any],
    username: str,
    *,
    version: int | None = None,
    opened: Mapping[str, Any] | None = None,
    days_before: Sequence[SiteDayValue] = (),
) -> SaveResult:
    """Create a site (``values`` whole) or update one (the changed ``values``); a
    ``days`` value is its closure and exception days, applied as the difference from
    ``days_before``. A stale ``version`` raises ``ConflictError``."""
    values = dict(values)
    days = values.pop("days", None)
    clean = check_site(values)
    if site_id is None:
        defaults = {k: v for k, v in new_site_values().items() if k != "days"}
        record = check_site({**defaults, **clean})
        if record["name"].casefold() in site_names(session):
            raise InvalidValue(f"There is already a site called {record['name']}")
        summary = f"Created site {record['name']}"
        site = editing.create(session, Site, record, username, summary=summary)
        days_before = ()
    else:
        site = session.get(Site, site_id)
        if site is None:
            raise editing.RecordGone("This site has been deleted by someone else.")
        if "name" in clean and clean["name"].casefold() in site_names(session, site_id):
            raise InvalidValue(f"There is already a site called {clean['name']}")
        if days is not None and tuple(days) != tuple(days_before):
            clean["updated_at"] = utcnow()  # the days are part of the site: its version moves
        site = editing.update(
            session,
            Site,
            site_id,
            site.version if version is None else version,
            clean,
            username,
            opened=opened,
            summary=f"Updated site {site.name}",
        )
    if days is not None:
        apply_site_days(session, site, days_before, days, username)
        session.flush()
    changes = Changes.of("sites", ids=(("sites", site.id),))
    return SaveResult(site.id, site.version, changes, audit.column_values(site), site.name)


def _count(session: Session, query) -> int:
    return int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)


def delete_site(session: Session, site_id: int, version: int | None, username: str) -> Changes:
    """Delete a site nothing depends on yet; else ``InUse`` (mark it inactive instead)."""
    site = session.get(Site, site_id)
    if site is None:
        raise editing.RecordGone("This site has already been deleted.")
    counts = (
        (_count(session, select(Post.id).where(Post.site_id == site_id)), "post"),
        (
            _count(
                session,
                select(volunteer_sites.c.volunteer_id).where(volunteer_sites.c.site_id == site_id),
            ),
            "volunteer",
        ),
        (_count(session, select(Clearance.id).where(Clearance.site_id == site_id)), "clearance"),
    )
    parts = [f"{n} {word}{'s' if n != 1 else ''}" for n, word in counts if n]
    if parts:
        raise InUse(
            f"{site.name} cannot be deleted: it has {', '.join(parts)}. Untick Active on "
            "its record instead."
        )
    summary = f"Deleted site {site.name}"
    editing.delete(session, Site, site_id, version, username, summary=summary)
    return Changes.of("sites", ids=(("sites", site_id),))


# ----- posts, their requirements and patterns ----------------------------------------------
def check_post(values: Mapping[str, Any]) -> dict[str, Any]:
    """The values cleaned and checked; raises ``InvalidValue`` with a message for the user."""
    clean = _strip(values, POST_FIELDS, "post")
    if "name" in clean:
        clean["name"] = require(clean["name"], "Name")
    if "kind" in clean:
        clean["kind"] = _enum(PostKind, clean["kind"], "kind of post")
    for key, label in (("start_time", "Start time"), ("end_time", "End time")):
        if key in clean:
            clean[key] = parse_time(clean[key])
            if clean[key] is None:
                raise InvalidValue(f"{label} is required")
    for key in ("min_volunteers", "max_volunteers"):
        if key in clean and int(clean[key]) < 0:
            raise InvalidValue("The number of volunteers cannot be negative")
    return clean


def check_post_order(record: Mapping[str, Any]) -> None:
    """The session ends after it starts, and the most is not fewer than the fewest."""
    start, end = record.get("start_time"), record.get("end_time")
    if start is not None and end is not None and end <= start:
        raise InvalidValue(f"The end ({format_time(end)}) is not after the start")
    low, high = record.get("min_volunteers"), record.get("max_volunteers")
    if low is not None and high is not None and int(high) < int(low):
        raise InvalidValue(f"The most volunteers ({high}) is fewer than the fewest ({low})")


def apply_requirements(
    session: Session,
    post: Post,
    before: Sequence[RequirementValue],
    after: Sequence[RequirementValue],
    username: str,
) -> int:
    after = tuple(after)
    if any((r.clearance_type_id is None) == (r.course_id is None) for r in after):
        raise ValueError("a requirement is either a clearance type or a course")
    rows = session.scalars(select(PostRequirement).where(PostRequirement.post_id == post.id))
    return _apply_delta(
        session,
        PostRequirement,
        {"post_id": post.id},
        {(row.clearance_type_id or 0, row.course_id or 0): row for row in rows},
        {r.key: r for r in before},
        {r.key: r for r in after},
        lambda r: {
            "clearance_type_id": r.clearance_type_id,
            "course_id": r.course_id,
            "mandatory": r.mandatory,
        },
        username,
        lambda verb, _r: f"{verb} a requirement of {post.name}",
    )


def _pattern_record(choice: PatternChoice) -> dict[str, Any]:
    try:
        choice.check()
        rule = to_rule(choice)
    except PatternError as exc:
        raise InvalidValue(str(exc)) from None
    return {
        "rrule": rule,
        "start_date": choice.start,
        "end_date": choice.end,
        "skip_closures": choice.skip_closures,
        "description": describe(choice)[:200],
    }


def apply_patterns(
    session: Session,
    post: Post,
    before: Sequence[PatternChoice],
    after: Sequence[PatternChoice],
    username: str,
) -> int:
    """New patterns (no id) are created, missing ones deleted, changed ones updated."""
    rows = session.scalars(select(RecurrencePattern).where(RecurrencePattern.post_id == post.id))
    return _apply_delta(
        session,
        RecurrencePattern,
        {"post_id": post.id},
        {row.id: row for row in rows},
        {p.id: p for p in before if p.id is not None},
        {(p.id if p.id is not None else ("new", i)): p for i, p in enumerate(after)},
        _pattern_record,
        username,
        lambda verb, p: f"{verb} a repeat pattern of {post.name}: {describe(p)}",
    )


def save_post(
    session: Session,
    post_id: int | None,
    values: Mapping[str, Any],
    username: str,
    *,
    site_id: int | None = None,
    version: int | None = None,
    opened: Mapping[str, Any] | None = None,
    before: Mapping[str, Any] | None = None,
) -> SaveResult:
    """Create a post at ``site_id`` or update one; ``values`` may hold ``requirements``
    and ``patterns``, applied as the difference from ``before`` (what the editor opened)."""
    values = dict(values)
    before = dict(before or {})
    children = {key: values.pop(key) for key in ("requirements", "patterns") if key in values}
    clean = check_post(values)
    faith_id = clean.get("required_faith_id")
    if faith_id is not None and session.get(Faith, faith_id) is None:
        raise InvalidValue("That faith is no longer in the catalogue")
    if post_id is None:
        site = session.get(Site, site_id)
        if site is None:
            raise editing.RecordGone("This post's site has been deleted by someone else.")
        defaults = {k: v for k, v in new_post_values(site.kind).items() if k in POST_FIELDS}
        record = check_post({**defaults, **clean})
        check_post_order(record)
        if record["name"].casefold() in post_names(session, site.id):
            raise InvalidValue(f"{site.name} already has a post called {record['name']}")
        summary = f"Created post {record['name']} at {site.name}"
        post = editing.create(session, Post, {"site_id": site.id, **record}, username, summary)
        before = {}
    else:
        post = session.get(Post, post_id)
        if post is None:
            raise editing.RecordGone("This post has been deleted by someone else.")
        check_post_order({**{k: getattr(post, k) for k in POST_FIELDS}, **clean})
        if "name" in clean and clean["name"].casefold() in post_names(
            session, post.site_id, post_id
        ):
            raise InvalidValue(f"{post.site.name} already has a post called {clean['name']}")
        if any(tuple(v) != tuple(before.get(k, ())) for k, v in children.items()):
            clean["updated_at"] = utcnow()  # requirements and patterns are part of the post
        post = editing.update(
            session,
            Post,
            post_id,
            post.version if version is None else version,
            clean,
            username,
            opened=opened,
            summary=f"Updated post {post.name} at {post.site.name}",
        )
    if "requirements" in children:
        old = before.get("requirements", ())
        apply_requirements(session, post, old, children["requirements"], username)
    if "patterns" in children:
        apply_patterns(session, post, before.get("patterns", ()), children["patterns"], username)
    session.flush()
    title = f"{post.name} ({post.site.name})"
    changes = Changes.of("posts", ids=(("posts", post.id),))
    return SaveResult(post.id, post.version, changes, audit.column_values(post), title)


def delete_post(session: Session, post_id: int, version: int | None, username: str) -> Changes:
    """Delete a post with no sessions on the rota yet; else ``InUse``."""
    post = session.get(Post, post_id)
    if post is None:
        raise editing.RecordGone("This post has already been deleted.")
    shifts = _count(session, select(Shift.id).where(Shift.post_id == post_id))
    if shifts:
        raise InUse(
            f"{post.name} cannot be deleted: it has {shifts} session{'s' if shifts != 1 else ''} "
            "on the rota, which keep their history. Untick Active on the post instead."
        )
    summary = f"Deleted post {post.name} at {post.site.name}"
    editing.delete(session, Post, post_id, version, username, summary=summary)
    return Changes.of("posts", ids=(("posts", post_id),))
