"""Comparing names the way a person would: accents, punctuation and nicknames aside.

``fold("Siân") == fold("Sian")``, ``fold("Ó Briain") == fold("O Briain") == "obriain"``,
``fold("O'Neill") == fold("ONeill")``; ``same_first_name("Bill", "William")`` is true.
Scripts other than Latin are kept as they are (case-folded), so Arabic or Gurmukhi names
still compare equal to themselves.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters NFKD does not take apart.
_SPECIAL = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
    }
)

# canonical name: its nicknames and other spellings (lower case, ASCII)
NICKNAMES: dict[str, tuple[str, ...]] = {
    "william": ("bill", "billy", "will", "willy", "willie", "liam", "wills"),
    "robert": ("bob", "bobby", "rob", "robbie", "bert"),
    "elizabeth": ("liz", "lizzie", "lizzy", "beth", "betty", "bess", "bessie", "eliza", "libby"),
    "james": ("jim", "jimmy", "jamie", "jas"),
    "katherine": ("kate", "katie", "kathy", "kath", "kay", "kitty", "catherine", "kathryn"),
    "catherine": ("kate", "katie", "cathy", "cath", "kitty", "katherine", "kathryn"),
    "kathleen": ("kath", "kathy", "katie"),
    "thomas": ("tom", "tommy"),
    "david": ("dave", "davy", "davie"),
    "michael": ("mike", "mick", "mickey", "micky", "mikey"),
    "susan": ("sue", "susie", "suzy", "suzanne"),
    "margaret": ("maggie", "meg", "peggy", "marge", "margie", "maisie", "greta"),
    "john": ("jack", "johnny", "jon", "jonny"),
    "jonathan": ("jon", "jonny", "johnny", "jonathon"),
    "edward": ("ted", "teddy", "ned", "eddie", "eddy", "ed"),
    "edmund": ("ed", "eddie", "ted", "ned"),
    "anthony": ("tony", "ant", "antony"),
    "christopher": ("chris", "kit", "topher"),
    "christine": ("chris", "chrissie", "christina", "tina"),
    "samuel": ("sam", "sammy"),
    "samantha": ("sam", "sammy"),
    "alexander": ("alex", "alec", "sandy", "xander"),
    "alexandra": ("alex", "alexa", "sandy", "lexi"),
    "jennifer": ("jenny", "jen", "jenni", "jennie"),
    "daniel": ("dan", "danny"),
    "richard": ("rick", "ricky", "rich", "richie", "dick"),
    "charles": ("charlie", "chas", "chuck"),
    "charlotte": ("charlie", "lottie", "lotte"),
    "joseph": ("joe", "joey"),
    "josephine": ("jo", "josie"),
    "joanne": ("jo", "joanna", "joann"),
    "patrick": ("pat", "paddy"),
    "patricia": ("pat", "patty", "trish", "tricia"),
    "andrew": ("andy", "drew"),
    "matthew": ("matt", "matty"),
    "nicholas": ("nick", "nicky", "nico"),
    "nicola": ("nicky", "nikki"),
    "peter": ("pete",),
    "stephen": ("steve", "steven", "stevie"),
    "timothy": ("tim", "timmy"),
    "benjamin": ("ben", "benny", "benji"),
    "philip": ("phil", "phillip", "pip"),
    "gregory": ("greg",),
    "kenneth": ("ken", "kenny"),
    "raymond": ("ray",),
    "ronald": ("ron", "ronnie"),
    "donald": ("don", "donnie"),
    "gerald": ("gerry", "jerry"),
    "gerard": ("gerry", "ged"),
    "frederick": ("fred", "freddie", "freddy"),
    "henry": ("harry", "hal", "hank"),
    "alfred": ("alf", "alfie"),
    "albert": ("bert", "al", "bertie"),
    "lawrence": ("larry", "laurie", "laurence"),
    "leonard": ("len", "lenny", "leo"),
    "terence": ("terry", "terrence"),
    "victoria": ("vicky", "vicki", "tori"),
    "rebecca": ("becky", "becca", "bex"),
    "deborah": ("debbie", "deb", "debra"),
    "pamela": ("pam",),
    "barbara": ("barb", "babs"),
    "dorothy": ("dot", "dottie", "dolly"),
    "jacqueline": ("jackie", "jacqui"),
    "judith": ("judy", "jude"),
    "frances": ("fran", "frankie", "fanny"),
    "francis": ("frank", "frankie", "fran"),
    "eleanor": ("ellie", "nell", "nellie", "elinor", "elenor"),
    "helen": ("nell", "nellie", "helena"),
    "abigail": ("abby", "abbie", "gail"),
    "amanda": ("mandy",),
    "caroline": ("carrie", "caro"),
    "jessica": ("jess", "jessie"),
    "rosemary": ("rose", "rosie"),
    "valerie": ("val",),
    "gillian": ("gill", "jill", "gilly"),
    "anne": ("ann", "annie"),
    "mary": ("molly", "polly", "mollie", "mae"),
    "sarah": ("sara", "sally", "sal"),
    "teresa": ("theresa", "terri", "tess", "tessa"),
    "isabel": ("isabelle", "isobel", "izzy", "bella"),
    "gabriel": ("gabe",),
    "zachary": ("zach", "zack"),
    "oluwaseun": ("seun",),
    "muhammad": ("mohammed", "mohammad", "mohamed", "muhammed", "mohamad", "mo"),
    "yusuf": ("yousef", "yousuf", "youssef"),
    "ibrahim": ("ebrahim", "abraham"),
}

# The variants of each name, folded: "bill" -> {"william"}, "william" -> {"william"}.
_GROUPS: dict[str, frozenset[str]] = {}
for _canonical, _variants in NICKNAMES.items():
    for _name in (_canonical, *_variants):
        _GROUPS[_name] = _GROUPS.get(_name, frozenset()) | {_canonical}


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case, no accents, letters and digits only: "Ó Briain" -> "obriain"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    return "".join(
        ch for ch in decomposed.casefold() if ch.isalnum() and not unicodedata.combining(ch)
    )


def fold_words(text: str) -> str:
    """Like ``fold`` but keeping single spaces between words ("St. Mary's" -> "st marys")."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL).replace("'", ""))
    kept = "".join(
        ch if ch.isalnum() else " "
        for ch in decomposed.casefold()
        if not unicodedata.combining(ch) and ch not in "’`"
    )
    return " ".join(kept.split())


