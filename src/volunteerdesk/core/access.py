"""Who is working, and what they may do.

Three roles (``UserRole``):

* **administrator** - everything: users, settings, catalogues, the audit log, privacy
  actions (subject access, erasure), imports, backups, every site.
* **coordinator** - limited to their sites: volunteers who serve at one of their sites
  (and new volunteers), those volunteers' training and clearance records, rotas, shifts
  and assignments at their sites, and the set-up of their sites (posts, closures,
  patterns). Not settings, users, catalogues (faiths, communities, roles, courses,
  clearance types), the audit log, nor creating or deleting sites.
* **read-only** - sees rotas and gate lists; no other personal details and no changes.

Who is who: the ``users`` table maps a login (the OS user on SQLite, the server login on
PostgreSQL) to a role. While the table is empty the person is an administrator, so a
fresh install just works and the first administrator can add the others. Once any user
exists, a login with no row (or a deactivated one) is read-only.

Every write through ``services.editing`` is checked here (``check_write``) against a
small registry mapping each model to the action it needs and the site(s) a row belongs
to. A model missing from the registry (one added later) is judged by its columns: a
``site_id`` column makes it site set-up at that site, a ``volunteer_id`` column makes it
part of that volunteer's record; anything else needs an administrator. A record that
belongs to no site (a volunteer not yet placed anywhere, a clearance with no site) is
open to every coordinator.

This guards against mistakes in the program; it is not a wall against someone holding
the database password, who can reach the tables with other tools (on PostgreSQL, give
such people only the privileges their role needs on the server too).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from .models import (
    Assignment,
    AuditEntry,
    Clearance,
    ClearanceType,
    Community,
    DeskOutcome,
    Endorsement,
    Faith,
    Post,
    PostRequirement,
    RecurrencePattern,
    Role,
    Setting,
    Shift,
    Signpost,
    Site,
    SiteDay,
    TrainingCourse,
    TrainingRecord,
    Unavailability,
    User,
    UserRole,
    Volunteer,
    WeeklyAvailability,
    volunteer_sites,
)

SESSION_USER = "volunteerdesk.username"  # session.info key: who this unit of work is for
_CACHE = "volunteerdesk.access"


class NotAllowed(PermissionError):
    """The person's role does not allow this; the message is a sentence for them."""


class Action(enum.StrEnum):
    VIEW_ROTA = "view_rota"  # rotas and gate lists
    VIEW_PERSONAL = "view_personal"  # volunteer details, contacts, training, clearances
    CREATE_VOLUNTEERS = "create_volunteers"
    EDIT_VOLUNTEERS = "edit_volunteers"
    DELETE_VOLUNTEERS = "delete_volunteers"
    EDIT_COMPLIANCE = "edit_compliance"  # training and clearance records
    EDIT_ROTA = "edit_rota"  # shifts, assignments, desk outcomes
    EDIT_SITES = "edit_sites"  # a site's details, posts, closures, patterns
    MANAGE_SITES = "manage_sites"  # create and delete sites
    EDIT_CATALOGUES = "edit_catalogues"  # faiths, communities, roles, courses, types
    EDIT_SETTINGS = "edit_settings"
    MANAGE_USERS = "manage_users"
    VIEW_AUDIT = "view_audit"
    PRIVACY = "privacy"  # subject access exports, erasure, retention review
    IMPORT = "import"
    BACKUP = "backup"  # backup now, restore, encryption
    ADMINISTER = "administer"  # anything else


SITE_SCOPED = frozenset(
    {Action.EDIT_VOLUNTEERS, Action.EDIT_COMPLIANCE, Action.EDIT_ROTA, Action.EDIT_SITES}
)
COORDINATOR_EVERYWHERE = frozenset(
    {Action.VIEW_ROTA, Action.VIEW_PERSONAL, Action.CREATE_VOLUNTEERS}
)
READ_ONLY_ALLOWED = frozenset({Action.VIEW_ROTA})

