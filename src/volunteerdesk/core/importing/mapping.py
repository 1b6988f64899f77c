"""Which column of the file goes into which field: matched automatically, and remembered.

A mapping is ``{field key: header}``. Headers are matched to fields ignoring case, spaces
and punctuation. The last mapping a person confirmed for a target and a set of headers is
kept in the ``settings`` table under ``import_mapping:<target>`` and offered next time.

A column that looks like DBS certificate content or criminal-record details is never
imported (DOMAIN.md: keep the certificate number and the decision, never the content).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Setting, TrainingCourse
from .folding import fold, fold_words
from .targets import COURSE_PREFIX, FieldSpec, Target, course_field, get_target

ColumnMapping = dict[str, str]
SETTING_PREFIX = "import_mapping:"
REMEMBERED = 20  # header sets kept per target

_REFUSED = re.compile(
    r"\bconvict|\boffen[cs]|\bcaution|\breprimand|\bspent\b|\bunspent\b"
    r"|\b(certificate|disclosure) (content|contents|text|details|information|detail)\b"
    r"|\bdbs (content|contents|text)\b"
    r"|\bpolice (information|intelligence)\b|\bother relevant information\b"
    r"|\bcriminal (record|records|history|record details)\b"
)
REFUSED_REASON = (
    "looks like DBS certificate content or criminal-record details, which VolunteerDesk "
    "never keeps (only the certificate number, level, dates and decision)"
)
_PREFIXES = ("volunteers ", "volunteer ", "vol ", "your ")


class MappingError(ValueError):
    """A mapping that cannot be used; ``str(exc)`` says why, for the user."""


def refused(header: str) -> bool:
    """True when a column must not be imported at all (certificate content, convictions)."""
    return bool(_REFUSED.search(fold_words(header)))


def fields_for(session: Session | None, target: str | Target) -> list[FieldSpec]:
    """The fields of a target; training adds one date column per active course."""
    spec = get_target(target) if isinstance(target, str) else target
    fields = list(spec.fields)
    if spec.name == "training" and session is not None:
        for code, name in session.execute(
            select(TrainingCourse.code, TrainingCourse.name)
            .where(TrainingCourse.active.is_(True))
            .order_by(TrainingCourse.id)
        ):
            fields.append(course_field(code, name))
    return fields


def _alias_index(fields: Sequence[FieldSpec]) -> dict[str, str]:
    """folded header -> field key; a field's own key and label count as aliases."""
    index: dict[str, str] = {}
    for spec in fields:
        for alias in (spec.key.replace("_", " "), spec.label, *spec.aliases):
            index.setdefault(fold(alias), spec.key)
    return index


def suggest_mapping(fields: Sequence[FieldSpec], headers: Iterable[str]) -> ColumnMapping:
    """The fields whose names or usual headers match the file's headers."""
    index = _alias_index(fields)
    mapping: ColumnMapping = {}
    for header in headers:
        if refused(header):
            continue
        key = index.get(fold(header))
        if key is None:
            words = fold_words(header)
            for prefix in _PREFIXES:
                if words.startswith(prefix):
                    key = index.get(fold(words[len(prefix) :]))
                    break
        if key is not None and key not in mapping:
            mapping[key] = header
    return mapping


def field_key(fields: Sequence[FieldSpec], name: str) -> str:
    """A field named by its key or label ("first_name", "First name")."""
    wanted = fold(name)
    for spec in fields:
        if wanted in (fold(spec.key), fold(spec.label)):
            return spec.key
    known = ", ".join(s.key for s in fields)
    raise MappingError(f"{name!r} is not a field you can import into here (fields: {known})")


def header_named(headers: Sequence[str], name: str) -> str:
    """The file's header written ``name``, ignoring case, spaces and punctuation."""
    if name in headers:
        return name
    matches = [h for h in headers if fold(h) == fold(name)]
    if len(matches) == 1:
        return matches[0]
    raise MappingError(f"The file has no column {name!r} (it has: {', '.join(headers)})")


def parse_mapping_text(text: str) -> dict[str, str]:
    """``field=Header,field2=Header2`` or a JSON object, as given on the command line."""
    text = text.strip()
    if text.startswith("{"):
        try:
            loaded = json.loads(text)
        except ValueError as exc:
            raise MappingError(f"The mapping is not valid JSON: {exc}") from exc
        if not isinstance(loaded, dict) or not all(
            isinstance(v, str | None) for v in loaded.values()
        ):
            raise MappingError("The mapping must be a JSON object of field names to headers")
        return {str(k): v or "" for k, v in loaded.items()}
    pairs: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        if "=" not in part:
            raise MappingError(f"{part!r} is not field=Header")
        key, header = part.split("=", 1)
        pairs[key.strip()] = header.strip()
    return pairs


