"""Invented places, addresses, phone numbers and the names of communities and partners.

Phone numbers come from Ofcom's ranges reserved for drama (07700 900xxx, 01632 960xxx,
020 7946 0xxx and friends), so no demo number rings a real person. Postcodes start with
letters no real UK postcode area uses (Q, V, X) except Westmoor's invented "WM".
"""

from __future__ import annotations

from random import Random

from .names import PersonName, split_list

# Syllables for invented towns, by nation.
_TOWN_PARTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "england": (
        split_list(
            "Ash, Brack, Bram, Cold, Crow, Eld, Fal, Gor, Hart, Kes, Lang, Mar, Nether, Oak, Pel,"
            "Rad, Sal, Thorn, Wes, Wold, Brad, Cal, Dray, Elm, Fox, Haw, Ing, Lyn, Mel, Ock,"
            "Quen, Ros, Stan, Tad, Ulls, Ver, Yar, Bex, Church, Hather"
        ),
        split_list(
            "combe, ford, ley, ton, bury, wick, moor, field, ham, stead, well, thorpe, by, worth,"
            "mouth, gate, hurst, den, bridge, cote"
        ),
    ),
    "wales": (
        split_list("Aber, Llan, Pen, Cwm, Pont, Tre, Bryn, Caer"),
        split_list("gwili, fedw, carrow, nant, dulais, heli, morfa, wen, ddu, faes"),
    ),
    "scotland": (
        split_list("Inver, Kin, Bal, Auch, Glen, Strath, Dun, Kil"),
        split_list("brae, lochan, murrie, ardle, ochty, voe, carron, dallan, more"),
    ),
    "northern_ireland": (
        split_list("Bally, Carrick, Dun, Lis, Drum, Knock, Rath, Kil"),
        split_list("derrin, moyle, loughan, nafeen, beg, carra, more, keeran"),
    ),
}
# Invented names that happen to be real places; skipped.
_REAL = set(
    split_list(
        "Ashford, Bradford, Oakham, Stanford, Ashley, Bexley, Melton, Ashton, Crowthorne,"
        "Falmouth, Hartley, Langley, Marbury, Radford, Salford, Stanley, Thornbury, Wesham,"
        "Ashby, Elmbridge, Foxton, Hawley, Lynton, Rosley, Bradley, Stanton, Bramley, Hartford,"
        "Marton, Thornton, Stanwick, Crowcombe, Dunmore, Kilmore, Balmore, Glenmore, Kinbrae,"
        "Lisbeg, Drummore, Rathmore, Carrickmore, Knockmore, Dunbeg, Marley, Calton, Tadley,"
        "Ingham, Yarwell, Coldstream, Ockley, Bexwell, Elmstead, Kesgrave, Elmley, Melbury,"
        "Thornham, Oakworth, Eldwick, Churchfield, Churchstead, Oakley, Oakfield, Stanfield,"
        "Marfield, Brackley, Bradwell, Calbury, Cotbury, Foxley, Hathersage, Lyndhurst"
    )
)


def invent_towns(rng: Random, nation: str, count: int, taken: set[str]) -> list[str]:
    starts, ends = _TOWN_PARTS[nation]
    towns: list[str] = []
    while len(towns) < count:
        name = rng.choice(starts) + rng.choice(ends)
        if name in _REAL or name in taken:
            continue
        taken.add(name)
        towns.append(name)
    return towns


STREETS = split_list(
    "High Street, Church Lane, Station Road, Victoria Road, Mill Lane, Park Avenue, The Crescent,"
    "Orchard Close, Chapel Street, Queen's Road, St Mary's Road, Glebe Road, Manor Way,"
    "Albert Terrace, Meadow Rise, Brook Street, Kingsway, Beech Grove, Hillside Drive,"
    "Market Place, Windsor Court, Canal Side"
)
DISTRICTS = (
    "Northgate",
    "Eastfield",
    "Southbank",
    "Old Town",
    "Riverside",
    "Highfield",
    "Moorside",
)