_ADMIN_ONLY_WORDS = {
    Action.DELETE_VOLUNTEERS: "delete a volunteer's whole record",
    Action.MANAGE_SITES: "add or delete sites",
    Action.EDIT_CATALOGUES: "change the catalogues (faiths, communities, roles, courses "
    "and clearance types)",
    Action.EDIT_SETTINGS: "change the organisation's settings",
    Action.MANAGE_USERS: "manage users and roles",
    Action.VIEW_AUDIT: "see the audit log",
    Action.PRIVACY: "export or erase a person's data",
    Action.IMPORT: "import records",
    Action.BACKUP: "back up, restore or re-key the database",
    Action.ADMINISTER: "change this kind of record",
}

Sites = int | Iterable[int] | None


@dataclass(frozen=True)
class Access:
    """What ``username`` may do: their effective role and, for coordinators, their sites."""

    username: str
    role: UserRole
    site_ids: frozenset[int] = frozenset()
    site_names: tuple[str, ...] = ()
    display_name: str = ""
    note: str = ""  # why, when the role is not simply the user's row ("no users yet")

    @property
    def is_administrator(self) -> bool:
        return self.role is UserRole.ADMINISTRATOR

    @property
    def is_read_only(self) -> bool:
        return self.role is UserRole.READ_ONLY

    def can(self, action: Action | str, site_id: Sites = None) -> bool:
        """True when the role allows ``action``.

        ``site_id``: None asks "anywhere at all" (what a window shows); an id or a
        collection of ids asks about a record at those sites (allowed for a coordinator
        when any is theirs); an empty collection is a record that belongs to no site.
        """
        return self._refusal(Action(action), site_id) is None

    def require(self, action: Action | str, site_id: Sites = None) -> None:
        """Raise ``NotAllowed`` with a plain sentence when ``can`` is False."""
        reason = self._refusal(Action(action), site_id)
        if reason is not None:
            raise NotAllowed(reason)

    def _refusal(self, action: Action, site_id: Sites) -> str | None:
        if self.is_administrator:
            return None
        if self.is_read_only:
            if action in READ_ONLY_ALLOWED:
                return None
            prefix = f"{self.note} " if self.note else ""
            if action is Action.VIEW_PERSONAL:
                return prefix + "Read-only users cannot see volunteers' personal details."
            if action is Action.VIEW_AUDIT:
                return prefix + "Read-only users cannot see the audit log."
            return prefix + "Read-only users cannot change records."
        if action in COORDINATOR_EVERYWHERE:
            return None
        if action in SITE_SCOPED:
            if site_id is None:
                return None if self.site_ids else "You are not a coordinator of any site yet."
            wanted = {site_id} if isinstance(site_id, int) else set(site_id)
            if not wanted or wanted & self.site_ids:
                return None
            return "You can change records only at your own sites" + (
                f" ({', '.join(self.site_names)})." if self.site_names else "."
            )
        return f"Only an administrator can {_ADMIN_ONLY_WORDS.get(action, 'do this')}."


def administrator(username: str, note: str = "") -> Access:
    return Access(username, UserRole.ADMINISTRATOR, note=note)


def access_for(session: Session, username: str) -> Access:
    """Who ``username`` is on this database (cached for the unit of work)."""
    cache = session.info.setdefault(_CACHE, {})
    found = cache.get(username)
    if found is None:
        found = cache[username] = _lookup(session, username)
    return found


def forget(session: Session) -> None:
    """Drop cached access (after users or their sites changed)."""
    session.info.pop(_CACHE, None)


