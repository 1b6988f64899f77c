"""Build a demo world into an empty database with bulk inserts, in one transaction."""

from __future__ import annotations

import json
import time as clock
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime, time
from random import Random
from typing import TYPE_CHECKING

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session

from ..models import (
    AuditAction,
    AuditEntry,
    ClearanceType,
    Community,
    Faith,
    Role,
    Site,
    TrainingCourse,
    User,
    UserRole,
    Volunteer,
)
from ..models.base import Base
from ..settings import load_settings, save_settings
from .compliance import Catalogue, ComplianceMaker
from .details import volunteer_tables
from .national import NationalPlan, national_world
from .people import make_volunteers
from .rota import Rota
from .small import small_world
from .world import Ids, World

if TYPE_CHECKING:
    from ..db import Database

Progress = Callable[[str, float], None]
SIZES = ("small", "national")
# Insert order: every table after the ones it refers to.
TABLES = (
    "communities", "sites", "site_days", "posts", "post_requirements", "recurrence_patterns",
    "volunteers", "volunteer_roles", "volunteer_sites", "endorsements", "weekly_availability",
    "unavailability", "training_records", "clearances", "shifts", "assignments",
    "desk_outcomes", "signposts",
)  # fmt: skip
ID_TABLES = tuple(name for name in TABLES if "id" in Base.metadata.tables[name].c)
CHUNK = 20_000


@dataclass
class DemoSummary:
    """How much a demo build wrote, and how long it took."""

    volunteers: int = 0
    communities: int = 0
    sites: int = 0
    posts: int = 0
    shifts: int = 0
    assignments: int = 0
    training_records: int = 0
    clearances: int = 0
    seconds: float = 0.0


def build_demo(
    db: Database,
    size: str = "small",
    seed: int = 1,
    today: date | None = None,
    progress: Progress | None = None,
) -> DemoSummary:
    """Fill an empty database with demo data; same seed and ``today``, same data.

    Raises ValueError for an unknown size or a database that already has volunteers.
    """
    if size not in SIZES:
        raise ValueError(f"Unknown demo size {size!r}: choose one of {', '.join(SIZES)}.")
    make_world = small_world if size == "small" else national_world
    return build_world(db, make_world, seed, today, progress)


def build_national(
    db: Database, plan: NationalPlan, seed: int = 1, today: date | None = None
) -> DemoSummary:
    """The national demo at another scale (tests use a small plan)."""
    return build_world(db, lambda rng, day: national_world(rng, day, plan), seed, today, None)


def build_world(
    db: Database,
    make_world: Callable[[Random, date], World],
    seed: int,
    today: date | None,
    progress: Progress | None,
) -> DemoSummary:
    started = clock.perf_counter()
    today = today or date.today()

    def report(message: str, fraction: float) -> None:
        if progress is not None:
            progress(message, max(0.0, min(1.0, fraction)))

    report("Checking the database", 0.0)
    rng = Random(seed)
    stamp = datetime.combine(today, time(9, 0))
    with db.uow() as session:
        held = session.scalar(select(func.count()).select_from(Volunteer))
        if held:
            raise ValueError(
                f"This database already holds {held} volunteers. Demo data goes only into "
                "a database without volunteers: create a new database for the demo."
            )
        catalogue = _catalogue(session)
        ids = Ids({name: _max_id(session, name) for name in ID_TABLES})
        report("Planning sites and communities", 0.03)
        world = make_world(rng, today)
        _check_names(session, world)
        tables = _world_tables(world, catalogue, ids, stamp)
        report("Creating volunteers", 0.08)
        vols = make_volunteers(rng, world, ids)
        tables.update(volunteer_tables(vols, ids, catalogue, stamp))
        report("Recording training and clearances", 0.2)
        compliance = ComplianceMaker(rng, today, catalogue, ids, stamp)
        for vol in vols:
            compliance.volunteer(vol)
        tables["training_records"] = compliance.training
        tables["clearances"] = compliance.clearances
        report("Generating shifts from the patterns", 0.3)
        rota = Rota(rng, world, ids, stamp)
        rota.make_shifts()
        report("Filling the rota", 0.4)
        rota.fill(vols, compliance)
        tables["shifts"] = [shift.row for shift in rota.shifts]
        tables["assignments"] = rota.assignments
        tables["desk_outcomes"] = rota.outcomes
        tables["signposts"] = rota.signposts
        _write(session, tables, report)
        summary = DemoSummary(
            volunteers=len(tables["volunteers"]),
            communities=len(tables["communities"]),
            sites=len(tables["sites"]),
            posts=len(tables["posts"]),
            shifts=len(tables["shifts"]),
            assignments=len(tables["assignments"]),
            training_records=len(tables["training_records"]),
            clearances=len(tables["clearances"]),
        )
        _finish(session, db.username, world, seed, summary)
        report("Saving", 0.99)
    summary.seconds = round(clock.perf_counter() - started, 2)
    report("Demo data ready", 1.0)
    return summary


def _max_id(session: Session, name: str) -> int:
    table = Base.metadata.tables[name]
    return session.scalar(select(func.max(table.c.id))) or 0


