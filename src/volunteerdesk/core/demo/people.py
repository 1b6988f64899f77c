"""Volunteers: who they are, where and when they serve, and who endorsed them."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from random import Random

from ..models import RiskOutcome, VolunteerStatus
from .details import availability, personal_row, unavailability
from .names import PersonName, badge_name, heritage_for, named_person, weighted
from .names import person as random_person
from .posts import places_per_month
from .world import FAR_FUTURE, CommunitySpec, Ids, PostSpec, SiteSpec, World

STATUS_WEIGHTS = (
    (VolunteerStatus.ACTIVE, 78),
    (VolunteerStatus.ENQUIRY, 3),
    (VolunteerStatus.APPLICANT, 4),
    (VolunteerStatus.VETTING, 7),
    (VolunteerStatus.PAUSED, 4),
    (VolunteerStatus.LEFT, 4),
)
# Faiths recorded for volunteers of partner organisations (None: no faith recorded).
PARTNER_FAITHS = (
    (None, 60),
    ("Church of England", 14),
    ("Roman Catholic", 9),
    ("Methodist", 3),
    ("Islam (Sunni)", 5),
    ("Sikh", 2),
    ("Hindu", 2),
    ("Buddhist", 2),
    ("Jewish", 1),
    ("Pentecostal", 2),
)
CAPS = ((2, 10), (3, 18), (4, 30), (5, 14), (6, 12), (7, 6), (8, 10))
COURT_CAPS = ((4, 10), (6, 30), (8, 60))


@dataclass(eq=False)
class Vol:
    id: int
    site: SiteSpec  # the home site
    community: CommunitySpec | None
    community_id: int | None
    faith: str | None  # the faith they belong to, recorded only with consent
    consent: bool
    status: VolunteerStatus
    name: PersonName
    badge: str
    sites: list[SiteSpec]
    posts: list[PostSpec] = field(default_factory=list)
    started_on: date | None = None
    status_since: date | None = None
    left_on: date | None = None
    endorsed: bool = False
    key_holder: bool = False
    cap: int = 4
    risk: tuple[RiskOutcome, date] | None = None
    # (weekday, session) -> (every_n_weeks, anchor date)
    availability: dict[tuple[int, str], tuple[int, date]] = field(default_factory=dict)
    unavailable: list[tuple[date, date, str]] = field(default_factory=list)
    lead: bool = False
    has_email: bool = True
    pinned: bool = False  # a featured name or a faith post's quota: keep as generated
    endorsed_on: date | None = None
    row: dict = field(default_factory=dict)

    def serves_faith(self, faith: str) -> bool:
        """Rule 7: endorsed by a community of that faith, and consented to its recording."""
        return (
            self.consent
            and self.faith == faith
            and self.endorsed
            and self.community is not None
            and self.community.faith == faith
        )

    @property
    def active_window(self) -> tuple[date, date] | None:
        """When they could serve at all, whatever their paperwork."""
        if self.started_on is None:
            return None
        if self.status is VolunteerStatus.ACTIVE:
            return self.started_on, FAR_FUTURE
        if self.status in (VolunteerStatus.PAUSED, VolunteerStatus.LEFT):
            end = (self.left_on or self.status_since or self.started_on) - timedelta(days=1)
            return (self.started_on, end) if end >= self.started_on else None
        return None

    @property
    def recorded_faith(self) -> str | None:
        return self.faith if self.consent else None


def _days_ago(today: date, low: int, high: int, rng: Random) -> date:
    return today - timedelta(days=rng.randint(low, high))


def _dates(rng: Random, vol: Vol, today: date) -> None:
    """Started, left and in-this-status-since dates that fit the volunteer's status."""
    status = vol.status
    vol.started_on = vol.left_on = None
    years = min(25.0, 0.05 + rng.expovariate(1 / 6))
    started = today - timedelta(days=int(years * 365))
    if status is VolunteerStatus.ACTIVE:
        vol.started_on = started
        vol.status_since = started
        if rng.random() < 0.12 and (today - started).days > 400:
            vol.status_since = _days_ago(today, 30, (today - started).days - 200, rng)
    elif status is VolunteerStatus.PAUSED:
        vol.status_since = _days_ago(today, 14, 300, rng)
        vol.started_on = min(started, vol.status_since - timedelta(days=90))
    elif status is VolunteerStatus.LEFT:
        vol.left_on = _days_ago(today, 20, 800, rng)
        vol.started_on = min(started, vol.left_on - timedelta(days=120))
        vol.status_since = vol.left_on
    elif status is VolunteerStatus.VETTING:
        # Vetting takes up to three months, sometimes over a year.
        vol.status_since = today - timedelta(days=min(500, 3 + int(rng.expovariate(1 / 70))))
    elif status is VolunteerStatus.APPLICANT:
        vol.status_since = _days_ago(today, 2, 120, rng)
    else:
        vol.status_since = _days_ago(today, 0, 60, rng)