def _lookup(session: Session, username: str) -> Access:
    if session.scalar(select(func.count()).select_from(User)) == 0:
        return administrator(username, "No users are set up yet, so you may do everything.")
    user = session.scalar(
        select(User)
        .where(func.lower(User.username) == username.casefold())
        .options(selectinload(User.sites))
    )
    if user is None and session.get_bind().dialect.name == "sqlite":
        # A database file on this computer: whoever can open it (and has its key) holds
        # it. Locking them out because the file came from another login (a copied file,
        # a demo built by someone else) would only lose them their own data.
        return administrator(
            username, f"{username} is not in the users list; this file is yours to manage."
        )
    if user is None:
        return Access(
            username,
            UserRole.READ_ONLY,
            note=f"{username} is not a VolunteerDesk user here: ask an administrator to add you.",
        )
    if not user.active:
        return Access(
            username,
            UserRole.READ_ONLY,
            display_name=user.display_name,
            note="Your user account has been deactivated: ask an administrator.",
        )
    sites = sorted(user.sites, key=lambda s: s.name.casefold())
    return Access(
        user.username,
        user.role,
        frozenset(s.id for s in sites),
        tuple(s.name for s in sites),
        user.display_name,
    )


def current(session: Session, username: str | None = None) -> Access | None:
    """The access of ``username``, else of the user the unit of work was opened for
    (``session.info[SESSION_USER]``); None when neither is known (a trusted caller: the
    command line, a migration, a test)."""
    username = username or session.info.get(SESSION_USER)
    return access_for(session, username) if username else None


def require_personal(session: Session, username: str | None = None) -> None:
    """Refuse personal details to read-only users (see ``current``)."""
    access = current(session, username)
    if access is not None:
        access.require(Action.VIEW_PERSONAL)


# --- which site(s) a row belongs to ----------------------------------------------------
Get = Callable[[str], Any]
Scope = Callable[[Session, Get], frozenset[int]]


def _ids(values: Iterable[Any]) -> frozenset[int]:
    return frozenset(v for v in values if v is not None)


def volunteer_site_ids(session: Session, volunteer_id: Any) -> frozenset[int]:
    if volunteer_id is None:
        return frozenset()
    rows = session.scalars(
        select(volunteer_sites.c.site_id).where(volunteer_sites.c.volunteer_id == volunteer_id)
    )
    return _ids(rows)


def _post_site(session: Session, post_id: Any) -> frozenset[int]:
    if post_id is None:
        return frozenset()
    return _ids([session.scalar(select(Post.site_id).where(Post.id == post_id))])


def _shift_site(session: Session, shift_id: Any) -> frozenset[int]:
    if shift_id is None:
        return frozenset()
    query = select(Post.site_id).join(Shift, Shift.post_id == Post.id).where(Shift.id == shift_id)
    return _ids([session.scalar(query)])


def _outcome_site(session: Session, outcome_id: Any) -> frozenset[int]:
    shift_id = session.scalar(select(DeskOutcome.shift_id).where(DeskOutcome.id == outcome_id))
    return _shift_site(session, shift_id)


def _clearance_sites(session: Session, get: Get) -> frozenset[int]:
    site_id = get("site_id")
    return (
        frozenset({site_id})
        if site_id is not None
        else volunteer_site_ids(session, get("volunteer_id"))
    )


@dataclass(frozen=True)
class Rule:
    action: Action  # to update (and, unless given below, to create and delete)
    scope: Scope | None = None  # the site(s) a row belongs to; None: not site-scoped
    keys: tuple[str, ...] = ()  # columns that move a row to another site
    create: Action | None = None
    delete: Action | None = None

    def action_for(self, operation: str) -> Action:
        if operation == "create" and self.create is not None:
            return self.create
        if operation == "delete" and self.delete is not None:
            return self.delete
        return self.action


def _by(column: str, find: Callable[[Session, Any], frozenset[int]]) -> Scope:
    return lambda session, get: find(session, get(column))


_VOLUNTEER = _by("volunteer_id", volunteer_site_ids)
_CATALOGUE = Rule(Action.EDIT_CATALOGUES)