def _catalogue(session: Session) -> Catalogue:
    types = {
        row.code: (
            row.id,
            row.validity_months,
            [level.strip() for level in row.levels.split(",") if level.strip()],
            row.per_establishment,
        )
        for row in session.scalars(select(ClearanceType))
    }
    return Catalogue(
        faiths={row.name: row.id for row in session.scalars(select(Faith))},
        roles={row.name: row.id for row in session.scalars(select(Role))},
        courses={
            row.code: (row.id, row.validity_months)
            for row in session.scalars(select(TrainingCourse))
        },
        clearance_types=types,
    )


def _check_names(session: Session, world: World) -> None:
    for model, names in (
        (Site, [site.name for site in world.sites]),
        (Community, [community.name for community in world.communities]),
    ):
        clash = session.scalars(select(model.name).where(model.name.in_(names))).first()
        if clash:
            raise ValueError(
                f"This database already has {clash!r}; build the demo into a new database."
            )


def _world_tables(world: World, catalogue: Catalogue, ids: Ids, stamp: datetime) -> dict:
    """Rows for the communities, sites, posts, requirements and patterns; assigns their ids."""
    base = {"version": 1, "updated_at": stamp}
    tables: dict[str, list[dict]] = {name: [] for name in TABLES[:6]}
    for community in world.communities:
        community.id = ids.next("communities")
        tables["communities"].append(
            {
                "id": community.id,
                "name": community.name,
                "kind": community.kind,
                "faith_id": catalogue.faith_id(community.faith),
                "tradition": community.tradition,
                **community.row,
                **base,
            }
        )
    for site in world.sites:
        site.id = ids.next("sites")
        tables["sites"].append(
            {
                "id": site.id,
                "name": site.name,
                "code": site.code,
                "kind": site.kind,
                "jurisdiction": site.jurisdiction,
                "closed_on_bank_holidays": site.closed_on_bank_holidays,
                "active": True,
                **site.row,
                **base,
            }
        )
        for day, kind, reason in site.days:
            tables["site_days"].append(
                {"id": ids.next("site_days"), "site_id": site.id, "day": day, "kind": kind,
                 "reason": reason, **base}
            )  # fmt: skip
        for post in site.posts:
            post.id, post.site_id = ids.next("posts"), site.id
            tables["posts"].append(_post_row(post, catalogue, base))
            for need in post.requirements:
                found = catalogue.clearance_types if need.is_clearance else catalogue.courses
                if need.code not in found:
                    continue
                tables["post_requirements"].append(
                    {
                        "id": ids.next("post_requirements"),
                        "post_id": post.id,
                        "clearance_type_id": found[need.code][0] if need.is_clearance else None,
                        "course_id": None if need.is_clearance else found[need.code][0],
                        "mandatory": need.mandatory,
                        **base,
                    }
                )
            for pattern in post.patterns:
                pattern.id = ids.next("recurrence_patterns")
                tables["recurrence_patterns"].append(
                    {
                        "id": pattern.id,
                        "post_id": post.id,
                        "rrule": pattern.rrule,
                        "start_date": pattern.start,
                        "end_date": pattern.end,
                        "skip_closures": True,
                        "description": pattern.description,
                        **base,
                    }
                )
    return tables


def _post_row(post, catalogue: Catalogue, base: dict) -> dict:
    return {
        "id": post.id,
        "site_id": post.site_id,
        "name": post.name,
        "kind": post.kind,
        "location": post.location,
        "start_time": post.start,
        "end_time": post.end,
        "min_volunteers": post.min_volunteers,
        "max_volunteers": post.max_volunteers,
        "required_faith_id": catalogue.faith_id(post.faith),
        "faith_mandatory": post.faith_mandatory,
        "needs_escort": post.needs_escort,
        "active": True,
        "notes": post.notes,
        **base,
    }


def _write(session: Session, tables: dict[str, list[dict]], report: Callable) -> None:
    total = sum(len(rows) for rows in tables.values()) or 1
    done = 0
    for name in TABLES:
        rows = tables.get(name, [])
        table: Table = Base.metadata.tables[name]
        for first in range(0, len(rows), CHUNK):
            chunk = rows[first : first + CHUNK]
            session.execute(insert(table), chunk)
            done += len(chunk)
            report(f"Writing {name.replace('_', ' ')}", 0.5 + 0.48 * done / total)
    if session.get_bind().dialect.name == "postgresql":
        for name in ID_TABLES:
            session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {name}), false)"
                )
            )


def _finish(session: Session, username: str, world: World, seed: int, summary) -> None:
    """The first user, the organisation's name and an audit entry for the build."""
    if session.scalar(select(User).where(User.username == username)) is None:
        session.add(User(username=username, display_name=username, role=UserRole.ADMINISTRATOR))
    settings = load_settings(session)
    settings.organisation_name = world.organisation_name
    save_settings(session, settings)
    session.add(
        AuditEntry(
            username=username,
            action=AuditAction.IMPORT,
            entity="demo",
            summary=f"Demo data built ({world.size}, seed {seed}, as of {world.today:%d %b %Y})",
            changes=json.dumps({k: v for k, v in asdict(summary).items() if k != "seconds"}),
        )
    )
