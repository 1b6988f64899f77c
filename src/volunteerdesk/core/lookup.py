"""Finding a site or a volunteer from what a person typed: an id or a name."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import Site, Volunteer


class NotFound(LookupError):
    """Nothing (or too much) matched; the message says what to type instead."""


def find_site(session: Session, text: str) -> tuple[int, str]:
    text = text.strip()
    if text.isdigit():
        site = session.get(Site, int(text))
        if site is None:
            raise NotFound(f"No site has id {text}.")
        return site.id, site.name
    exact = session.execute(
        select(Site.id, Site.name).where(func.lower(Site.name) == text.lower())
    ).all()
    if len(exact) == 1:
        return exact[0][0], exact[0][1]
    like = session.execute(
        select(Site.id, Site.name)
        .where(func.lower(Site.name).contains(text.lower()))
        .order_by(Site.name)
    ).all()
    if len(like) == 1:
        return like[0][0], like[0][1]
    if not like:
        raise NotFound(
            f"No site is called {text!r}. Use `volunteerdesk info` to list counts, "
            "or give the site's id."
        )
    names = ", ".join(name for _id, name in like[:8])
    raise NotFound(f"{text!r} matches {len(like)} sites ({names}). Be more specific or use an id.")


def find_volunteer(session: Session, text: str) -> tuple[int, str]:
    text = text.strip()
    if text.isdigit():
        v = session.get(Volunteer, int(text))
        if v is None:
            raise NotFound(f"No volunteer has id {text}.")
        return v.id, v.display_name
    full = func.lower(Volunteer.first_name + " " + Volunteer.last_name)
    badge = func.lower(Volunteer.badge_name + " " + Volunteer.last_name)
    rows = session.execute(
        select(Volunteer.id, Volunteer.first_name, Volunteer.badge_name, Volunteer.last_name).where(
            (full == text.lower()) | (badge == text.lower())
        )
    ).all()
    if not rows:
        raise NotFound(f"No volunteer is called {text!r}. Give their id instead.")
    if len(rows) > 1:
        ids = ", ".join(str(r[0]) for r in rows)
        raise NotFound(f"{len(rows)} volunteers are called {text!r} (ids {ids}). Use an id.")
    vid, first, badge, last = rows[0]
    return vid, f"{badge or first} {last}"