def _choose_posts(
    rng: Random, vol: Vol, forced: PostSpec | None, weights: dict[int, float]
) -> None:
    site = vol.site
    if site.is_court:
        vol.posts = list(site.posts)
        return
    posts = [forced] if forced else []
    extra = weighted(rng, ((0, 6), (1, 4))) if forced else weighted(rng, ((1, 65), (2, 35)))
    options = []
    for post in site.posts:
        if post in posts or post.key == "sycamore":
            continue
        weight = weights[id(post)]
        if post.faith and not vol.serves_faith(post.faith):
            if post.faith_mandatory:
                continue
            weight *= 0.1
        options.append((post, weight))
    while extra and options:
        chosen = weighted(rng, options)
        posts.append(chosen)
        options = [(p, w) for p, w in options if p is not chosen]
        extra -= 1
    sycamore = [p for p in site.posts if p.key == "sycamore"]
    if sycamore and rng.random() < 0.1:
        posts.append(sycamore[0])
    vol.posts = posts


def _fill_thin_posts(rng: Random, site: SiteSpec, vols: list[Vol]) -> None:
    """Give each post enough active regulars to staff it most weeks."""
    active = [v for v in vols if v.status is VolunteerStatus.ACTIVE]
    for post in site.posts:
        need = max(post.max_volunteers + 2, math.ceil(places_per_month(post) / 2.5))
        have = sum(1 for v in active if post in v.posts)
        pool = [v for v in active if post not in v.posts and len(v.posts) < 3]
        if post.faith and post.faith_mandatory:
            pool = [v for v in pool if v.serves_faith(post.faith)]
        rng.shuffle(pool)
        for vol in pool[: max(0, need - have)]:
            vol.posts.append(post)


def make_volunteers(rng: Random, world: World, ids: Ids) -> list[Vol]:
    vols: list[Vol] = []
    featured = list(world.featured)
    by_site: list[tuple[SiteSpec, list[Vol]]] = []
    for site in world.sites:
        weights = {id(p): places_per_month(p) for p in site.posts}
        quota: list[tuple[PostSpec, list[tuple[int, int]]]] = []
        for post in site.posts:
            if not post.faith:
                continue
            matching = [
                (i, w) for i, w in site.communities if world.communities[i].faith == post.faith
            ]
            if matching:
                need = max(post.max_volunteers + 2, math.ceil(weights[id(post)] / 2.5))
                quota += [(post, matching)] * need
        site_vols = []
        for number in range(site.volunteers):
            forced, links = quota[number] if number < len(quota) else (None, site.communities)
            index = weighted(rng, links)
            vol = _volunteer(rng, world, site, index, forced, ids, featured)
            _choose_posts(rng, vol, forced, weights)
            vol.pinned = vol.pinned or forced is not None
            site_vols.append(vol)
        by_site.append((site, site_vols))
        vols += site_vols
    _every_status(rng, vols, world.today)
    for site, site_vols in by_site:
        _fill_thin_posts(rng, site, site_vols)
    _second_prisons(rng, world, vols)
    _risk_assessments(rng, vols)
    for vol in vols:
        _finish(rng, vol, world)
    return vols