def postcode(rng: Random, area: str) -> str:
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return (
        f"{area}{rng.randint(1, 19)} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"
    )


def street_address(rng: Random, town: str) -> str:
    parts = [f"{rng.randint(1, 180)} {rng.choice(STREETS)}"]
    if rng.random() < 0.5:
        parts.append(rng.choice(DISTRICTS))
    parts.append(town)
    return ", ".join(parts)


def mobile(rng: Random) -> str:
    return f"07700 900{rng.randint(0, 999):03d}"


_LANDLINES = ("01632 960{:03d}", "0113 496 0{:03d}", "0117 496 0{:03d}", "0161 496 0{:03d}")
_NATION_LANDLINES = {
    "westmoor": ("01632 960{:03d}",),
    "wales": ("029 2018 0{:03d}",),
    "scotland": ("0131 496 0{:03d}", "0141 496 0{:03d}"),
    "northern_ireland": ("028 9018 0{:03d}",),
}


def landline(rng: Random, nation: str = "england") -> str:
    pattern = rng.choice(_NATION_LANDLINES.get(nation, _LANDLINES))
    return pattern.format(rng.randint(0, 999))


def email_for(name: PersonName, used: dict[str, int]) -> str:
    local = name.email_local or "volunteer"
    count = used.get(local, 0) + 1
    used[local] = count
    domain = ("example.org", "example.com", "example.net")[count % 3]
    return f"{local}{'' if count == 1 else count}@{domain}"


# Titles for a community's leader, who endorses its volunteers.
LEADER_TITLES: dict[str | None, tuple[str, ...]] = {
    "Church of England": ("Revd", "Revd Canon", "The Ven."),
    "Roman Catholic": ("Fr", "Fr", "Sr", "Deacon"),
    "Methodist": ("Revd",),
    "Baptist": ("Revd", "Pastor"),
    "United Reformed Church": ("Revd",),
    "Pentecostal": ("Pastor", "Bishop"),
    "Orthodox Christian": ("Fr",),
    "Church of Scotland": ("Revd",),
    "Salvation Army": ("Major", "Captain"),
    "Quaker": ("",),
    "Islam (Sunni)": ("Imam", "Sheikh"),
    "Islam (Shia)": ("Imam", "Sheikh"),
    "Sikh": ("Giani", "Bhai"),
    "Hindu": ("Pandit",),
    "Jain": ("",),
    "Jewish": ("Rabbi",),
    "Buddhist": ("Venerable", ""),
    "Pagan": ("",),
    "Rastafari": ("",),
    "Bahá'í": ("",),
    None: ("",),
}


def leader_name(title: str, name: PersonName) -> str:
    return f"{title} {name.first} {name.last}".strip()


_SAINTS = split_list(
    "Michael, Mary, John, Peter, Paul, Andrew, Luke, Mark, James, George, Margaret, Anne,"
    "Bartholomew, Alban, Chad, Aidan, Hilda, Cuthbert, David, Thomas, Stephen, Nicholas,"
    "Lawrence, Barnabas, Matthew, Catherine, Bride"
)
_LADY_OF = ("Lourdes", "Walsingham", "Fatima", "Perpetual Succour", "the Assumption", "Sorrows")


