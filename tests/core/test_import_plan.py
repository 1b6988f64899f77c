"""The preview: every row's outcome (new, update, possible duplicate, error) on real files."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import openpyxl
import pytest

from volunteerdesk.core.importing import MappingError, Outcome, build_plan, read_table
from volunteerdesk.core.models import (
    ClearanceStatus,
    ClearanceType,
    Community,
    CommunityKind,
    Site,
    SiteKind,
    TrainingCourse,
    TrainingStatus,
    Volunteer,
    VolunteerStatus,
)
from volunteerdesk.core.services import editing

TODAY = date(2026, 11, 23)


def write_csv(path, rows, encoding="utf-8", delimiter=","):
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path, rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def add(database, model=Volunteer, **values):
    defaults = {"status": VolunteerStatus.ACTIVE} if model is Volunteer else {}
    with database.uow() as s:
        return editing.create(s, model, {**defaults, **values}, "setup").id


def plan_of(database, target, path, mapping=None, sheet=None):
    table = read_table(path, sheet)
    with database.uow() as s:
        return build_plan(s, target, table, mapping, today=TODAY)


def only(plan, number):
    (row,) = plan.rows_at(number)
    return row


# ----- dates and errors -------------------------------------------------------------------
@pytest.mark.parametrize(
    "dob", ["04/03/1970", "4/3/1970", "4 Mar 1970", "4 March 1970", "1970-03-04", "25631"]
)
def test_each_date_format_in_a_csv(database, tmp_path, dob):
    path = write_csv(tmp_path / "v.csv", [["First name", "Surname", "DOB"], ["Ann", "Lee", dob]])
    row = only(plan_of(database, "volunteers", path), 2)
    assert row.outcome is Outcome.NEW
    assert row.values["date_of_birth"] == date(1970, 3, 4)


def test_dates_in_an_xlsx_as_dates_serial_numbers_and_text(database, tmp_path):
    path = write_xlsx(
        tmp_path / "v.xlsx",
        [
            ["First name", "Surname", "DOB", "Start date"],
            ["Ann", "Lee", datetime(1970, 3, 4), 45000],
            ["Bob", "Stone", "04/03/1970", "1 Jan 2024"],
            ["Cy", "Young", 25631.0, "2024-01-01"],
        ],
    )
    plan = plan_of(database, "volunteers", path)
    assert [r.values["date_of_birth"] for r in plan.rows] == [date(1970, 3, 4)] * 3
    assert [r.values["started_on"] for r in plan.rows] == [
        date(2023, 3, 15),
        date(2024, 1, 1),
        date(2024, 1, 1),
    ]


def test_every_bad_cell_is_reported_with_its_row_and_column(database, tmp_path):
    path = write_csv(
        tmp_path / "bad.csv",
        [
            ["First name", "Surname", "Date of birth", "Mobile", "E-mail"],
            ["Ann", "Lee", "31/02/2026", "07700 900123", "ann@example.org"],
            ["Bob", "Stone", "01/02/1960", "12345", "bob@example.org"],
            ["Cy", "Young", "01/02/1960", "07700 900124", "cy.example.org"],
            ["Di", "", "01/02/1960", "", ""],
            ["Ed", "Shaw", "01/02/1960", "07700 900125", "ed@example.org"],
        ],
    )
    plan = plan_of(database, "volunteers", path)
    assert [(str(e)) for e in plan.errors] == [
        "row 2, Date of birth: 31/02/2026 is not a date",
        "row 3, Mobile: 12345 is not a UK phone number (like 07700 900123)",
        "row 4, E-mail: cy.example.org is not an email address (like name@example.org)",
        "row 5, Surname: Last name is required",
    ]
    assert [r.outcome for r in plan.rows] == [Outcome.ERROR] * 4 + [Outcome.NEW]
    assert plan.has_errors and not plan.ready


def test_stray_spaces_blank_lines_and_a_phone_that_lost_its_zero(database, tmp_path):
    path = write_xlsx(
        tmp_path / "v.xlsx",
        [
            ["  First name ", "Surname", "Mobile", "Email"],
            [None, None, None, None],
            ["  Ann\u00a0 ", "  Lee  Smith ", 7700900123, "  ANN@example.org "],
            ["", "   ", None, ""],
        ],
    )
    plan = plan_of(database, "volunteers", path)
    assert plan.blank_rows == 1  # row 2; row 4 is after the last row: not counted
    assert [r.row for r in plan.rows] == [3]
    row = only(plan, 3)
    assert row.values["first_name"] == "Ann"
    assert row.values["last_name"] == "Lee Smith"
    assert row.values["phone"] == "07700 900123"
    assert row.values["email"] == "ANN@example.org"


def test_full_names_are_split(database, tmp_path):
    path = write_csv(
        tmp_path / "n.csv", [["Name"], ["Anna van der Berg"], ["Smith, Jane"], ["Cher"]]
    )
    plan = plan_of(database, "volunteers", path)
    assert (plan.rows[0].values["first_name"], plan.rows[0].values["last_name"]) == (
        "Anna",
        "van der Berg",
    )
    assert (plan.rows[1].values["first_name"], plan.rows[1].values["last_name"]) == (
        "Jane",
        "Smith",
    )
    assert str(plan.rows[2].errors[0]) == (
        "row 4, Name: Cher is not a full name: give both first and last name"
    )


def test_status_words_and_yes_no(database, tmp_path):
    path = write_csv(
        tmp_path / "s.csv",
        [
            ["First name", "Surname", "Status", "Keys", "Left"],
            ["Ann", "Lee", "On hold", "Y", ""],
            ["Bob", "Stone", "Former", "no", "01/01/2026"],
            ["Cy", "Young", "Sleeping", "maybe", ""],
            ["Di", "Ray", "Left", "", ""],
        ],
    )
    plan = plan_of(database, "volunteers", path)
    assert plan.rows[0].values["status"] is VolunteerStatus.PAUSED
    assert plan.rows[0].values["key_holder"] is True
    assert plan.rows[1].values["status"] is VolunteerStatus.LEFT
    assert [e.message for e in plan.rows[2].errors] == [
        "Sleeping is not one of: active, applicant, enquiry, left, paused, vetting",
        "maybe is not yes or no",
    ]
    assert plan.rows[3].errors[0].message == "Give the date they left (the status is Left)"


def test_a_mapping_that_misses_a_required_field_is_refused(database, tmp_path):
    path = write_csv(tmp_path / "x.csv", [["Forename", "Phone"], ["Ann", "07700 900123"]])
    with pytest.raises(MappingError, match="Last name"):
        plan_of(database, "volunteers", path)


# ----- new, update and duplicates ---------------------------------------------------------
@pytest.fixture
def people(database):
    return {
        "william": add(
            database,
            first_name="William",
            last_name="Smith",
            date_of_birth=date(1960, 5, 1),
            email="w.smith@example.org",
            phone="07700 900100",
        ),
        "sian": add(database, first_name="Siân", last_name="Evans", date_of_birth=date(1975, 1, 2)),
        "aoife": add(database, first_name="Aoife", last_name="Ó Briain", email="aoife@example.org"),
        "ciaran": add(database, first_name="Ciarán", last_name="O'Neill", phone="01632 960761"),
    }


def test_bill_smith_with_williams_date_of_birth_is_a_possible_duplicate(database, tmp_path, people):
    path = write_csv(
        tmp_path / "d.csv", [["First name", "Surname", "DOB"], ["Bill", "Smith", "01/05/1960"]]
    )
    row = only(plan_of(database, "volunteers", path), 2)
    assert row.outcome is Outcome.DUPLICATE
    (candidate,) = row.candidates
    assert candidate.record_id == people["william"]
    assert candidate.reason == "similar name, same date of birth"
    assert candidate.name == "William Smith (born 01/05/1960)"


def test_a_different_date_of_birth_is_a_different_person(database, tmp_path, people):
    path = write_csv(
        tmp_path / "d.csv", [["First name", "Surname", "DOB"], ["Bill", "Smith", "02/05/1960"]]
    )
    assert only(plan_of(database, "volunteers", path), 2).outcome is Outcome.NEW


def test_same_email_with_a_different_name_is_a_possible_duplicate(database, tmp_path, people):
    path = write_csv(
        tmp_path / "d.csv",
        [["First name", "Surname", "Email"], ["Mary", "Jones", "W.Smith@example.org"]],
    )
    row = only(plan_of(database, "volunteers", path), 2)
    assert row.outcome is Outcome.DUPLICATE
    assert [(c.record_id, c.reason) for c in row.candidates] == [
        (people["william"], "same email address")
    ]


def test_same_name_and_email_is_an_update(database, tmp_path, people):
    path = write_csv(
        tmp_path / "u.csv",
        [
            ["First name", "Surname", "Email", "Mobile"],
            ["william", "SMITH", "w.smith@example.org", "07700 900999"],
        ],
    )
    row = only(plan_of(database, "volunteers", path), 2)
    assert row.outcome is Outcome.UPDATE
    assert row.record_id == people["william"]
    assert row.changes == {"phone": ("07700 900100", "07700 900999")}  # names differ only in case


def test_same_name_and_date_of_birth_is_an_update_or_unchanged(database, tmp_path, people):
    path = write_csv(
        tmp_path / "u.csv", [["First name", "Surname", "DOB"], ["Sian", "Evans", "02/01/1975"]]
    )
    row = only(plan_of(database, "volunteers", path), 2)
    assert row.outcome is Outcome.UNCHANGED  # Siân = Sian: the accent is kept, nothing to do
    assert row.record_id == people["sian"]


def test_sian_without_a_date_of_birth_is_a_possible_duplicate_of_sian(database, tmp_path, people):
    path = write_csv(tmp_path / "d.csv", [["First name", "Surname"], ["Sian", "Evans"]])
    row = only(plan_of(database, "volunteers", path), 2)
    assert row.outcome is Outcome.DUPLICATE
    assert row.candidates[0].reason == "same name (nothing else to compare)"


def test_irish_names_without_accents_or_apostrophes_meet(database, tmp_path, people):
    path = write_csv(
        tmp_path / "d.csv",
        [
            ["First name", "Surname", "Email", "Phone"],
            ["Aoife", "O Briain", "aoife@example.org", ""],
            ["Ciaran", "ONeill", "", "01632960761"],
        ],
    )
    plan = plan_of(database, "volunteers", path)
    assert plan.rows[0].outcome is Outcome.UNCHANGED
    assert plan.rows[0].record_id == people["aoife"]
    assert plan.rows[1].outcome is Outcome.DUPLICATE
    assert plan.rows[1].candidates[0].reason == "same name, same phone number"


def test_rows_that_repeat_each_other_in_the_file(database, tmp_path, people):
    path = write_csv(
        tmp_path / "d.csv",
        [
            ["First name", "Surname", "DOB"],
            ["Zoë", "Quinn", "04/03/1970"],
            ["Zoe", "Quinn", "4 Mar 1970"],
            ["William", "Smith", "01/05/1960"],
            ["Billy", "Smith", "01/05/1960"],
        ],
    )
    plan = plan_of(database, "volunteers", path)
    assert [r.outcome for r in plan.rows] == [
        Outcome.NEW,
        Outcome.DUPLICATE,
        Outcome.UNCHANGED,
        Outcome.DUPLICATE,
    ]
    assert [(c.row, c.reason) for c in plan.rows[1].candidates] == [
        (2, "same name and date of birth")
    ]
    assert [(c.row, c.record_id, c.reason) for c in plan.rows[3].candidates] == [
        (4, None, "similar name, same date of birth"),  # the row above, and William
        (None, people["william"], "similar name, same date of birth"),
    ]
    assert plan.counts() == {"new": 1, "update": 0, "unchanged": 1, "duplicate": 2, "error": 0}


def test_duplicates_wait_for_a_choice(database, tmp_path, people):
    path = write_csv(
        tmp_path / "d.csv", [["First name", "Surname", "DOB"], ["Bill", "Smith", "01/05/1960"]]
    )
    plan = plan_of(database, "volunteers", path)
    assert not plan.ready and len(plan.undecided()) == 1
    plan.rows[0].decide("merge")
    assert plan.ready and plan.rows[0].writes
    plan.rows[0].decide("skip")
    assert not plan.rows[0].writes
    with pytest.raises(ValueError, match="no candidate 2"):
        plan.rows[0].decide("merge", 1)


def test_faith_is_imported_only_with_consent(database, tmp_path):
    path = write_csv(
        tmp_path / "f.csv",
        [
            ["First name", "Surname", "Faith", "Faith consent"],
            ["Ann", "Lee", "Catholic", "yes"],
            ["Bob", "Stone", "Sikh", ""],
            ["Cy", "Young", "Muslim", "yes"],
        ],
    )
    plan = plan_of(database, "volunteers", path)
    assert plan.rows[0].values["faith_id"] and plan.rows[0].values["faith_consent"] is True
    assert "faith_id" not in plan.rows[1].values
    assert "consent" in plan.rows[1].warnings[0]
    assert (
        plan.rows[2].errors[0].message == "Muslim could be Islam (Shia), Islam (Sunni): write which"
    )


def test_communities_are_looked_up_by_name(database, tmp_path):
    add(database, Community, name="St Mary's Church, Westmoor", kind=CommunityKind.FAITH_COMMUNITY)
    path = write_csv(
        tmp_path / "c.csv",
        [
            ["First name", "Surname", "Church"],
            ["Ann", "Lee", "st mary's church, westmoor"],
            ["Bob", "Stone", "Nowhere Chapel"],
        ],
    )
    plan = plan_of(database, "volunteers", path)
    assert plan.rows[0].values["community_id"]
    assert plan.rows[1].errors[0].message.startswith("There is no community called Nowhere Chapel")


def test_other_columns_are_listed_with_where_they_belong(database, tmp_path):
    path = write_csv(
        tmp_path / "v.csv",
        [
            ["First name", "Surname", "DBS No.", "Safeguarding date", "Shoe size", "Convictions"],
            ["Ann", "Lee", "001234567890", "01/01/2025", "6", "none"],
        ],
    )
    plan = plan_of(database, "volunteers", path)
    assert plan.ignored == ["DBS No.", "Safeguarding date", "Shoe size"]
    assert plan.hints == {"DBS No.": "clearances", "Safeguarding date": "training"}
    assert plan.refused == ["Convictions"]


# ----- communities ------------------------------------------------------------------------
def test_communities_new_update_and_similar(database, tmp_path):
    add(
        database,
        Community,
        name="St Michael and All Angels, Westmoor",
        kind=CommunityKind.FAITH_COMMUNITY,
    )
    add(database, Community, name="Westmoor Central Mosque", kind=CommunityKind.FAITH_COMMUNITY)
    path = write_csv(
        tmp_path / "c.csv",
        [
            ["Community", "Type", "Faith", "Contact", "Tel", "Review date"],
            [
                "Westmoor Central Mosque",
                "Mosque",
                "Sunni",
                "Imam Yusuf",
                "01632 960000",
                "01/04/2027",
            ],
            ["Saint Michael & All Angels Westmoor", "", "C of E", "", "", ""],
            ["Samaritans Westmoor", "Charity", "", "", "", ""],
            ["Samaritans, Westmoor", "", "", "", "", ""],
        ],
    )
    plan = plan_of(database, "communities", path)
    assert [r.outcome for r in plan.rows] == [
        Outcome.UPDATE,
        Outcome.DUPLICATE,
        Outcome.NEW,
        Outcome.DUPLICATE,
    ]
    assert set(plan.rows[0].changes) == {
        "faith_id",
        "contact_name",
        "contact_phone",
        "review_due_on",
    }
    assert plan.rows[2].values["kind"] is CommunityKind.PARTNER
    assert plan.rows[3].candidates[0].row == 4
    assert plan.rows[1].no_create == ""  # a similar name, not the same: may be created
    assert plan.rows[3].no_create == ""


# ----- training ---------------------------------------------------------------------------
def test_training_rows_long_and_wide(database, tmp_path, people):
    with database.uow() as s:
        keys = s.query(TrainingCourse).filter_by(code="KEYS").one()
        keys_id, keys_months = keys.id, keys.validity_months
    path = write_csv(
        tmp_path / "t.csv",
        [
            ["Name", "DOB", "Email", "Safeguarding date", "Key training date"],
            ["William Smith", "01/05/1960", "", "10/01/2025", "01/02/2026"],
            ["", "", "aoife@example.org", "", "03/03/2026"],
            ["Bill Smith", "01/05/1960", "", "10/01/2025", ""],
            ["Siân Evans", "", "", "", ""],
        ],
    )
    plan = plan_of(database, "training", path)
    first = plan.rows_at(2)
    assert [r.label for r in first] == [
        "William Smith: Safeguarding (foundation), completed 10/01/2025",
        "William Smith: Key and security training, completed 01/02/2026",
    ]
    assert first[0].values["expires_on"] == date(2028, 1, 10)
    assert first[1].values["course_id"] == keys_id and keys_months == 12
    assert first[1].values["expires_on"] == date(2027, 2, 1)
    assert first[1].values["status"] is TrainingStatus.COMPLETED
    assert only(plan, 3).values["volunteer_id"] == people["aoife"]
    (bill,) = plan.rows_at(4)
    assert bill.outcome is Outcome.ERROR
    assert bill.errors[0].column == "Name"
    assert "No volunteer is called Bill Smith born 01/05/1960; did you mean William Smith" in (
        bill.errors[0].message
    )
    assert only(plan, 5).note == "no training dates"


def test_training_long_format_and_records_already_held(database, tmp_path, people):
    with database.uow() as s:
        course = s.query(TrainingCourse).filter_by(code="SAFEGUARDING").one()
        editing.create(
            s,
            __import__("volunteerdesk.core.models", fromlist=["TrainingRecord"]).TrainingRecord,
            {
                "volunteer_id": people["william"],
                "course_id": course.id,
                "completed_on": date(2024, 1, 1),
                "expires_on": date(2027, 1, 1),
            },
            "setup",
        )
    path = write_csv(
        tmp_path / "t.csv",
        [
            ["Volunteer ID", "Course", "Date completed", "Expiry", "Trainer"],
            [str(people["william"]), "safeguarding", "01/01/2024", "", "Diocese"],
            [str(people["william"]), "SAFEGUARDING", "02/01/2025", "01/06/2027", ""],
            [str(people["william"]), "Basket weaving", "02/01/2025", "", ""],
            ["9999", "Safeguarding", "02/01/2025", "", ""],
            [str(people["sian"]), "Fire", "02/01/2030", "", ""],
        ],
    )
    plan = plan_of(database, "training", path)
    assert plan.rows[0].outcome is Outcome.UPDATE
    assert plan.rows[0].changes == {"provider": ("", "Diocese")}
    assert plan.rows[1].outcome is Outcome.NEW
    assert plan.rows[1].values["expiry_overridden"] is True
    assert [str(e) for e in plan.errors] == [
        "row 4, Course: Basket weaving is not a training course (give its name or code)",
        "row 5, Volunteer ID: No volunteer has id 9999",
        "row 6, Date completed: The completion date 02/01/2030 is in the future",
    ]


# ----- clearances -------------------------------------------------------------------------
def test_clearances(database, tmp_path, people):
    site = add(database, Site, name="HMP Westmoor", kind=SiteKind.PRISON)
    path = write_csv(
        tmp_path / "c.csv",
        [
            [
                "Forename",
                "Surname",
                "DOB",
                "Clearance",
                "Establishment",
                "Status",
                "Level",
                "Granted",
                "DBS No.",
                "Certificate content",
            ],
            [
                "William",
                "Smith",
                "01/05/1960",
                "DBS",
                "",
                "Cleared",
                "enhanced",
                "01/02/2024",
                "1234567890",
                "x",
            ],
            ["William", "Smith", "01/05/1960", "Vetting", "Westmoor", "Pending", "", "", "", ""],
            ["William", "Smith", "01/05/1960", "Vetting", "", "", "", "", "", ""],
            ["William", "Smith", "01/05/1960", "CTC", "", "Granted", "Gold", "", "", ""],
            ["William", "Smith", "01/05/1960", "Magic", "", "", "", "", "", ""],
        ],
    )
    plan = plan_of(database, "clearances", path)
    assert plan.refused == ["Certificate content"]
    dbs = plan.rows[0]
    assert dbs.outcome is Outcome.NEW
    assert dbs.values["status"] is ClearanceStatus.GRANTED
    assert dbs.values["level"] == "Enhanced"
    assert dbs.values["dbs_certificate_number"] == "001234567890"
    assert dbs.values["expires_on"] == date(2027, 2, 1)
    vetting = plan.rows[1]
    assert vetting.values["site_id"] == site and vetting.values["status"] is ClearanceStatus.APPLIED
    assert [str(e) for e in plan.errors] == [
        "row 4, Establishment: HMPPS vetting is per establishment: give the establishment",
        "row 5, Granted: Give the date it was granted",
        "row 5, Level: Gold is not a level of Counter Terrorist Check: leave the level blank",
        "row 6, Clearance: Magic is not a type of clearance (Counter Terrorist Check, DBS check, "
        "HMPPS vetting, PVG scheme membership (Scotland))",
    ]


def test_a_dbs_number_column_alone_means_a_dbs_check_and_pending_ones_are_updated(
    database, tmp_path, people
):
    with database.uow() as s:
        dbs = s.query(ClearanceType).filter_by(code="DBS").one().id
    from volunteerdesk.core.models import Clearance

    pending = add(
        database,
        Clearance,
        volunteer_id=people["william"],
        type_id=dbs,
        status=ClearanceStatus.APPLIED,
        applied_on=date(2026, 9, 1),
    )
    path = write_csv(
        tmp_path / "c.csv",
        [
            ["Email", "DBS certificate number", "Issue date"],
            ["w.smith@example.org", "001234567890", "01/11/2026"],
        ],
    )
    row = only(plan_of(database, "clearances", path), 2)
    assert row.outcome is Outcome.UPDATE and row.record_id == pending
    assert set(row.changes) == {"status", "granted_on", "dbs_certificate_number", "expires_on"}