def _volunteer(rng, world, site, index, forced, ids, featured) -> Vol:
    community = world.communities[index]
    faith = community.faith
    if faith is None and not forced:
        faith = weighted(rng, PARTNER_FAITHS)
    status = (
        VolunteerStatus.ACTIVE if forced and rng.random() < 0.9 else weighted(rng, STATUS_WEIGHTS)
    )
    consent = faith is not None and (forced is not None or rng.random() < 0.88)
    match = next(
        (f for f in featured if f[3] == community.faith and status is VolunteerStatus.ACTIVE),
        None,
    )
    pinned = match is not None
    if match:
        featured.remove(match)
        first, last, sex, _, heritage, badge = match
        name = named_person(first, last, sex, heritage)
    else:
        heritage = heritage_for(rng, faith, site.nation)
        name = random_person(rng, heritage, script_chance=world.script_chance)
        badge = badge_name(rng, name.first)
    endorse_odds = {VolunteerStatus.APPLICANT: 0.5, VolunteerStatus.ENQUIRY: 0.1}
    vol = Vol(
        id=ids.next("volunteers"),
        site=site,
        community=community,
        community_id=community.id,
        faith=faith,
        consent=consent,
        status=status,
        name=name,
        badge=badge,
        sites=[site],
        endorsed=forced is not None or rng.random() < endorse_odds.get(status, 0.95),
        cap=weighted(rng, COURT_CAPS if site.is_court else CAPS),
        pinned=pinned,
    )
    _dates(rng, vol, world.today)
    return vol


def _every_status(rng: Random, vols: list[Vol], today: date) -> None:
    """Even a small world shows each step of the lifecycle at least once."""
    present = {vol.status for vol in vols}
    spare = [v for v in vols if v.status is VolunteerStatus.ACTIVE and not v.pinned]
    for status, _ in STATUS_WEIGHTS:
        if status not in present and spare:
            vol = spare.pop()
            vol.status = status
            _dates(rng, vol, today)


def _second_prisons(rng: Random, world: World, vols: list[Vol]) -> None:
    """A few chaplaincy volunteers also serve at a second prison in the same nation."""
    prisons = [s for s in world.sites if not s.is_court]
    for vol in vols:
        if vol.site.is_court or vol.status is not VolunteerStatus.ACTIVE or rng.random() > 0.02:
            continue
        others = [p for p in prisons if p is not vol.site and p.nation == vol.site.nation]
        if others:
            other = rng.choice(others)
            vol.sites.append(other)
            vol.posts.append(other.posts[0])


def _risk_assessments(rng: Random, vols: list[Vol]) -> None:
    """A few prison volunteers with lived experience: only the assessment's outcome and date."""
    served = [v for v in vols if not v.site.is_court and v.started_on]
    chosen = [v for v in served if rng.random() < 0.03] or served[:1]
    for vol in chosen:
        outcome = weighted(
            rng, ((RiskOutcome.APPROVED, 7), (RiskOutcome.APPROVED_WITH_CONDITIONS, 3))
        )
        vol.risk = (outcome, vol.started_on - timedelta(days=rng.randint(20, 90)))


def _finish(rng: Random, vol: Vol, world: World) -> None:
    today = world.today
    if vol.site.is_court:
        vol.lead = rng.random() < 0.15
    vol.key_holder = any(p.key == "admin" for p in vol.posts) or (
        not vol.site.is_court and vol.status is VolunteerStatus.ACTIVE and rng.random() < 0.15
    )
    availability(rng, vol, world)
    unavailability(rng, vol, world)
    since = vol.started_on or vol.status_since or today
    vol.endorsed_on = since - timedelta(days=rng.randint(10, 120))
    vol.row = personal_row(rng, vol, today)