def community_name(rng: Random, faith: str, town: str, region: str) -> tuple[str, str]:
    """An invented name and tradition for a faith community of ``faith`` in ``town``."""
    saint, other = rng.sample(_SAINTS, 2)
    choices: dict[str, list[tuple[str, str]]] = {
        "Church of England": [
            (f"St {saint}'s Parish Church, {town}", "Anglican parish"),
            (f"St {saint} and St {other}, {town}", "Anglican parish"),
            (f"{town} Team Ministry", "Anglican team ministry"),
            (f"Diocese of {town}", "Anglican diocese"),
        ],
        "Roman Catholic": [
            (f"Our Lady of {rng.choice(_LADY_OF)} Parish, {town}", "Catholic parish"),
            (f"St {saint}'s Catholic Church, {town}", "Catholic parish"),
            (f"{town} Polish Catholic Mission", "Catholic mission"),
        ],
        "Methodist": [(f"{town} Methodist Circuit", "Methodist circuit")],
        "Baptist": [(f"{town} Baptist Church", "Baptist church")],
        "United Reformed Church": [(f"{town} United Reformed Church", "URC congregation")],
        "Pentecostal": [
            (f"New Covenant Pentecostal Church, {town}", "Pentecostal church"),
            (f"Elim Pentecostal Church, {town}", "Pentecostal church"),
            (f"Living Waters Church, {town}", "Pentecostal church"),
        ],
        "Orthodox Christian": [
            (
                f"St {rng.choice(('George', 'Nicholas', 'Demetrios'))} Orthodox Church, {town}",
                "Orthodox parish",
            ),
            (f"Romanian Orthodox Parish of {town}", "Orthodox parish"),
        ],
        "Church of Scotland": [
            (f"{town} Parish Church (Church of Scotland)", "Church of Scotland")
        ],
        "Salvation Army": [(f"The Salvation Army, {town} Corps", "Salvation Army corps")],
        "Quaker": [(f"{region} Area Quaker Meeting", "Quaker Area Meeting")],
        "Islam (Sunni)": [
            (f"{town} Central Mosque", "Sunni mosque"),
            (
                f"Masjid {rng.choice(('al-Noor', 'al-Falah', 'Abu Bakr', 'Bilal', 'al-Huda'))}, {town}",
                "Sunni mosque",
            ),
            (f"{town} Islamic Centre", "Sunni mosque"),
        ],
        "Islam (Shia)": [(f"{town} Husaini Islamic Centre", "Shia centre")],
        "Sikh": [
            (f"Guru Nanak Gurdwara, {town}", "Gurdwara"),
            (f"Gurdwara Sri Guru Singh Sabha, {town}", "Gurdwara"),
            (f"Ramgarhia Gurdwara, {town}", "Gurdwara"),
        ],
        "Hindu": [
            (
                f"Shree {rng.choice(('Krishna', 'Ram', 'Sanatan', 'Ganesh'))} Mandir, {town}",
                "Mandir",
            ),
            (f"{town} Hindu Temple", "Mandir"),
        ],
        "Jain": [(f"{town} Jain Sangh", "Jain community")],
        "Jewish": [
            (f"{town} Hebrew Congregation", "Orthodox synagogue"),
            (f"{town} Reform Synagogue", "Reform synagogue"),
            (f"{town} Liberal Jewish Community", "Liberal synagogue"),
        ],
        "Buddhist": [
            (f"{town} Buddhist Centre", "Buddhist centre"),
            (f"{town} Buddhist Vihara", "Theravada vihara"),
            (f"{town} Zen Group", "Zen group"),
        ],
        "Pagan": [(f"Pagan Federation, {region}", "Pagan network")],
        "Rastafari": [(f"{town} Rastafari Fellowship", "Rastafari community")],
        "Bahá'í": [(f"Bahá'í Community of {town}", "Bahá'í community")],
    }
    return rng.choice(choices[faith])


def partner_name(rng: Random, town: str) -> tuple[str, str]:
    """A local partner organisation (name, tradition/description)."""
    return rng.choice(
        [
            (f"Samaritans of {town}", "Listening support"),
            (f"Prison Fellowship, {town} group", "Christian charity (ecumenical)"),
            (f"{town} Community Chaplaincy", "Through-the-gate mentoring"),
            (f"{town} Women's Centre", "Local charity"),
            (f"{town} Family Support Network", "Local charity"),
            (f"{town} Reading Friends", "Literacy charity"),
        ]
    )
