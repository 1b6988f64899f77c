"""The subject access document for the person: A4, plain headings, tables that wrap.

Every string goes through the report template's ``para``/``table``, which escape it and
choose a font per script, so names in any script print.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from ..reports.table import table
from ..reports.template import STYLES, Letterhead, column_widths, frame_width, para
from ..reports.template import render as render_pdf
from ..settings import OrgSettings
from ..validation import format_uk_date

# A section heading never ends a page alone.
H2 = ParagraphStyle("subject-access-h2", parent=STYLES["h2"], keepWithNext=1)


def _uk(value: Any) -> str:
    """ISO date (or date-time) text as dd/mm/yyyy (HH:MM); other values as they are."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    text = str(value)
    try:
        if len(text) == 10:
            return format_uk_date(date.fromisoformat(text))
        moment = datetime.fromisoformat(text)  # the log keeps UTC: show local time
        moment = moment.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)
        return f"{format_uk_date(moment.date())} {moment:%H:%M}"
    except ValueError:
        return text


def _words(value: Any) -> str:
    return str(value).replace("_", " ").capitalize() if value else ""


def _pairs(rows: list[tuple[str, Any]], width: float):
    return table(
        None, [[k, v] for k, v in rows], column_widths(width, [30, 70]), size=9.5, bold_columns=[0]
    )


def _listed(header, rows, width, weights):
    return table(header, rows, column_widths(width, weights), size=8.5)


def _changes_text(changes: Any) -> str:
    if not isinstance(changes, dict):
        return str(changes)
    parts = []
    for key, pair in changes.items():
        if isinstance(pair, list) and len(pair) == 2:
            old, new = ("" if x is None else x for x in pair)
            parts.append(f"{key.replace('_', ' ')}: {old or '(blank)'} -> {new or '(blank)'}")
        else:
            parts.append(f"{key.replace('_', ' ')}: {pair}")
    return "; ".join(parts)


