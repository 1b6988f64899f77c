"""Users and roles: who may sign in to this database, with which role and for which sites.

Administrators only; every change is audited (the row through ``services.editing``, the
sites through ``audit.record``).

On PostgreSQL each person is also a server login. The program never creates, alters or
drops server roles: the database administrator creates each login (``CREATE ROLE ...
LOGIN PASSWORD ...`` and the grants it needs), and a ``User`` row here maps that login,
by name, to a VolunteerDesk role. On SQLite the login is the operating-system user name.

Guards against locking everybody out: while no users exist everyone is an administrator
(``core.access``), so adding the first user also adds the person doing it as an
administrator; and the last active administrator cannot be demoted or deactivated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from .. import access, audit
from ..access import Action
from ..models import AuditAction, Site, User, UserRole
from ..validation import InvalidValue
from . import editing

ROLE_LABELS = {
    UserRole.ADMINISTRATOR: "Administrator",
    UserRole.COORDINATOR: "Coordinator",
    UserRole.READ_ONLY: "Read-only",
}
EDITABLE = ("username", "display_name", "role", "active")


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    display_name: str
    role: UserRole
    active: bool
    site_ids: frozenset[int]
    sites: str  # comma-joined site names
    version: int

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    @property
    def values(self) -> dict[str, Any]:
        """What an editor loads."""
        return {
            "username": self.username,
            "display_name": self.display_name,
            "role": self.role,
            "active": self.active,
            "site_ids": self.site_ids,
        }


@dataclass(frozen=True)
class SiteChoice:
    id: int
    name: str


def _require(session: Session, acting: str) -> None:
    access.access_for(session, acting).require(Action.MANAGE_USERS)


def _row(user: User) -> UserRow:
    sites = sorted(user.sites, key=lambda s: s.name.casefold())
    return UserRow(
        user.id,
        user.username,
        user.display_name,
        user.role,
        user.active,
        frozenset(s.id for s in sites),
        ", ".join(s.name for s in sites),
        user.version,
    )


def list_users(session: Session, acting: str) -> list[UserRow]:
    """Every user, active first, by user name."""
    _require(session, acting)
    users = session.scalars(select(User).options(selectinload(User.sites)))
    return sorted((_row(u) for u in users), key=lambda r: (not r.active, r.username.casefold()))


def get_user(session: Session, acting: str, user_id: int) -> UserRow:
    _require(session, acting)
    user = session.get(User, user_id)
    if user is None:
        raise editing.RecordGone("This user has been deleted by someone else.")
    return _row(user)


def site_choices(session: Session) -> list[SiteChoice]:
    rows = session.execute(select(Site.id, Site.name).order_by(Site.name))
    return [SiteChoice(i, n) for i, n in rows]


def _clean(session: Session, values: Mapping[str, Any], user_id: int | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "username" in values:
        name = (values["username"] or "").strip()
        if not name:
            raise InvalidValue("Give the user name they sign in with.")
        if len(name) > 120 or any(ch.isspace() for ch in name):
            raise InvalidValue("A user name has no spaces and at most 120 characters.")
        clash = session.scalar(
            select(User.id).where(
                func.lower(User.username) == name.casefold(), User.id != (user_id or -1)
            )
        )
        if clash is not None:
            raise InvalidValue(f"There is already a user called {name}.")
        out["username"] = name
    if "display_name" in values:
        out["display_name"] = (values["display_name"] or "").strip()[:200]
    if "role" in values:
        try:
            out["role"] = UserRole(values["role"])
        except ValueError as exc:
            raise InvalidValue(f"{values['role']} is not a role.") from exc
    if "active" in values:
        out["active"] = bool(values["active"])
    return out


def _active_admins(session: Session, excluding: int | None = None) -> int:
    query = (
        select(func.count())
        .select_from(User)
        .where(User.active.is_(True), User.role == UserRole.ADMINISTRATOR)
    )
    if excluding is not None:
        query = query.where(User.id != excluding)
    return session.scalar(query) or 0


def _set_sites(session: Session, user: User, site_ids: Iterable[int], acting: str) -> None:
    wanted = set(site_ids) if user.role is UserRole.COORDINATOR else set()
    before = sorted(s.name for s in user.sites)
    if wanted == {s.id for s in user.sites}:
        return
    sites = list(session.scalars(select(Site).where(Site.id.in_(wanted)))) if wanted else []
    if len(sites) != len(wanted):
        raise InvalidValue("One of the chosen sites no longer exists.")
    user.sites = sites
    session.flush()
    after = sorted(s.name for s in sites)
    audit.record(
        session,
        acting,
        AuditAction.UPDATE,
        User.__tablename__,
        user.id,
        f"Sites of user {user.username}",
        {"sites": [", ".join(before), ", ".join(after)]},
    )


def _check_coordinator(values: Mapping[str, Any], site_ids: Iterable[int] | None) -> None:
    if values.get("role") is UserRole.COORDINATOR and not set(site_ids or ()):
        raise InvalidValue("Choose at least one site for a coordinator.")


def create_user(
    session: Session, acting: str, values: Mapping[str, Any], site_ids: Iterable[int] = ()
) -> UserRow:
    """Add a user (``values``: username, display_name, role, active) and their sites."""
    _require(session, acting)
    site_ids = list(site_ids)
    clean = {"display_name": "", "role": UserRole.READ_ONLY, "active": True}
    clean |= _clean(session, {"username": values.get("username", ""), **values}, None)
    _check_coordinator(clean, site_ids)
    if session.scalar(select(func.count()).select_from(User)) == 0:
        if clean["username"].casefold() != acting.casefold():
            editing.create(
                session,
                User,
                {"username": acting, "role": UserRole.ADMINISTRATOR, "active": True},
                acting,
                f"Added {acting} as the first administrator",
            )
        elif clean["role"] is not UserRole.ADMINISTRATOR or not clean["active"]:
            raise InvalidValue(
                "The first user is you, and must be an active administrator: otherwise "
                "nobody could manage users afterwards."
            )
    user = editing.create(session, User, clean, acting, f"Added user {clean['username']}")
    _set_sites(session, user, site_ids, acting)
    access.forget(session)
    return _row(user)


def update_user(
    session: Session,
    acting: str,
    user_id: int,
    version: int,
    values: Mapping[str, Any],
    site_ids: Iterable[int] | None = None,
    *,
    opened: Mapping[str, Any] | None = None,
) -> UserRow:
    """Change a user's name, role, active flag and (``site_ids`` given) sites."""
    _require(session, acting)
    user = session.get(User, user_id)
    if user is None:
        raise editing.RecordGone("This user has been deleted by someone else.")
    clean = _clean(session, {k: v for k, v in values.items() if k in EDITABLE}, user_id)
    role = clean.get("role", user.role)
    active = clean.get("active", user.active)
    sites = list(site_ids) if site_ids is not None else [s.id for s in user.sites]
    _check_coordinator({"role": role}, sites)
    losing_admin = user.role is UserRole.ADMINISTRATOR and user.active
    demoted = role is not UserRole.ADMINISTRATOR or not active
    if losing_admin and demoted and _active_admins(session, excluding=user_id) == 0:
        raise InvalidValue(
            "This is the last active administrator: make someone else an "
            "administrator first, or nobody could manage users."
        )
    user = editing.update(
        session,
        User,
        user_id,
        version,
        clean,
        acting,
        opened=opened,
        summary=f"Updated user {clean.get('username', user.username)}",
    )
    _set_sites(session, user, sites, acting)
    session.flush()
    access.forget(session)
    return _row(user)


def deactivate_user(session: Session, acting: str, user_id: int, version: int) -> UserRow:
    """Stop a user from working here (they become read-only); kept for the audit trail."""
    return update_user(session, acting, user_id, version, {"active": False})
