"""Names for demo people: British and diverse, by heritage, with a few in other scripts.

Every name here is invented for the demo; any likeness to a real person is chance.
A heritage is a pool of (forename, sex) and surnames; Polish and Sikh surnames have
a female form, written as ``"male/female"``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from random import Random
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Heritage:
    female: tuple[str, ...]
    male: tuple[str, ...]
    surnames: tuple[str, ...]
    languages: tuple[tuple[str, int], ...] = (("English", 1),)


def split_list(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


HERITAGES: dict[str, Heritage] = {
    "english": Heritage(
        split_list(
            "Margaret, Elizabeth, Catherine, Susan, Jennifer, Sarah, Emma, Zoë, Chloë, Rebecca,"
            "Helen, Ruth, Janet, Pauline, Hannah, Lucy, Charlotte, Anne, Gillian, Patricia,"
            "Deborah, Rachel, Joanne, Alison, Karen, Frances, Rosemary, Abigail, Jessica, Amy"
        ),
        split_list(
            "William, Robert, James, John, David, Michael, Peter, Christopher, Richard, Thomas,"
            "Andrew, Matthew, Stephen, Anthony, Jonathan, Philip, Graham, Nigel, Geoffrey,"
            "Edward, Daniel, Samuel, Simon, Mark, Paul, Timothy, Benjamin, Oliver, Joseph, Harry"
        ),
        split_list(
            "Smith, Jones, Williams, Brown, Taylor, Wilson, Johnson, Robinson, Wright, Thompson,"
            "Evans, Walker, White, Green, Hall, Wood, Jackson, Clarke, Edwards, Turner, Cooper,"
            "Hill, Ward, Morris, Moore, Harris, Baker, Harrison, Martin, Allen, King, Scott,"
            "Bennett, Parker, Fletcher, Ashworth, Pemberton, Holloway, Fairclough, Whitfield,"
            "Marsh, Barlow, Dyson, Hartley, Sutcliffe, Bradshaw, Kershaw, Lockwood"
        ),
    ),
    "welsh": Heritage(
        split_list(
            "Siân, Rhiannon, Cerys, Ffion, Bethan, Angharad, Gwen, Nia, Eluned, Carys, Mererid"
        ),
        split_list("Dafydd, Rhys, Gethin, Iwan, Owain, Huw, Emyr, Gareth, Aled, Ioan, Geraint"),
        split_list(
            "Jones, Evans, Williams, Davies, Thomas, Roberts, Hughes, Lewis, Morgan, Griffiths,"
            "Owen, Pritchard, Rees, Llewellyn, Powell, Jenkins, Parry, Vaughan, Bowen"
        ),
        (("English", 5), ("English, Welsh", 4)),
    ),
    "scottish": Heritage(
        split_list("Morag, Fiona, Catriona, Eilidh, Isla, Kirsty, Mhairi, Ailsa, Shona, Elspeth"),
        split_list("Hamish, Callum, Angus, Alasdair, Euan, Fraser, Ruaridh, Murdo, Iain, Duncan"),
        split_list(
            "MacLeod, MacDonald, Campbell, Stewart, Robertson, Fraser, Murray, Sinclair,"
            "Mackenzie, MacKinnon, Ross, Paterson, Grant, McIntyre, Drummond, Buchanan"
        ),
        (("English", 12), ("English, Scottish Gaelic", 1)),
    ),
    "irish": Heritage(
        split_list("Aoife, Siobhán, Niamh, Róisín, Saoirse, Caoimhe, Orla, Gráinne, Bríd, Máire"),
        split_list("Ciarán, Seán, Pádraig, Eoin, Declan, Cathal, Darragh, Oisín, Colm, Dónal"),
        split_list(
            "O'Neill, Ó Briain, Murphy, Kelly, O'Sullivan, Byrne, Ryan, Ó Súilleabháin,"
            "McCarthy, Doherty, Gallagher, Quinn, O'Connor, Walsh, Fitzgerald, Kavanagh"
        ),
        (("English", 6), ("English, Irish", 1)),
    ),
    "polish": Heritage(
        split_list("Agnieszka, Małgorzata, Katarzyna, Zofia, Joanna, Magdalena, Ewa, Dorota"),
        split_list("Łukasz, Krzysztof, Paweł, Tomasz, Michał, Wojciech, Grzegorz, Piotr"),
        split_list(
            "Kowalski/Kowalska, Nowak, Wiśniewski/Wiśniewska, Wójcik, Zieliński/Zielińska,"
            "Lewandowski/Lewandowska, Szymański/Szymańska, Dąbrowski/Dąbrowska, Kamiński/Kamińska"
        ),
        (("Polish, English", 1),),
    ),
    "south_asian_muslim": Heritage(
        split_list(
            "Fatima, Aisha, Ayesha, Zainab, Maryam, Khadija, Samina, Nadia, Shabana, Rukhsana"
        ),
        split_list(
            "Muhammad, Mohammed, Ahmed, Imran, Tariq, Bilal, Yusuf, Ibrahim, Hamza, Asif, Irfan"
        ),
        split_list(
            "Ahmed, Khan, Hussain, Ali, Akhtar, Iqbal, Malik, Rahman, Choudhury, Mahmood,"
            "Shah, Qureshi, Mirza, Siddiqui, Bashir"
        ),
        (("English, Urdu", 4), ("English, Punjabi", 2), ("English, Bengali", 2), ("English", 2)),
    ),
    "somali_arab": Heritage(
        split_list("Hodan, Amina, Leila, Sahra, Hibo, Nour, Yasmin, Rania"),
        split_list("Abdi, Hassan, Farah, Omar, Khalid, Mustafa, Karim, Abdirahman"),
        split_list(
            "Mohamed, Hassan, Abdullahi, Osman, Yusuf, Al-Hassan, El-Sayed, Warsame, Haddad"
        ),
        (("Somali, English, Arabic", 1), ("Arabic, English", 1)),
    ),
    "sikh": Heritage(
        split_list("Gurpreet, Harjit, Manpreet, Jaswinder, Simran, Navjot, Amrit, Kulwant"),
        split_list("Gurpreet, Harjit, Jaswinder, Sukhwinder, Balwinder, Amarjit, Ranjit, Kuldeep"),
        split_list(
            "Singh/Kaur, Singh/Kaur, Singh/Kaur, Gill, Sandhu, Dhillon, Sidhu, Bains, Grewal"
        ),
        (("English, Punjabi", 1),),
    ),
    "hindu": Heritage(
        split_list("Priya, Anjali, Deepa, Sunita, Meera, Kavita, Pooja, Lakshmi, Nisha, Asha"),
        split_list("Rajesh, Sanjay, Anil, Vikram, Arjun, Ramesh, Dinesh, Suresh, Amit, Nikhil"),
        split_list(
            "Patel, Shah, Sharma, Mistry, Joshi, Desai, Mehta, Kumar, Gupta, Iyer, Naidoo,"
            "Pillai, Chauhan, Parmar, Jain"
        ),
        (("English, Gujarati", 3), ("English, Hindi", 2), ("English, Tamil", 1), ("English", 1)),
    ),
    "nigerian": Heritage(
        split_list(
            "Chiamaka, Ngozi, Adaeze, Funmilayo, Chioma, Folake, Yetunde, Ifeoma, Blessing, Temitope"
        ),
        split_list(
            "Chinedu, Emeka, Oluwaseun, Babatunde, Chukwuemeka, Obinna, Tunde, Ikenna, Femi, Kelechi"
        ),
        split_list(
            "Okonkwo, Adeyemi, Okafor, Eze, Nwosu, Adebayo, Obi, Balogun, Ogunleye, Okeke, Uche,"
            "Mensah, Asante, Boateng"
        ),
        (("English", 3), ("English, Igbo", 1), ("English, Yoruba", 1), ("English, Twi", 1)),
    ),
    "caribbean": Heritage(
        split_list(
            "Marcia, Claudette, Beverley, Hyacinth, Janice, Paulette, Sonia, Maxine, Jasmine"
        ),
        split_list("Delroy, Winston, Errol, Leroy, Carlton, Desmond, Marcus, Trevor, Clive"),
        split_list(
            "Campbell, Brown, Francis, Clarke, Henry, Thomas, Grant, Reid, Morrison, Beckford,"
            "Forbes, Samuels, McKenzie, Bailey"
        ),
    ),
    "vietnamese": Heritage(
        split_list("Linh, Mai, Thu, Hoa, Lan, Ngoc"),
        split_list("Minh, Duc, Tuan, Hung, Quang, Long"),
        split_list("Nguyen, Tran, Pham, Le, Hoang, Vu"),
        (("Vietnamese, English", 1),),
    ),
    "chinese": Heritage(
        split_list("Mei, Xiu Ying, Li Na, Wing, Hui, Yan"),
        split_list("Wei, Jun, Ka Ho, Ming, Hao, Kwok"),
        split_list("Wong, Chen, Li, Zhang, Chan, Lam, Cheung"),
        (("Cantonese, English", 1), ("Mandarin, English", 1)),
    ),
    "jewish": Heritage(
        split_list("Miriam, Rachel, Naomi, Esther, Leah, Deborah, Judith, Tamar, Ruth"),
        split_list("David, Daniel, Jonathan, Benjamin, Samuel, Joshua, Aaron, Nathan, Reuben"),
        split_list(
            "Cohen, Levy, Goldberg, Rosen, Shapiro, Silver, Freeman, Jacobs, Abrahams, Marks,"
            "Myers, Kaplan"
        ),
        (("English", 4), ("English, Hebrew", 1)),
    ),
    "european": Heritage(
        split_list("Ana, Ioana, Elena, Beatriz, Mariana, Eleni, Sofia, Giulia, Francesca"),
        split_list("Andrei, Mihai, Florin, João, Tiago, Rui, Giorgos, Nikos, Luca, Marco"),
        split_list(
            "Popescu, Ionescu, Dumitru, Silva, Santos, Ferreira, Costa, Papadopoulos,"
            "Georgiou, Rossi, Bianchi, Esposito"
        ),
        (("Romanian, English", 1), ("Portuguese, English", 1), ("Greek, English", 1)),
    ),
    "sri_lankan": Heritage(
        split_list("Dilani, Nimali, Chamari, Anoma"),
        split_list("Chaminda, Ruwan, Nuwan, Sunil"),
        split_list("Perera, Fernando, Jayasuriya, Silva, Wickramasinghe"),
        (("Sinhala, English", 1), ("Tamil, English", 1)),
    ),
    "persian": Heritage(
        split_list("Shirin, Nasrin, Parisa, Mahsa"),
        split_list("Dariush, Kourosh, Payam, Reza"),
        split_list("Rahimi, Tehrani, Farahani, Mahdavi"),
        (("Farsi, English", 1),),
    ),
}

# Names written in their own script: forenames (name, sex, transliteration) and surnames
# (name, sex it suits or "" for any, transliteration).
SCRIPT_NAMES: dict[str, tuple[tuple[tuple[str, str, str], ...], tuple[tuple[str, str, str], ...]]] = {
    "arabic": (
        (("محمد", "m", "muhammad"), ("فاطمة", "f", "fatima"), ("يوسف", "m", "yusuf"),
         ("مريم", "f", "maryam"), ("عائشة", "f", "aisha"), ("إبراهيم", "m", "ibrahim")),
        (("الحسن", "", "alhassan"), ("أحمد", "", "ahmed"), ("عبدالله", "", "abdullah"),
         ("حسين", "", "hussain"), ("خان", "", "khan")),
    ),
    "gurmukhi": (
        (("ਗੁਰਪ੍ਰੀਤ", "f", "gurpreet"), ("ਹਰਜੀਤ", "m", "harjit"), ("ਮਨਪ੍ਰੀਤ", "f", "manpreet"),
         ("ਜਸਵਿੰਦਰ", "m", "jaswinder"), ("ਸਿਮਰਨ", "f", "simran")),
        (("ਕੌਰ", "f", "kaur"), ("ਸਿੰਘ", "m", "singh"), ("ਗਿੱਲ", "", "gill"), ("ਸੰਧੂ", "", "sandhu")),
    ),
    "devanagari": (
        (("प्रिया", "f", "priya"), ("अनिल", "m", "anil"), ("सुनीता", "f", "sunita"),
         ("राजेश", "m", "rajesh"), ("मीरा", "f", "meera")),
        (("शर्मा", "", "sharma"), ("पटेल", "", "patel"), ("जोशी", "", "joshi"), ("गुप्ता", "", "gupta")),
    ),
}  # fmt: skip
SCRIPT_FOR_HERITAGE = {
    "south_asian_muslim": "arabic",
    "somali_arab": "arabic",
    "sikh": "gurmukhi",
    "hindu": "devanagari",
}

# Short forms a volunteer may want on a badge.
SHORT_FORMS: dict[str, tuple[str, ...]] = {
    "William": ("Bill", "Will"),
    "Robert": ("Bob", "Rob"),
    "Margaret": ("Maggie", "Peggy"),
    "Elizabeth": ("Liz", "Beth"),
    "Catherine": ("Kate", "Cathy"),
    "Christopher": ("Chris",),
    "Jennifer": ("Jenny",),
    "Michael": ("Mike",),
    "Anthony": ("Tony",),
    "Jonathan": ("Jon",),
    "Matthew": ("Matt",),
    "Stephen": ("Steve",),
    "Andrew": ("Andy",),
    "Richard": ("Rich", "Dick"),
    "Thomas": ("Tom",),
    "Edward": ("Ted", "Eddie"),
    "Samuel": ("Sam",),
    "Daniel": ("Dan",),
    "Benjamin": ("Ben",),
    "Rebecca": ("Becky",),
    "Deborah": ("Debbie",),
    "Patricia": ("Pat", "Trish"),
    "Susan": ("Sue",),
    "Alasdair": ("Ali",),
    "Oluwaseun": ("Seun",),
    "Chukwuemeka": ("Emeka",),
    "Babatunde": ("Tunde",),
    "Funmilayo": ("Funmi",),
    "Temitope": ("Tope",),
    "Muhammad": ("Mo",),
    "Gurpreet": ("Preet",),
    "Małgorzata": ("Gosia",),
    "Katarzyna": ("Kasia",),
    "Abigail": ("Abi",),
    "Joseph": ("Joe",),
}

RELATIONS = ("Spouse", "Partner", "Daughter", "Son", "Sister", "Brother", "Friend", "Parent")


@dataclass(frozen=True)
class PersonName:
    first: str
    last: str
    sex: str
    email_local: str  # ASCII, for the e-mail address
    heritage: str


def ascii_slug(text: str) -> str:
    """Lower-case ASCII letters only: "Ó Briain" -> "obriain", "Łukasz" -> "lukasz"."""
    text = text.replace("Ł", "L").replace("ł", "l").replace("ø", "o")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if ch.isascii() and ch.isalpha()).lower()


def surname_for(surname: str, sex: str) -> str:
    if "/" in surname:
        male, female = surname.split("/", 1)
        return female if sex == "f" else male
    return surname


def person(rng: Random, heritage: str, *, script_chance: float = 0.0) -> PersonName:
    """A random name of one heritage; now and then written in the heritage's own script."""
    script = SCRIPT_FOR_HERITAGE.get(heritage)
    if script and rng.random() < script_chance:
        return script_person(rng, script, heritage)
    pool = HERITAGES[heritage]
    sex = "f" if rng.random() < 0.55 else "m"
    first = rng.choice(pool.female if sex == "f" else pool.male)
    last = surname_for(rng.choice(pool.surnames), sex)
    return PersonName(first, last, sex, f"{ascii_slug(first)}.{ascii_slug(last)}", heritage)


