"""Writing a confirmed preview: one transaction, audited, conflict-checked, and undone."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from sqlalchemy import func, select

from volunteerdesk.core.audit import MASK
from volunteerdesk.core.importing import (
    Choice,
    ImportCancelled,
    ImportRefused,
    ImportResult,
    Outcome,
    build_plan,
    commit_plan,
    read_table,
    recall_mapping,
    undo_import,
)
from volunteerdesk.core.importing.flow import ChooseColumns, Finished, Preview, import_flow
from volunteerdesk.core.models import (
    AuditEntry,
    Community,
    CommunityKind,
    TrainingCourse,
    TrainingRecord,
    Volunteer,
    VolunteerStatus,
)
from volunteerdesk.core.services import editing

TODAY = date(2026, 11, 23)
HEADERS = ["First name", "Surname", "DOB", "Email", "Mobile"]


def write_csv(path, rows):
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def add(database, **values):
    with database.uow() as s:
        return editing.create(
            s, Volunteer, {"status": VolunteerStatus.ACTIVE, **values}, "setup"
        ).id


def plan_of(database, target, path):
    with database.uow() as s:
        return build_plan(s, target, read_table(path), today=TODAY)


def count(database, model) -> int:
    with database.uow() as s:
        return s.scalar(select(func.count()).select_from(model))


def audit_entries(database, action=None):
    with database.uow() as s:
        query = select(AuditEntry).order_by(AuditEntry.id)
        if action:
            query = query.where(AuditEntry.action == action)
        return s.scalars(query).all()


@pytest.fixture
def william(database):
    return add(
        database,
        first_name="William",
        last_name="Smith",
        date_of_birth=date(1960, 5, 1),
        email="w.smith@example.org",
        phone="07700 900100",
    )


@pytest.fixture
def sheet(tmp_path):
    return write_csv(
        tmp_path / "people.csv",
        [
            HEADERS,
            ["Ann", "Lee", "04/03/1970", "ann@example.org", "07700 900001"],
            ["William", "Smith", "01/05/1960", "", "07700 900999"],
            ["Bill", "Smith", "01/05/1960", "bill@example.org", ""],
            ["Cy", "Young", "", "", ""],
        ],
    )


def test_commit_writes_new_updated_and_merged_rows_with_audit(database, sheet, william):
    plan = plan_of(database, "volunteers", sheet)
    assert [r.outcome for r in plan.rows] == [
        Outcome.NEW,
        Outcome.UPDATE,
        Outcome.DUPLICATE,
        Outcome.NEW,
    ]
    plan.rows_at(4)[0].decide(Choice.MERGE, 1)  # into William himself (candidate 2)
    with database.uow() as s:
        result = commit_plan(s, plan, "alice")
    assert len(result.created) == 2 and [w.record_id for w in result.updated] == [william]
    assert result.changes.touches("volunteers")
    with database.uow() as s:
        w = s.get(Volunteer, william)
        assert (w.first_name, w.phone, w.email) == ("William", "07700 900999", "bill@example.org")
        ann = s.scalars(select(Volunteer).where(Volunteer.first_name == "Ann")).one()
        assert ann.status is VolunteerStatus.ACTIVE and ann.status_since == TODAY
        assert ann.date_of_birth == date(1970, 3, 4)
    creates = audit_entries(database, "create")
    assert [e.summary for e in creates[-2:]] == [
        "Imported from people.csv, row 2",
        "Imported from people.csv, row 5",
    ]
    assert json.loads(creates[-2].changes)["date_of_birth"] == [MASK, MASK]
    updates = audit_entries(database, "update")
    assert [e.summary for e in updates] == [
        "Imported from people.csv, row 3",
        "Imported from people.csv, row 4",
    ]
    assert all(e.username == "alice" for e in updates)
    (summary,) = audit_entries(database, "import")
    assert summary.id == result.import_id
    assert summary.summary == (
        "Imported people.csv (UTF-8, comma-separated): 2 new, 1 updated, 0 left out"
    )
    with database.uow() as s:
        assert recall_mapping(s, "volunteers", HEADERS)["phone"] == "Mobile"


def test_nothing_is_written_while_rows_are_in_error_or_duplicates_undecided(
    database, tmp_path, william
):
    bad = write_csv(tmp_path / "bad.csv", [HEADERS, ["Ann", "Lee", "31/02/2026", "", ""]])
    plan = plan_of(database, "volunteers", bad)
    with pytest.raises(ImportRefused, match="1 row is in error"), database.uow() as s:
        commit_plan(s, plan, "alice")
    dup = write_csv(tmp_path / "dup.csv", [HEADERS, ["Bill", "Smith", "01/05/1960", "", ""]])
    plan = plan_of(database, "volunteers", dup)
    with pytest.raises(ImportRefused, match="1 possible duplicate"), database.uow() as s:
        commit_plan(s, plan, "alice")
    assert count(database, Volunteer) == 1


def test_a_failure_mid_commit_leaves_nothing_written(database, sheet, william, monkeypatch):
    plan = plan_of(database, "volunteers", sheet)
    plan.decide_all(Choice.CREATE)
    before = len(audit_entries(database))
    calls = []
    real_create = editing.create

    def failing_create(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real_create(*args, **kwargs)

    monkeypatch.setattr(editing, "create", failing_create)
    with pytest.raises(RuntimeError, match="disk full"), database.uow() as s:
        commit_plan(s, plan, "alice")
    assert count(database, Volunteer) == 1
    with database.uow() as s:
        assert s.get(Volunteer, william).phone == "07700 900100"
    assert len(audit_entries(database)) == before


def test_cancel_during_the_commit_writes_nothing(database, tmp_path):
    rows = [HEADERS] + [[f"Ann{i}", "Lee", "", f"ann{i}@example.org", ""] for i in range(60)]
    plan = plan_of(database, "volunteers", write_csv(tmp_path / "many.csv", rows))
    asked = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) == 2  # after the first 25 rows were written

    fractions = []
    with pytest.raises(ImportCancelled), database.uow() as s:
        commit_plan(
            s, plan, "alice", cancelled=cancelled, progress=lambda m, f: fractions.append(f)
        )
    assert count(database, Volunteer) == 0
    assert fractions == [0.0]


def test_someone_else_changing_a_record_after_the_preview_stops_the_import(
    database, sheet, william
):
    plan = plan_of(database, "volunteers", sheet)
    plan.decide_all(Choice.SKIP)
    with database.uow() as s:  # Bob edits William while the preview is on screen
        editing.update(s, Volunteer, william, 1, {"notes": "Moved house"}, "bob")
    with pytest.raises(ImportRefused, match="changed by someone else"), database.uow() as s:
        commit_plan(s, plan, "alice")
    assert count(database, Volunteer) == 1
    with database.uow() as s:
        assert s.get(Volunteer, william).phone == "07700 900100"


def test_undo_removes_what_was_created_and_restores_what_was_updated(database, sheet, william):
    plan = plan_of(database, "volunteers", sheet)
    plan.decide_all(Choice.SKIP)
    with database.uow() as s:
        result = commit_plan(s, plan, "alice")
    assert count(database, Volunteer) == 3
    with database.uow() as s:
        undone = undo_import(s, result, "alice")
    assert (undone.removed, undone.restored, undone.kept) == (2, 1, [])
    assert count(database, Volunteer) == 1
    with database.uow() as s:
        assert s.get(Volunteer, william).phone == "07700 900100"
    assert audit_entries(database, "import")[-1].summary.startswith(
        f"Undo of import #{result.import_id} (people.csv): removed 2, restored 1, kept 0"
    )
    assert [e.summary for e in audit_entries(database, "delete")] == [
        f"Undo of import #{result.import_id} (people.csv)"
    ] * 2


def test_undo_keeps_what_was_changed_since_and_says_why(database, sheet, william):
    plan = plan_of(database, "volunteers", sheet)
    plan.decide_all(Choice.SKIP)
    with database.uow() as s:
        result = commit_plan(s, plan, "alice")
    saved = ImportResult.from_dict(json.loads(json.dumps(result.to_dict())))
    ann = result.created[0].record_id
    cy = result.created[1].record_id
    with database.uow() as s:
        editing.update(s, Volunteer, william, result.updated[0].version, {"notes": "x"}, "bob")
        editing.update(s, Volunteer, ann, 1, {"postcode": "WM1 1AA"}, "bob")
        course = s.scalars(select(TrainingCourse.id)).first()
        editing.create(
            s,
            TrainingRecord,
            {"volunteer_id": cy, "course_id": course, "completed_on": date(2026, 11, 1)},
            "bob",
        )
    with database.uow() as s:
        undone = undo_import(s, saved, "alice")
    assert (undone.removed, undone.restored) == (0, 0)
    assert undone.kept == [
        "William Smith was changed since the import: not restored",
        "Cy Young now has training records: kept",
        "Ann Lee was changed since the import: kept",
    ]
    assert count(database, Volunteer) == 3


def test_two_rows_for_the_same_person_update_once_then_merge(database, tmp_path, william):
    path = write_csv(
        tmp_path / "twice.csv",
        [
            HEADERS,
            ["William", "Smith", "01/05/1960", "", "07700 900111"],
            ["William", "Smith", "01/05/1960", "will@example.org", ""],
        ],
    )
    plan = plan_of(database, "volunteers", path)
    assert plan.rows[1].outcome is Outcome.DUPLICATE
    assert plan.rows[1].candidates[0].reason == "the same volunteer"
    plan.rows[1].decide(Choice.MERGE)
    with database.uow() as s:
        result = commit_plan(s, plan, "alice")
    with database.uow() as s:
        w = s.get(Volunteer, william)
        assert (w.phone, w.email) == ("07700 900111", "will@example.org")
    assert result.updated[0].before == {"phone": "07700 900100", "email": "w.smith@example.org"}
    with database.uow() as s:
        undo_import(s, result, "alice")
    with database.uow() as s:
        w = s.get(Volunteer, william)
        assert (w.phone, w.email) == ("07700 900100", "w.smith@example.org")


def test_communities_and_undo(database, tmp_path):
    with database.uow() as s:
        editing.create(
            s,
            Community,
            {"name": "Westmoor Central Mosque", "kind": CommunityKind.FAITH_COMMUNITY},
            "setup",
        )
    path = write_csv(
        tmp_path / "c.csv",
        [
            ["Name", "Type", "Contact"],
            ["Westmoor Central Mosque", "", "Imam Yusuf"],
            ["Samaritans Westmoor", "charity", ""],
        ],
    )
    plan = plan_of(database, "communities", path)
    with database.uow() as s:
        result = commit_plan(s, plan, "alice")
    with database.uow() as s:
        names = dict(s.execute(select(Community.name, Community.contact_name)).all())
        assert names == {"Westmoor Central Mosque": "Imam Yusuf", "Samaritans Westmoor": ""}
    with database.uow() as s:
        undo_import(s, result, "alice")
    assert count(database, Community) == 1


def test_training_import_links_renewals_oldest_first(database, tmp_path, william):
    path = write_csv(
        tmp_path / "t.csv",
        [
            ["Email", "Course", "Completed"],
            ["w.smith@example.org", "Safeguarding", "01/06/2025"],
            ["w.smith@example.org", "Safeguarding", "01/06/2019"],
            ["w.smith@example.org", "Safeguarding", "01/06/2022"],
        ],
    )
    plan = plan_of(database, "training", path)
    with database.uow() as s:
        result = commit_plan(s, plan, "alice")
    with database.uow() as s:
        records = s.scalars(select(TrainingRecord).order_by(TrainingRecord.completed_on)).all()
        assert [r.completed_on.year for r in records] == [2019, 2022, 2025]
        assert [r.renews_id for r in records] == [None, records[0].id, records[1].id]
        assert records[2].expires_on == date(2028, 6, 1)
    assert result.changes.touches("training")
    with database.uow() as s:
        undone = undo_import(s, result, "alice")
    assert undone.removed == 3 and count(database, TrainingRecord) == 0


def test_the_flow_asks_for_columns_then_confirmation(database, sheet, william):
    flow = import_flow(database, sheet, "volunteers", today=TODAY)
    step = next(flow)
    assert isinstance(step, ChooseColumns) and not step.remembered
    assert step.mapping["date_of_birth"] == "DOB" and step.problems == []
    step = flow.send({"first_name": "First name"})  # a mapping without a surname...
    assert isinstance(step, ChooseColumns)
    assert step.problems == [
        "Choose the columns for First name and Last name (or one for Full name)"
    ]
    step = flow.send(None)  # ...is asked again; None keeps it, still not enough
    assert step.problems
    step = flow.send({**step.mapping, "last_name": "Surname", "date_of_birth": "DOB"})
    assert (
        isinstance(step, Preview)
        and step.plan.summary() == "2 new, 1 unchanged, 1 possible duplicate"
    )
    assert step.plan.ignored == ["Email", "Mobile"] and step.plan.hints == {}
    step.plan.decide_all("skip")
    step = flow.send(True)
    assert isinstance(step, Finished) and len(step.result.created) == 2
    # Next time the same headers come with the mapping confirmed last time.
    again = next(import_flow(database, sheet, "volunteers", today=TODAY))
    assert again.remembered and "email" not in again.mapping


def test_the_flow_stopped_at_the_preview_writes_nothing(database, sheet):
    flow = import_flow(database, sheet, "volunteers", today=TODAY)
    next(flow)
    preview = flow.send(None)
    assert isinstance(preview, Preview)
    finished = flow.send(False)
    assert finished == Finished(None)
    assert count(database, Volunteer) == 0
