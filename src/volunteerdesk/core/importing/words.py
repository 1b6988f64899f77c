"""The words people write in a spreadsheet, and the values they stand for.

"On hold" is a paused volunteer, "Cleared" a granted clearance, "✓" a yes. Words are
compared folded (no case, accents, spaces or punctuation); symbols as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..models import ClearanceStatus, CommunityKind, VolunteerStatus
from .folding import fold


def _words(table: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """Each word folded ("On hold" -> "onhold"), and symbols ("✓", "-") as they are."""
    found: dict[str, str] = {}
    for value, words in table.items():
        for word in (value, *words):
            found[fold(word) or word.casefold()] = value
    return found


def word_key(text: str) -> str:
    """How a cell's text is looked up in a ``words`` table."""
    return fold(text) or text.strip().casefold()


YES_NO = _words(
    {
        "yes": ("y", "true", "1", "x", "✓", "✔", "ticked", "done", "held", "on"),
        "no": ("n", "false", "0", "-", "none", "not", "off", "no keys"),
    }
)
VOLUNTEER_STATUS = _words(
    {
        VolunteerStatus.ENQUIRY: ("enquiry", "inquiry", "enquiring", "interested", "new enquiry"),
        VolunteerStatus.APPLICANT: ("application", "applied", "applying"),
        VolunteerStatus.VETTING: ("in vetting", "awaiting clearance", "pending clearance"),
        VolunteerStatus.ACTIVE: ("current", "approved", "live", "volunteering", "cleared"),
        VolunteerStatus.PAUSED: ("on hold", "hold", "inactive", "resting", "sabbatical"),
        VolunteerStatus.LEFT: ("former", "leaver", "ended", "retired", "finished", "stopped"),
    }
)
CLEARANCE_STATUS = _words(
    {
        ClearanceStatus.APPLIED: ("submitted", "pending", "awaiting", "requested", "sent"),
        ClearanceStatus.IN_PROGRESS: ("in progress", "processing", "being processed", "ongoing"),
        ClearanceStatus.GRANTED: ("cleared", "approved", "valid", "issued", "passed", "clear"),
        ClearanceStatus.REFUSED: ("rejected", "failed", "declined", "not cleared", "denied"),
        ClearanceStatus.WITHDRAWN: ("cancelled", "canceled", "withdrew", "abandoned"),
        ClearanceStatus.LAPSED: ("expired", "out of date", "lapse"),
    }
)
COMMUNITY_KIND = _words(
    {
        CommunityKind.FAITH_COMMUNITY: (
            "faith",
            "faith community",
            "church",
            "parish",
            "diocese",
            "mosque",
            "masjid",
            "gurdwara",
            "temple",
            "mandir",
            "synagogue",
            "meeting",
            "congregation",
            "circuit",
            "chapel",
        ),
        CommunityKind.PARTNER: (
            "partner organisation",
            "partner organization",
            "organisation",
            "organization",
            "charity",
            "trust",
            "agency",
            "voluntary organisation",
        ),
    }
)