def script_person(rng: Random, script: str, heritage: str) -> PersonName:
    firsts, lasts = SCRIPT_NAMES[script]
    first, sex, first_local = rng.choice(firsts)
    last, _, last_local = rng.choice([entry for entry in lasts if entry[1] in ("", sex)])
    return PersonName(first, last, sex, f"{first_local}.{last_local}", heritage)


def badge_name(rng: Random, first: str) -> str:
    forms = SHORT_FORMS.get(first)
    if forms and rng.random() < 0.45:
        return rng.choice(forms)
    return first


def languages(rng: Random, heritage: str) -> str:
    options = HERITAGES[heritage].languages
    chosen = weighted(rng, options)
    if rng.random() < 0.01:
        chosen += ", British Sign Language"
    return chosen


def weighted(rng: Random, options: Sequence[tuple[T, float]]) -> T:
    """One of ``options`` (value, weight), chosen by weight."""
    values = [value for value, _ in options]
    return rng.choices(values, weights=[weight for _, weight in options], k=1)[0]


# Which heritages a faith community's volunteers are drawn from (by faith name).
FAITH_HERITAGE: dict[str | None, tuple[tuple[str, int], ...]] = {
    "Church of England": (
        ("english", 55),
        ("welsh", 8),
        ("scottish", 4),
        ("caribbean", 12),
        ("nigerian", 10),
        ("irish", 3),
        ("chinese", 3),
    ),
    "Roman Catholic": (
        ("irish", 28),
        ("polish", 24),
        ("english", 18),
        ("nigerian", 10),
        ("european", 10),
        ("vietnamese", 6),
        ("scottish", 4),
    ),
    "Methodist": (("english", 50), ("welsh", 15), ("caribbean", 18), ("nigerian", 10)),
    "Baptist": (("english", 45), ("welsh", 20), ("caribbean", 15), ("nigerian", 15)),
    "United Reformed Church": (("english", 60), ("welsh", 15), ("scottish", 15)),
    "Pentecostal": (("nigerian", 45), ("caribbean", 35), ("english", 8), ("european", 12)),
    "Orthodox Christian": (("european", 80), ("english", 10), ("nigerian", 10)),
    "Church of Scotland": (("scottish", 85), ("english", 15)),
    "Salvation Army": (("english", 65), ("scottish", 10), ("caribbean", 20), ("welsh", 5)),
    "Quaker": (("english", 75), ("welsh", 10), ("scottish", 10), ("irish", 5)),
    "Islam (Sunni)": (("south_asian_muslim", 72), ("somali_arab", 20), ("english", 5)),
    "Islam (Shia)": (("south_asian_muslim", 55), ("somali_arab", 25), ("persian", 20)),
    "Sikh": (("sikh", 1),),
    "Hindu": (("hindu", 1),),
    "Jain": (("hindu", 1),),
    "Jewish": (("jewish", 1),),
    "Buddhist": (("english", 50), ("chinese", 15), ("vietnamese", 15), ("sri_lankan", 20)),
    "Pagan": (("english", 80), ("welsh", 10), ("scottish", 10)),
    "Rastafari": (("caribbean", 1),),
    "Bahá'í": (("english", 40), ("persian", 60)),
    None: (
        ("english", 50),
        ("welsh", 8),
        ("scottish", 8),
        ("irish", 6),
        ("caribbean", 7),
        ("nigerian", 6),
        ("polish", 4),
        ("south_asian_muslim", 5),
        ("hindu", 3),
        ("chinese", 2),
        ("vietnamese", 1),
    ),
}

# A nation's own heritage takes the place of "english" for sites there.
NATION_HERITAGE = {"wales": "welsh", "scotland": "scottish", "northern_ireland": "irish"}


def heritage_for(rng: Random, faith: str | None, nation: str = "england") -> str:
    chosen = weighted(rng, FAITH_HERITAGE.get(faith, FAITH_HERITAGE[None]))
    if chosen == "english" and nation in NATION_HERITAGE and rng.random() < 0.6:
        return NATION_HERITAGE[nation]
    return chosen


def named_person(first: str, last: str, sex: str, heritage: str) -> PersonName:
    """A given name, with an ASCII e-mail name (transliterated for the other scripts)."""
    spelled = {
        name: local for firsts, lasts in SCRIPT_NAMES.values() for name, _, local in firsts + lasts
    }
    local = f"{spelled.get(first) or ascii_slug(first)}.{spelled.get(last) or ascii_slug(last)}"
    return PersonName(first, last, sex, local, heritage)
