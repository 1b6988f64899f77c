"""Enumerations of the domain, stored as their lower-case string values."""

from __future__ import annotations

import enum


class VolunteerStatus(enum.StrEnum):
    ENQUIRY = "enquiry"
    APPLICANT = "applicant"
    VETTING = "vetting"
    ACTIVE = "active"
    PAUSED = "paused"
    LEFT = "left"


class CommunityKind(enum.StrEnum):
    FAITH_COMMUNITY = "faith_community"
    PARTNER = "partner"


class SiteKind(enum.StrEnum):
    PRISON = "prison"
    MAGISTRATES_COURT = "magistrates_court"
    CROWN_COURT = "crown_court"

    @property
    def is_court(self) -> bool:
        return self is not SiteKind.PRISON


class Jurisdiction(enum.StrEnum):
    ENGLAND_WALES = "england_wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern_ireland"


class SiteDayKind(enum.StrEnum):
    CLOSURE = "closure"  # the site does not run (court not sitting, chapel closed)
    EXCEPTION = "exception"  # runs although a bank holiday or closure would skip it


class PostKind(enum.StrEnum):
    SERVICE = "service"
    GROUP = "group"
    VISITING = "visiting"
    COURSE = "course"
    ADMIN = "admin"
    DESK = "desk"


class RiskOutcome(enum.StrEnum):
    APPROVED = "approved"
    APPROVED_WITH_CONDITIONS = "approved_with_conditions"
    NOT_APPROVED = "not_approved"


class ClearanceStatus(enum.StrEnum):
    APPLIED = "applied"
    IN_PROGRESS = "in_progress"
    GRANTED = "granted"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    LAPSED = "lapsed"


class TrainingStatus(enum.StrEnum):
    COMPLETED = "completed"
    BOOKED = "booked"  # a renewal in progress: stops the alarm, keeps the date in view


class ShiftStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class AssignmentStatus(enum.StrEnum):
    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    ATTENDED = "attended"
    NO_SHOW = "no_show"


class Session(enum.StrEnum):
    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"


class Pathway(enum.StrEnum):
    """The nine resettlement pathways a court or prison desk signposts to."""

    ACCOMMODATION = "accommodation"
    EDUCATION_EMPLOYMENT = "education_employment"
    HEALTH = "health"
    DRUGS_ALCOHOL = "drugs_alcohol"
    FINANCE_DEBT = "finance_debt"
    CHILDREN_FAMILIES = "children_families"
    ATTITUDES_BEHAVIOUR = "attitudes_behaviour"
    ABUSE = "abuse"
    SEX_WORK = "sex_work"


PATHWAY_LABELS: dict[Pathway, str] = {
    Pathway.ACCOMMODATION: "Accommodation",
    Pathway.EDUCATION_EMPLOYMENT: "Education, training and employment",
    Pathway.HEALTH: "Health",
    Pathway.DRUGS_ALCOHOL: "Drugs and alcohol",
    Pathway.FINANCE_DEBT: "Finance, benefit and debt",
    Pathway.CHILDREN_FAMILIES: "Children and families",
    Pathway.ATTITUDES_BEHAVIOUR: "Attitudes, thinking and behaviour",
    Pathway.ABUSE: "Women affected by abuse",
    Pathway.SEX_WORK: "Women involved in sex work",
}


class UserRole(enum.StrEnum):
    ADMINISTRATOR = "administrator"
    COORDINATOR = "coordinator"
    READ_ONLY = "read_only"


class AuditAction(enum.StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    VIEW = "view"
    OVERRIDE = "override"
    IMPORT = "import"
    ERASE = "erase"
