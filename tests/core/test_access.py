"""Roles: what administrators, coordinators and read-only users may do, enforced in services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

import pytest
from sqlalchemy import select

from volunteerdesk.core import access
from volunteerdesk.core.access import Action, NotAllowed, access_for
from volunteerdesk.core.models import (
    Assignment,
    AuditEntry,
    Clearance,
    ClearanceType,
    Faith,
    Post,
    PostKind,
    Setting,
    Shift,
    Site,
    SiteKind,
    TrainingCourse,
    TrainingRecord,
    User,
    UserRole,
    Volunteer,
    VolunteerStatus,
    volunteer_sites,
)
from volunteerdesk.core.services import editing, users
from volunteerdesk.core.services.volunteers import (
    list_volunteers,
    volunteer_clearances,
    volunteer_detail,
)


@dataclass
class World:
    site_a: int
    site_b: int
    post_a: int
    post_b: int
    shift_a: int
    shift_b: int
    vol_a: int  # serves at A
    vol_b: int  # serves at B
    course: int
    ctype: int


def _world(db) -> World:
    with db.uow() as s:
        a = editing.create(s, Site, {"name": "HMP Westmoor", "kind": SiteKind.PRISON}, "tester")
        b = editing.create(
            s, Site, {"name": "Eastgate Court", "kind": SiteKind.MAGISTRATES_COURT}, "tester"
        )
        posts = [
            editing.create(
                s,
                Post,
                {
                    "site_id": site.id,
                    "name": "Chapel",
                    "kind": PostKind.SERVICE,
                    "start_time": time(9),
                    "end_time": time(12),
                },
                "tester",
            )
            for site in (a, b)
        ]
        shifts = [
            editing.create(
                s,
                Shift,
                {
                    "post_id": p.id,
                    "date": date(2026, 12, 6),
                    "start_time": time(9),
                    "end_time": time(12),
                },
                "tester",
            )  # fmt: skip
            for p in posts
        ]
        vols = [
            editing.create(
                s,
                Volunteer,
                {
                    "first_name": first,
                    "last_name": "Jones",
                    "status": VolunteerStatus.ACTIVE,
                    "phone": "07700 900123",
                    "email": f"{first}@example.org",
                },
                "tester",
            )  # fmt: skip
            for first in ("Ann", "Ben")
        ]
        s.execute(
            volunteer_sites.insert(),
            [
                {"volunteer_id": vols[0].id, "site_id": a.id},
                {"volunteer_id": vols[1].id, "site_id": b.id},
            ],
        )
        course = s.scalars(select(TrainingCourse.id)).first()
        ctype = s.scalars(select(ClearanceType.id)).first()
        world = World(
            a.id, b.id, posts[0].id, posts[1].id, shifts[0].id, shifts[1].id,
            vols[0].id, vols[1].id, course, ctype,
        )  # fmt: skip
    with db.uow() as s:  # the first user also makes "tester" an administrator
        users.create_user(s, "tester", {"username": "cora", "role": UserRole.COORDINATOR},
                          [world.site_a])  # fmt: skip
        users.create_user(s, "tester", {"username": "rita", "role": UserRole.READ_ONLY})
    return world


@pytest.fixture
def world(database) -> World:
    return _world(database)


def test_a_database_with_no_users_makes_everyone_an_administrator(database):
    with database.uow() as s:
        who = access_for(s, "anybody")
        assert who.is_administrator and "No users" in who.note
        assert who.can(Action.MANAGE_USERS) and who.can(Action.EDIT_ROTA, 999)
        editing.create(s, Faith, {"name": "Zoroastrian"}, "anybody")  # allowed


def test_once_users_exist_an_unknown_login_is_read_only(database, world):
    """On a shared server. A database file on one's own computer stays theirs to manage
    (a copied file or a demo built under another login must not lock them out)."""
    with database.uow() as s:
        who = access_for(s, "stranger")
        if database.is_sqlite:
            assert who.is_administrator and "yours to manage" in who.note
            return
        assert who.is_read_only and "ask an administrator" in who.note
        with pytest.raises(NotAllowed, match="Read-only users cannot change records"):
            editing.create(s, Faith, {"name": "Testfaith"}, "stranger")
        assert access_for(s, "TESTER").is_administrator  # user names ignore case


def test_administrator_may_do_every_kind_of_write(database, world):
    with database.uow() as s:
        editing.create(s, Faith, {"name": "Testfaith"}, "tester")
        editing.update(s, Volunteer, world.vol_b, 1, {"phone": "07700 900999"}, "tester")
        editing.create(
            s, Assignment, {"shift_id": world.shift_b, "volunteer_id": world.vol_b}, "tester"
        )
        access.check_write(s, "tester", Setting, "create", values={"key": "x"})


def test_coordinator_writes_only_at_their_sites(database, world):
    with database.uow() as s:
        # Their own volunteer, rota and records: allowed.
        editing.update(s, Volunteer, world.vol_a, 1, {"phone": "07700 900001"}, "cora")
        editing.create(
            s, Assignment, {"shift_id": world.shift_a, "volunteer_id": world.vol_a}, "cora"
        )
        editing.create(
            s,
            TrainingRecord,
            {"volunteer_id": world.vol_a, "course_id": world.course,
             "completed_on": date(2026, 1, 5)},
            "cora",
        )  # fmt: skip
        editing.create(
            s,
            Clearance,
            {"volunteer_id": world.vol_a, "type_id": world.ctype, "site_id": world.site_a},
            "cora",
        )
        editing.update(s, Shift, world.shift_a, 1, {"notes": "Bring hymn books"}, "cora")
        new = editing.create(s, Volunteer, {"first_name": "Cy", "last_name": "New"}, "cora")
        editing.update(s, Volunteer, new.id, 1, {"phone": "07700 900002"}, "cora")
    refused = [
        lambda s: editing.update(s, Volunteer, world.vol_b, 1, {"phone": "0"}, "cora"),
        lambda s: editing.create(
            s, Assignment, {"shift_id": world.shift_b, "volunteer_id": world.vol_a}, "cora"
        ),
        lambda s: editing.create(
            s, TrainingRecord, {"volunteer_id": world.vol_b, "course_id": world.course}, "cora"
        ),
        lambda s: editing.update(s, Shift, world.shift_b, 1, {"notes": "x"}, "cora"),
        # moving their own shift to the other site's post
        lambda s: editing.update(s, Shift, world.shift_a, 2, {"post_id": world.post_b}, "cora"),
    ]
    for write in refused:
        with (
            pytest.raises(NotAllowed, match="only at your own sites \\(HMP Westmoor\\)"),
            database.uow() as s,
        ):
            write(s)


@pytest.mark.parametrize(
    ("write", "words"),
    [
        (
            lambda s, w: editing.create(s, Faith, {"name": "Testfaith"}, "cora"),
            "change the catalogues",
        ),
        (
            lambda s, w: access.check_write(s, "cora", Setting, "create", values={"key": "k"}),
            "change the organisation's settings",
        ),
        (
            lambda s, w: editing.create(s, Site, {"name": "X", "kind": SiteKind.PRISON}, "cora"),
            "add or delete sites",
        ),
        (lambda s, w: editing.delete(s, Volunteer, w.vol_a, None, "cora"), "delete a volunteer"),
        (
            lambda s, w: users.create_user(s, "cora", {"username": "zed"}),
            "manage users",
        ),
    ],
)
def test_coordinator_may_not_change_settings_users_or_catalogues(database, world, write, words):
    with pytest.raises(NotAllowed, match=f"Only an administrator can {words}"), database.uow() as s:
        write(s, world)


def test_read_only_user_may_change_nothing(database, world):
    writes = [
        lambda s: editing.update(s, Volunteer, world.vol_a, 1, {"phone": "0"}, "rita"),
        lambda s: editing.create(
            s, Assignment, {"shift_id": world.shift_a, "volunteer_id": world.vol_a}, "rita"
        ),
        lambda s: editing.delete(s, Shift, world.shift_a, None, "rita"),
        lambda s: editing.create(s, Faith, {"name": "Testfaith"}, "rita"),
    ]
    for write in writes:
        with (
            pytest.raises(NotAllowed, match="Read-only users cannot change records"),
            database.uow() as s,
        ):
            write(s)
    with database.uow() as s:
        assert s.get(Shift, world.shift_a) is not None


def test_read_only_user_is_refused_personal_details_but_sees_names(database, world):
    with database.uow() as s:
        s.info[access.SESSION_USER] = "rita"
        with pytest.raises(NotAllowed, match="personal details"):
            volunteer_detail(s, world.vol_a)
        with pytest.raises(NotAllowed):
            volunteer_clearances(s, world.vol_a, date(2026, 11, 23))
        rows = list_volunteers(s)
        assert {r.display_name for r in rows} >= {"Ann Jones", "Ben Jones"}
        assert all(r.phone == "" and r.email == "" for r in rows)
        assert access_for(s, "rita").can(Action.VIEW_ROTA)
    with database.uow() as s:  # a coordinator sees them
        s.info[access.SESSION_USER] = "cora"
        assert volunteer_detail(s, world.vol_b) is not None
        assert any(r.phone for r in list_volunteers(s))


def test_deactivated_user_becomes_read_only(database, world):
    with database.uow() as s:
        cora = s.scalar(select(User).where(User.username == "cora"))
        users.deactivate_user(s, "tester", cora.id, cora.version)
    with database.uow() as s:
        who = access_for(s, "cora")
        assert who.is_read_only and "deactivated" in who.note
        with pytest.raises(NotAllowed):
            editing.update(s, Shift, world.shift_a, 1, {"notes": "x"}, "cora")


def test_the_audit_log_cannot_be_written_through_editing(database):
    with pytest.raises(NotAllowed, match="audit log cannot be changed"), database.uow() as s:
        editing.create(s, AuditEntry, {"username": "x", "action": "view", "entity": "x"}, "x")


def test_can_with_no_site_asks_whether_the_role_allows_it_anywhere(database, world):
    with database.uow() as s:
        cora = access_for(s, "cora")
        assert cora.can(Action.EDIT_ROTA) and cora.can(Action.EDIT_ROTA, world.site_a)
        assert not cora.can(Action.EDIT_ROTA, world.site_b)
        assert cora.can(Action.EDIT_VOLUNTEERS, [world.site_b, world.site_a])
        assert cora.can(Action.EDIT_VOLUNTEERS, [])  # belongs to no site yet
        assert not cora.can(Action.VIEW_AUDIT) and not cora.can(Action.EDIT_SETTINGS)
        rita = access_for(s, "rita")
        assert not rita.can(Action.EDIT_ROTA) and not rita.can(Action.VIEW_PERSONAL)
        with pytest.raises(NotAllowed, match="Read-only users cannot see the audit log"):
            rita.require(Action.VIEW_AUDIT)


def test_an_unregistered_model_is_judged_by_its_columns():
    class Lonely:
        __table__ = type("T", (), {"columns": {"id": 1, "name": 2}})

    class AtSite:
        __table__ = type("T", (), {"columns": {"id": 1, "site_id": 2}})

    assert access.rule_for(Lonely).action is Action.ADMINISTER
    assert access.rule_for(AtSite).action is Action.EDIT_SITES