def tidy(text: str) -> str:
    """Stray spaces gone: trimmed, runs of spaces (and non-breaking spaces) made one."""
    return " ".join(text.split())


@lru_cache(maxsize=65536)
def first_name_keys(first: str) -> frozenset[str]:
    """What a first name can be known by: itself, its first word, and their canonical forms."""
    words = fold_words(first).split()
    if not words:
        return frozenset()
    forms = {fold(first), words[0]}
    keys = set(forms)
    for form in forms:
        keys |= _GROUPS.get(form, frozenset())
    return frozenset(keys)


def same_first_name(a: str, b: str) -> bool:
    """Bill and William, Siân and Sian, Mary Anne and Mary, Jonathon and Jonathan."""
    if first_name_keys(a) & first_name_keys(b):
        return True
    fa, fb = fold(a), fold(b)
    return min(len(fa), len(fb)) >= 5 and within_one_edit(fa, fb)


def within_one_edit(a: str, b: str) -> bool:
    """True when ``a`` becomes ``b`` by one insertion, deletion, substitution or swap."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        rest_a, rest_b = a[i + 1 :], b[i + 1 :]
        if rest_a == rest_b:
            return True
        swapped = i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i]
        return swapped and a[i + 2 :] == b[i + 2 :]
    return a[i:] == b[i + 1 :]


@lru_cache(maxsize=65536)
def phone_key(phone: str) -> str:
    """Digits only, +44 written as 0: for comparing phone numbers however spaced."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("44") and len(digits) >= 11:
        digits = "0" + digits[2:]
    return digits if len(digits) >= 9 else ""


def email_key(email: str) -> str:
    return (email or "").strip().casefold()