RULES: dict[type, Rule] = {
    Volunteer: Rule(
        Action.EDIT_VOLUNTEERS,
        _by("id", volunteer_site_ids),
        create=Action.CREATE_VOLUNTEERS,
        delete=Action.DELETE_VOLUNTEERS,
    ),
    Endorsement: Rule(Action.EDIT_VOLUNTEERS, _VOLUNTEER, ("volunteer_id",)),
    WeeklyAvailability: Rule(Action.EDIT_VOLUNTEERS, _VOLUNTEER, ("volunteer_id",)),
    Unavailability: Rule(Action.EDIT_VOLUNTEERS, _VOLUNTEER, ("volunteer_id",)),
    TrainingRecord: Rule(Action.EDIT_COMPLIANCE, _VOLUNTEER, ("volunteer_id",)),
    Clearance: Rule(Action.EDIT_COMPLIANCE, _clearance_sites, ("volunteer_id", "site_id")),
    Shift: Rule(Action.EDIT_ROTA, _by("post_id", _post_site), ("post_id",)),
    Assignment: Rule(Action.EDIT_ROTA, _by("shift_id", _shift_site), ("shift_id",)),
    DeskOutcome: Rule(Action.EDIT_ROTA, _by("shift_id", _shift_site), ("shift_id",)),
    Signpost: Rule(Action.EDIT_ROTA, _by("outcome_id", _outcome_site), ("outcome_id",)),
    Site: Rule(
        Action.EDIT_SITES,
        lambda _s, get: _ids([get("id")]),
        create=Action.MANAGE_SITES,
        delete=Action.MANAGE_SITES,
    ),
    SiteDay: Rule(Action.EDIT_SITES, lambda _s, get: _ids([get("site_id")]), ("site_id",)),
    Post: Rule(Action.EDIT_SITES, lambda _s, get: _ids([get("site_id")]), ("site_id",)),
    PostRequirement: Rule(Action.EDIT_SITES, _by("post_id", _post_site), ("post_id",)),
    RecurrencePattern: Rule(Action.EDIT_ROTA, _by("post_id", _post_site), ("post_id",)),
    Faith: _CATALOGUE,
    Community: _CATALOGUE,
    Role: _CATALOGUE,
    TrainingCourse: _CATALOGUE,
    ClearanceType: _CATALOGUE,
    Setting: Rule(Action.EDIT_SETTINGS),
    User: Rule(Action.MANAGE_USERS),
}


def register(model: type, rule: Rule) -> None:
    """Declare how a new model is checked (else it is judged by its columns)."""
    RULES[model] = rule


def rule_for(model: type) -> Rule:
    rule = RULES.get(model)
    if rule is not None:
        return rule
    columns = set(getattr(getattr(model, "__table__", None), "columns", {}).keys())
    if "site_id" in columns:
        return Rule(Action.EDIT_SITES, lambda _s, get: _ids([get("site_id")]), ("site_id",))
    if "volunteer_id" in columns:
        return Rule(Action.EDIT_VOLUNTEERS, _VOLUNTEER, ("volunteer_id",))
    return Rule(Action.ADMINISTER)


def check_write(
    session: Session,
    username: str,
    model: type,
    operation: str,
    *,
    values: Mapping[str, Any] | None = None,
    record: Any = None,
) -> None:
    """Refuse (``NotAllowed``) a create, update or delete ``username`` may not make.

    ``record`` is the row as it is (update, delete); ``values`` what is to be written
    (create, update). A row moved to another site must be allowed at both ends.
    """
    if model is AuditEntry:
        raise NotAllowed("The audit log cannot be changed.")
    access = access_for(session, username)
    if access.is_administrator:
        return
    rule = rule_for(model)
    action = rule.action_for(operation)
    if rule.scope is None or access.is_read_only:
        access.require(action)
        return
    values = values or {}
    if record is not None:
        access.require(action, rule.scope(session, lambda key: getattr(record, key, None)))
    if record is None or any(key in values for key in rule.keys):

        def merged(key: str) -> Any:
            if key in values:
                return values[key]
            return getattr(record, key, None) if record is not None else None

        access.require(action, rule.scope(session, merged))