def apply_overrides(
    fields: Sequence[FieldSpec],
    headers: Sequence[str],
    base: Mapping[str, str],
    overrides: Mapping[str, str],
) -> ColumnMapping:
    """``base`` with each named field set to a header (an empty header unmaps the field)."""
    mapping = dict(base)
    for name, header in overrides.items():
        key = field_key(fields, name)
        if not header:
            mapping.pop(key, None)
            continue
        found = header_named(headers, header)
        mapping = {k: h for k, h in mapping.items() if h != found}  # one field per column
        mapping[key] = found
    return mapping


def check_mapping(
    target: str, fields: Sequence[FieldSpec], headers: Sequence[str], mapping: Mapping[str, str]
) -> list[str]:
    """What stops this mapping being used, in plain words (empty when it can be used)."""
    problems: list[str] = []
    keys = {s.key for s in fields}
    for key, header in mapping.items():
        if key not in keys:
            problems.append(f"{key} is not a field of {target}")
        elif header not in headers:
            problems.append(f"The file has no column {header!r}")
        elif refused(header):
            problems.append(f"The column {header!r} {REFUSED_REASON}: it cannot be imported")
    mapped = set(mapping)
    named = {"full_name"} <= mapped or {"first_name", "last_name"} <= mapped
    if target == "volunteers" and not named:
        problems.append("Choose the columns for First name and Last name (or one for Full name)")
    if target == "communities" and "name" not in mapped:
        problems.append("Choose the column with the community's Name")
    if target in ("training", "clearances") and not (named or mapped & {"volunteer_id", "email"}):
        problems.append(
            "Choose the columns that say who each row is about: their names (with a date of "
            "birth if two share a name), their email, or a Volunteer ID"
        )
    if target == "training":
        wide = any(k.startswith(COURSE_PREFIX) for k in mapped)
        if not wide and not ("course" in mapped and mapped & {"completed_on", "booked_for"}):
            problems.append(
                "Choose the Course column and its Completed on (or Booked for) date, or "
                "columns of dates for each course (like 'Safeguarding date')"
            )
    if target == "clearances" and not mapped & {"type", "dbs_certificate_number"}:
        problems.append("Choose the Clearance type column (or a DBS certificate number column)")
    return problems


# ----- remembered mappings -------------------------------------------------------------------
def _signature(headers: Iterable[str]) -> str:
    return "|".join(sorted(fold(h) for h in headers))


def _stored(session: Session, target: str) -> tuple[Setting | None, dict[str, dict[str, str]]]:
    row = session.get(Setting, f"{SETTING_PREFIX}{target}")
    if row is None:
        return None, {}
    try:
        value = json.loads(row.value)
    except ValueError:
        return row, {}
    return row, value if isinstance(value, dict) else {}


def recall_mapping(session: Session, target: str, headers: Sequence[str]) -> ColumnMapping | None:
    """The mapping last confirmed for a file with these headers, if any."""
    _row, stored = _stored(session, target)
    mapping = stored.get(_signature(headers))
    if not isinstance(mapping, dict):
        return None
    return {k: h for k, h in mapping.items() if isinstance(h, str) and h in headers}


def remember_mapping(
    session: Session, target: str, headers: Sequence[str], mapping: Mapping[str, str]
) -> None:
    """Keep this mapping for the next file with the same headers (the newest ones kept)."""
    row, stored = _stored(session, target)
    signature = _signature(headers)
    stored.pop(signature, None)
    stored[signature] = dict(mapping)
    while len(stored) > REMEMBERED:
        stored.pop(next(iter(stored)))
    encoded = json.dumps(stored, ensure_ascii=False)
    if row is None:
        session.add(Setting(key=f"{SETTING_PREFIX}{target}", value=encoded))
    elif row.value != encoded:
        row.value = encoded


def initial_mapping(
    session: Session, target: str, fields: Sequence[FieldSpec], headers: Sequence[str]
) -> tuple[ColumnMapping, bool]:
    """The mapping to offer first, and whether it was remembered (else matched by header)."""
    remembered = recall_mapping(session, target, headers)
    if remembered is not None:
        keys = {s.key for s in fields}
        return {k: h for k, h in remembered.items() if k in keys}, True
    return suggest_mapping(fields, headers), False