def _story(data: dict[str, Any], organisation: str, today: date, width: float) -> list:
    v = data["volunteer"]
    name = " ".join(x for x in (v["title"], v["first_name"], v["last_name"]) if x)
    story = [
        para("Your personal information", "title"),
        para(f"Held by {organisation} · prepared {format_uk_date(today)}", "subtitle"),
        para(
            "You asked to see the personal information we hold about you. This document "
            "lists all of it: your details, your contacts, your training and clearance "
            "records, the sessions you were on, and the log of who recorded or changed "
            "anything about you. If anything is wrong, please tell your coordinator and we "
            "will correct it.",
            "body",
        ),
        para("Your details", H2),
        _pairs(
            [
                ("Name", name),
                ("Preferred forename", v["preferred_forename"]),
                ("Date of birth", _uk(v["date_of_birth"])),
                ("Email", v["email"]),
                ("Phone", v["phone"]),
                ("Address", "\n".join(x for x in (v["address"], v["postcode"]) if x)),
                (
                    "Status",
                    _words(v["status"])
                    + (f" since {_uk(v['status_since'])}" if v["status_since"] else ""),
                ),
                ("Started", _uk(v["started_on"])),
                ("Left", _uk(v["left_on"])),
                ("Holds keys", _uk(v["key_holder"])),
                ("Most sessions a month", v["max_shifts_per_month"]),
                (
                    "Risk assessment",
                    " ".join(
                        x
                        for x in (
                            _words(v["risk_assessment_outcome"]),
                            _uk(v["risk_assessment_on"]),
                        )
                        if x
                    ),
                ),
                ("Notes", v["notes"]),
            ],
            width,
        ),
    ]
    e, f = data["emergency_contact"], data["faith"]
    story += [
        para("Emergency contact, faith and languages", H2),
        _pairs(
            [
                ("Emergency contact", e["name"]),
                ("Their phone", e["phone"]),
                ("Relationship", e["relationship"]),
                ("Faith or belief", f["faith"] or "Not recorded"),
                (
                    "Consent to record it",
                    _uk(f["consent_to_record"])
                    + (f", given {_uk(f['consent_given_on'])}" if f["consent_given_on"] else ""),
                ),
                ("Languages", ", ".join(data["languages"])),
                ("Community", data["community"]["name"] if data["community"] else ""),
                ("Roles", ", ".join(data["roles"])),
                ("Places", ", ".join(data["sites"])),
            ],
            width,
        ),
    ]
    sections = [
        (
            "Endorsements",
            ["Community", "Endorsed by", "On", "Notes"],
            [30, 25, 15, 30],
            [
                [x["community"], x["endorsed_by"], _uk(x["endorsed_on"]), x["notes"]]
                for x in data["endorsements"]
            ],
        ),
        (
            "When you can come",
            ["Day", "Session", "How often", "From"],
            [25, 25, 25, 25],
            [
                [
                    x["weekday"],
                    _words(x["session"]),
                    "Every week"
                    if x["every_n_weeks"] == 1
                    else f"Every {x['every_n_weeks']} weeks",
                    _uk(x["anchor_date"]),
                ]
                for x in data["availability"]
            ],
        ),
        (
            "When you cannot come",
            ["From", "To", "Reason"],
            [20, 20, 60],
            [[_uk(x["from"]), _uk(x["to"]), x["reason"]] for x in data["unavailability"]],
        ),
        (
            "Training",
            ["Course", "Status", "Completed", "Expires", "Provider and reference", "Notes"],
            [28, 11, 12, 12, 20, 17],
            [
                [
                    x["course"],
                    _words(x["status"]),
                    _uk(x["completed_on"] or x["booked_for"]),
                    _uk(x["expires_on"]),
                    " ".join(y for y in (x["provider"], x["certificate_ref"]) if y),
                    x["notes"],
                ]
                for x in data["training"]
            ],
        ),
        (
            "Clearances",
            ["Type", "Where", "Status", "Level and reference", "Granted", "Expires", "DBS details"],
            [18, 14, 10, 17, 11, 11, 19],
            [
                [
                    x["type"],
                    x["establishment"] or "",
                    _words(x["status"]),
                    " ".join(y for y in (x["level"], x["reference"]) if y),
                    _uk(x["granted_on"]),
                    _uk(x["expires_on"]),
                    _dbs_text(x),
                ]
                for x in data["clearances"]
            ],
        ),
        (
            "Sessions you were on the rota for",
            ["Date", "Time", "Where", "Status", "Hours"],
            [15, 14, 49, 12, 10],
            [
                [
                    _uk(x["date"]),
                    f"{x['start']}-{x['end']}",
                    f"{x['post']}, {x['site']}",
                    _words(x["status"]),
                    x["hours"] or "",
                ]
                for x in data["assignments"]
            ],
        ),
        (
            "Who recorded or changed your information",
            ["When", "By", "What", "Details"],
            [16, 12, 30, 42],
            [
                [
                    _uk(x["at"]),
                    x["by"],
                    f"{_words(x['action'])}: {x['summary'] or x['record']}",
                    _changes_text(x["changes"]),
                ]
                for x in data["audit_trail"]
            ],
        ),
    ]
    for title, header, weights, rows in sections:
        story.append(para(title, H2))
        if rows:
            story.append(_listed(header, rows, width, weights))
        else:
            story.append(para("Nothing recorded.", "small"))
    story += [
        Spacer(1, 4 * mm),
        para(
            "Values shown as ••• were masked when the change was logged: the log records "
            "that a sensitive detail changed, never what it was.",
            "small",
        ),
    ]
    return story


def _dbs_text(row: dict[str, Any]) -> str:
    d = row.get("dbs")
    if not d:
        return ""
    parts = [f"Certificate {d['certificate_number']}" if d["certificate_number"] else ""]
    parts.append("barred list checked" if d["barred_list_checked"] else "")
    if d["update_service"]:
        checked = _uk(d["update_service_checked_on"])
        parts.append("on the Update Service" + (f", checked {checked}" if checked else ""))
    if row.get("decision"):
        parts.append(f"decision: {row['decision']} {_uk(row.get('decision_on'))}".strip())
    return "; ".join(p for p in parts if p)


def build_subject_access_pdf(
    data: dict[str, Any], settings: OrgSettings, username: str, today: date
) -> bytes:
    """The subject access document for the person: A4, plain headings, wrapping tables."""
    letterhead = Letterhead.of(settings, username)
    v = data["volunteer"]
    name = f"{v['first_name']} {v['last_name']}".strip()
    story = _story(data, letterhead.organisation, today, frame_width())
    result = render_pdf(story, title=f"Subject access: {name}", letterhead=letterhead)
    assert isinstance(result, bytes)
    return result
