"""The national demo: 120 prisons and 10 courts across the UK, 500 communities (invented)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from random import Random

from dateutil.relativedelta import relativedelta

from ..models import CommunityKind, Jurisdiction, SiteDayKind, SiteKind
from ..scheduling.calendar import bank_holidays
from . import places
from .names import ascii_slug, heritage_for, person, weighted
from .posts import course_blocks, make_post
from .small import FEATURED
from .world import CommunitySpec, OneOff, SiteSpec, World

ORGANISATION = "HMPPS Chaplaincy & Court Desks (demo)"

JURISDICTION = {
    "england": Jurisdiction.ENGLAND_WALES,
    "wales": Jurisdiction.ENGLAND_WALES,
    "scotland": Jurisdiction.SCOTLAND,
    "northern_ireland": Jurisdiction.NORTHERN_IRELAND,
}
REGIONS = {
    "england": (
        "North East", "North West", "Yorkshire", "East Midlands", "West Midlands",
        "East of England", "London", "South East", "South West",
    ),
    "wales": ("Wales",),
    "scotland": ("Central Scotland", "North of Scotland"),
    "northern_ireland": ("Ulster",),
}  # fmt: skip
AREA_LETTERS = "ABCDEFGHJKLMNOPRSTUWYZ"
FAITH_MIX = (
    ("Church of England", 20), ("Roman Catholic", 14), ("Islam (Sunni)", 12), ("Methodist", 6),
    ("Pentecostal", 6), ("Baptist", 5), ("Sikh", 5), ("Hindu", 4), ("Jewish", 3),
    ("Buddhist", 3), ("Quaker", 2), ("United Reformed Church", 2), ("Salvation Army", 3),
    ("Orthodox Christian", 2), ("Islam (Shia)", 2), ("Pagan", 1), ("Rastafari", 1),
    ("Bahá'í", 1), ("Jain", 1),
)  # fmt: skip
FAITH_POSTS = {
    "Sikh": "sikh", "Hindu": "hindu", "Jewish": "jewish", "Buddhist": "buddhist",
    "Quaker": "quaker",
}  # fmt: skip
HOMES_BY_SIZE = {"large": 7, "medium": 4, "small": 3}
FAITH = CommunityKind.FAITH_COMMUNITY.value
PARTNER = CommunityKind.PARTNER.value


@dataclass(frozen=True)
class NationalPlan:
    """How big the national world is; tests use a scaled-down plan."""

    large: int = 5
    medium: int = 30
    small: int = 85
    scotland: int = 5
    northern_ireland: int = 3
    wales: int = 8
    courts: int = 10
    volunteers: int = 7000
    communities: int = 500
    large_volunteers: int = 150
    court_volunteers: int = 25


def national_world(rng: Random, today: date, plan: NationalPlan | None = None) -> World:
    plan = plan or NationalPlan()
    world = World("national", today, ORGANISATION, script_chance=0.05)
    world.featured = FEATURED
    taken_towns: set[str] = {"Westmoor"}
    prisons = _prisons(rng, world, plan, taken_towns)
    courts = _courts(rng, world, plan, prisons, taken_towns)
    _communities(rng, world, plan, prisons, courts)
    _volunteer_counts(plan, prisons, courts)
    for site in prisons:
        _prison_posts(rng, world, site)
    since = world.span_start - timedelta(days=900)
    holidays = {j: bank_holidays(j, world.span_start, world.span_end) for j in Jurisdiction}
    for court in courts:
        court.posts = [
            make_post(k, "court", court.jurisdiction, since) for k in ("desk_am", "desk_pm")
        ]
        for _ in range(rng.randint(1, 2)):
            day = world.span_start + timedelta(days=rng.randint(0, 360))
            while day.weekday() >= 5 or day in holidays[court.jurisdiction]:
                day += timedelta(days=1)
            if all(day != known for known, _, _ in court.days):
                court.days.append((day, SiteDayKind.CLOSURE, "Court not sitting"))
        court.days.sort()
    world.sites = prisons + courts
    return world


def _code(town: str, used: set[str]) -> str:
    letters = [ch for ch in town.upper() if ch.isalpha()]
    for a in range(1, len(letters)):
        for b in range(a + 1, len(letters)):
            code = letters[0] + letters[a] + letters[b]
            if code not in used:
                used.add(code)
                return code
    raise ValueError(f"no free site code for {town}")  # pragma: no cover - 120 towns fit


def _contacts(rng: Random, nation: str, town: str, kind: str) -> dict:
    def someone() -> str:
        name = person(rng, heritage_for(rng, None, nation))
        return f"{name.first} {name.last}"

    slug = ascii_slug(town)
    coordinator = someone()
    if kind == "prison":
        coordinator = f"Revd {coordinator} (Managing Chaplain)"
    else:
        coordinator = f"{coordinator} (court volunteer coordinator)"
    return {
        "address": f"{rng.choice(('Moor Road', 'Gaol Lane', 'Castle Street', 'Bridge Street'))}, {town}",
        "phone": places.landline(rng, nation),
        "security_contact_name": someone(),
        "security_contact_phone": places.landline(rng, nation),
        "security_contact_email": f"security.{slug}@justice.example.org",
        "coordinator_name": coordinator,
        "coordinator_phone": places.landline(rng, nation),
        "safeguarding_contact_name": someone(),
        "safeguarding_contact_phone": places.landline(rng, nation),
        "morning_gate_time": time(8, 0) if kind == "prison" else None,
        "afternoon_gate_time": time(13, 0) if kind == "prison" else None,
        "notes": "",
    }


def _prisons(rng: Random, world: World, plan: NationalPlan, towns: set[str]) -> list[SiteSpec]:
    sizes = ["large"] * plan.large + ["medium"] * plan.medium + ["small"] * plan.small
    others = ["scotland"] * plan.scotland + ["northern_ireland"] * plan.northern_ireland
    others += ["wales"] * plan.wales
    nations = others + ["england"] * (len(sizes) - 1 - len(others))
    rng.shuffle(nations)
    nations.insert(0, "england")  # HMP Westmoor, the first large prison
    by_nation = {n: places.invent_towns(rng, n, nations.count(n), towns) for n in REGIONS}
    codes = {"WMR", "WMC", "WCC"}
    prisons = []
    for index, (size, nation) in enumerate(zip(sizes, nations, strict=True)):
        if index == 0:
            town, code, name = "Westmoor", "WMR", "HMP Westmoor"
        else:
            town = by_nation[nation].pop()
            code = _code(town, codes)
            name = f"HMP & YOI {town}" if rng.random() < 0.12 else f"HMP {town}"
        area = "WM" if index == 0 else rng.choice("QVX") + rng.choice(AREA_LETTERS)
        site = SiteSpec(
            name, code, SiteKind.PRISON, JURISDICTION[nation], nation, town, area, size, 0
        )
        site.row = _contacts(rng, nation, town, "prison")
        site.row["postcode"] = places.postcode(rng, area)
        prisons.append(site)
    return prisons


def _courts(
    rng: Random, world: World, plan: NationalPlan, prisons: list[SiteSpec], towns: set[str]
) -> list[SiteSpec]:
    english = [p for p in prisons[1:] if p.nation == "england"]
    wanted: list[tuple[str, SiteKind, str]] = [
        ("england", SiteKind.MAGISTRATES_COURT, "Westmoor"),
        ("england", SiteKind.CROWN_COURT, "Westmoor"),
        ("scotland", SiteKind.MAGISTRATES_COURT, ""),
        ("northern_ireland", SiteKind.MAGISTRATES_COURT, ""),
        ("england", SiteKind.MAGISTRATES_COURT, ""),
        ("northern_ireland", SiteKind.CROWN_COURT, ""),
        ("england", SiteKind.CROWN_COURT, ""),
        ("england", SiteKind.MAGISTRATES_COURT, ""),
        ("england", SiteKind.MAGISTRATES_COURT, ""),
        ("england", SiteKind.CROWN_COURT, ""),
    ]
    codes = {p.code for p in prisons}
    courts = []
    for index, (nation, kind, town) in enumerate(wanted[: plan.courts]):
        if not town:
            same = [p for p in prisons if p.nation == nation]
            if nation == "england" and english:
                town = english[(index * 7) % len(english)].town
            elif same:
                town = same[0].town
            else:
                town = places.invent_towns(rng, nation, 1, towns)[0]
        if kind is SiteKind.CROWN_COURT:
            name = f"{town} Crown Court"
        elif nation == "scotland":
            name = f"{town} Justice of the Peace Court"
        else:
            name = f"{town} Magistrates' Court"
        code = {"Westmoor Magistrates' Court": "WMC", "Westmoor Crown Court": "WCC"}.get(name)
        area = "WM" if town == "Westmoor" else rng.choice("QVX") + rng.choice(AREA_LETTERS)
        site = SiteSpec(
            name, code or _code(town + "CT", codes), kind, JURISDICTION[nation], nation, town,
            area, "court", 0,
        )  # fmt: skip
        site.row = _contacts(rng, nation, town, "court")
        site.row["postcode"] = places.postcode(rng, area)
        site.row["notes"] = "Family support desk in the public waiting area."
        courts.append(site)
    return courts


def _add_community(world: World, seen: dict[str, int], spec: CommunitySpec) -> tuple[int, bool]:
    """The index of a community with this name, adding it when new."""
    if spec.name in seen:
        return seen[spec.name], False
    seen[spec.name] = len(world.communities)
    world.communities.append(spec)
    return seen[spec.name], True


def _community(rng: Random, world: World, name: str, kind: str, faith, tradition, nation, town):
    title = rng.choice(places.LEADER_TITLES.get(faith, ("",)))
    leader = places.leader_name(title, person(rng, heritage_for(rng, faith, nation)))
    signed = world.today - timedelta(days=rng.randint(20, 1200))
    years = 3
    slug = ascii_slug(name)[:24]
    row = {
        "contact_name": leader,
        "contact_email": f"office@{slug}.example.org",
        "contact_phone": places.landline(rng, nation),
        "address": places.street_address(rng, town),
        "endorsing_authority": rng.choice(("Trustees", "Leadership team", "Committee"))
        if faith is None or rng.random() < 0.5
        else f"{title or 'Leader'} of the community".strip(),
        "agreement_signed_on": None if rng.random() < 0.04 else signed,
        "review_due_on": None,
        "notes": "",
    }
    if row["agreement_signed_on"]:
        row["review_due_on"] = signed + relativedelta(years=years)
    return CommunitySpec(name, kind, faith, tradition, leader, row)


def _communities(
    rng: Random, world: World, plan: NationalPlan, prisons: list[SiteSpec], courts: list[SiteSpec]
) -> None:
    """Partners first, then faith communities in the prisons' towns, shared within regions."""
    seen: dict[str, int] = {}

    def add(name, kind, faith, tradition, nation, town) -> int:
        spec = _community(rng, world, name, kind, faith, tradition, nation, town)
        return _add_community(world, seen, spec)[0]

    pact = add("Pact (Prison Advice and Care Trust)", PARTNER, None,
               "National charity: families and courts", "england", "London")  # fmt: skip
    fellowship = add("Prison Fellowship", PARTNER, None, "Christian charity (ecumenical)",
                     "england", "London")  # fmt: skip
    every = 3
    for number, prison in enumerate(prisons[: max(1, len(prisons) // every)]):
        name, tradition = places.partner_name(rng, prison.town)
        index = add(name, PARTNER, None, tradition, prison.nation, prison.town)
        for other in prisons[number :: max(1, len(prisons) // every)]:
            other.communities.append((index, 3))
    for prison in prisons:
        prison.communities.append((fellowship, 2))
    for court in courts:
        if court.nation in ("england", "wales"):
            court.communities = [(pact, 20)]
        else:
            court.communities = [
                (add(f"{court.town} Court Family Support", PARTNER, None,
                     "Local charity: families at court", court.nation, court.town), 20)
            ]  # fmt: skip
    regions = {id(p): rng.choice(REGIONS[p.nation]) for p in prisons}
    homes = _faith_homes(rng, world, plan, prisons, regions, seen)
    pool: dict[str, list[int]] = {}
    for prison in prisons:
        pool.setdefault(regions[id(prison)], []).extend(homes[id(prison)])
    for prison in prisons:
        own = homes[id(prison)]
        links = [(index, 10 if n == 0 else 6 if n < 3 else 4) for n, index in enumerate(own)]
        others = [i for i in pool[regions[id(prison)]] if i not in own]
        shared = {"large": 5, "medium": 4, "small": 3}[prison.size]
        links += [(index, 2) for index in rng.sample(others, min(shared, len(others)))]
        for faith in ("Roman Catholic", "Islam (Sunni)"):
            if all(world.communities[i].faith != faith for i, _ in links):
                near = [i for i in others if world.communities[i].faith == faith]
                near = near or [i for i, c in enumerate(world.communities) if c.faith == faith]
                if near:
                    links.append((rng.choice(near), 5))
        prison.communities = links + prison.communities
    for court in courts:
        local = next((p for p in prisons if p.town == court.town), None)
        if local:
            court.communities += [(i, 1) for i, _ in local.communities[:4]]


def _faith_homes(rng, world, plan, prisons, regions, seen) -> dict[int, list[int]]:
    """Faith communities in each prison's town, as many as the plan's total allows."""
    wanted = plan.communities - len(world.communities)
    counts = [HOMES_BY_SIZE[p.size] for p in prisons]
    step = 0
    while sum(counts) != wanted and step < 10_000:
        i = step % len(counts)
        if sum(counts) < wanted:
            counts[i] += 1
        elif counts[-1 - i] > 1:
            counts[-1 - i] -= 1
        step += 1
    primary = {"scotland": "Church of Scotland"}
    homes: dict[int, list[int]] = {}
    for prison, count in zip(prisons, counts, strict=True):
        faiths = [primary.get(prison.nation, "Church of England")]
        found: list[int] = []
        tries = 0
        while len(found) < count and tries < count * 20:
            tries += 1
            faith = faiths.pop() if faiths else weighted(rng, FAITH_MIX)
            if faith == "Church of England" and prison.nation == "scotland":
                faith = "Church of Scotland"
            name, tradition = places.community_name(rng, faith, prison.town, regions[id(prison)])
            if prison.nation == "northern_ireland" and faith == "Church of England":
                name, tradition = f"{name} (Church of Ireland)", "Church of Ireland parish"
            spec = _community(rng, world, name, FAITH, faith, tradition, prison.nation, prison.town)
            index, new = _add_community(world, seen, spec)
            if new:
                found.append(index)
        homes[id(prison)] = found
    return homes


def _volunteer_counts(plan: NationalPlan, prisons: list[SiteSpec], courts: list[SiteSpec]) -> None:
    for court in courts:
        court.volunteers = plan.court_volunteers
    left = plan.volunteers - plan.court_volunteers * len(courts)
    large = [p for p in prisons if p.size == "large"]
    for prison in large:
        prison.volunteers = plan.large_volunteers
    left -= plan.large_volunteers * len(large)
    rest = [p for p in prisons if p.size != "large"]
    weight = {"medium": 75, "small": 40}
    total = sum(weight[p.size] for p in rest) or 1
    for prison in rest:
        prison.volunteers = max(8, round(left * weight[prison.size] / total))
    short = plan.volunteers - sum(s.volunteers for s in prisons + courts)
    for number in range(abs(short)):  # land exactly on the planned total
        rest[number % len(rest)].volunteers += 1 if short > 0 else -1


def _prison_posts(rng: Random, world: World, site: SiteSpec) -> None:
    since = world.span_start - timedelta(days=rng.randint(200, 2500))
    faiths = {world.communities[i].faith for i, _ in site.communities}
    keys = ["cofe", "admin", "opv", "first_sunday"]
    keys += [
        key
        for faith, key in (("Roman Catholic", "mass"), ("Islam (Sunni)", "jummah"))
        if faith in faiths
    ]
    if site.size != "small":
        keys.append("evening")
    keys += [key for faith, key in FAITH_POSTS.items() if faith in faiths]
    if site.size != "small" or rng.random() < 0.5:
        keys.append("choir")
    if site.size != "small" or rng.random() < 0.5:
        keys.append("bible")
    if site.size != "small":
        keys.append("wing")
    site.posts = [make_post(key, site.size, site.jurisdiction, since) for key in keys]
    if site.nation == "scotland":
        site.posts[0].name = "Sunday service (Church of Scotland)"
    blocks = {"large": 4, "medium": 3, "small": 2}[site.size]
    site.posts.append(
        make_post(
            "sycamore",
            site.size,
            site.jurisdiction,
            since,
            blocks=course_blocks(rng, world.span_start, world.today, blocks),
        )
    )
    if rng.random() < 0.1:
        day = world.today + timedelta(days=rng.randint(-80, 250))
        site.days.append((day, SiteDayKind.CLOSURE, "Chapel closed"))
    if site.size == "large":
        christmas = date(world.today.year, 12, 25)
        if christmas < world.today:
            christmas = christmas.replace(year=christmas.year + 1)
        if christmas.weekday() != 6:
            site.one_offs.append(OneOff("cofe", christmas, "Christmas Day service", 10))
