"""Reading the audit log: filters, newest first, paging, masked values stay masked."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from volunteerdesk.core import access, audit
from volunteerdesk.core.access import NotAllowed
from volunteerdesk.core.models import AuditAction, AuditEntry, Volunteer
from volunteerdesk.core.services import audit_log, editing, users


def _entries(db) -> None:
    with db.uow() as s:
        for i in range(30):
            s.add(
                AuditEntry(
                    at=datetime(2026, 11, 1 + i % 20, 9, i),
                    username="alice" if i % 2 else "bob",
                    action=AuditAction.UPDATE if i % 3 else AuditAction.CREATE,
                    entity="volunteers" if i % 5 else "clearances",
                    entity_id=i,
                    summary=f"Entry number {i}",
                    changes=f'{{"phone": ["", "07700 900{i:03d}"]}}',
                )
            )


def test_search_is_newest_first_and_pages(database):
    _entries(database)
    with database.uow() as s:
        rows, total = audit_log.search_audit(s, limit=10)
        assert total == 30 and len(rows) == 10
        assert [r.at for r in rows] == sorted((r.at for r in rows), reverse=True)
        more, _ = audit_log.search_audit(s, limit=10, offset=10)
        assert not {r.id for r in rows} & {r.id for r in more}
        assert rows[0].at >= more[0].at


def test_filters_combine(database):
    _entries(database)
    with database.uow() as s:
        rows, total = audit_log.search_audit(
            s, username="alice", entity="volunteers", action="update",
            start=date(2026, 11, 5), end=date(2026, 11, 10),
        )  # fmt: skip
        assert total == len(rows) > 0
        for r in rows:
            assert (r.username, r.entity, r.action) == ("alice", "volunteers", "update")
            assert date(2026, 11, 5) <= r.at.date() <= date(2026, 11, 10)
        rows, total = audit_log.search_audit(s, text="NUMBER 17")
        assert {r.entity_id for r in rows} == {17}
        rows, _ = audit_log.search_audit(s, text="900012")  # inside the changes
        assert [r.entity_id for r in rows] == [12]
        rows, _ = audit_log.search_audit(s, entity_id=4)
        assert rows[0].record == "Volunteer 4" and rows[0].action_label == "Changed"
        assert rows[0].changes[0] == audit_log.FieldChange("phone", "", "07700 900004")


def test_masked_values_stay_masked(database):
    with database.uow() as s:
        v = editing.create(s, Volunteer, {"first_name": "Ann", "last_name": "Lee"}, "tester")
        editing.update(s, Volunteer, v.id, 1, {"date_of_birth": date(1960, 1, 2)}, "tester")
    with database.uow() as s:
        rows, _ = audit_log.search_audit(s, entity="volunteers", action=AuditAction.UPDATE)
        assert rows[0].changes == (audit_log.FieldChange("date_of_birth", audit.MASK, audit.MASK),)
        assert "1960" not in repr(rows)
        filters = audit_log.audit_filters(s)
        assert "volunteers" in filters.entities and "tester" in filters.usernames


def test_only_administrators_read_the_log(database):
    with database.uow() as s:
        users.create_user(s, "tester", {"username": "rita"})
    with pytest.raises(NotAllowed, match="audit log"), database.uow() as s:
        audit_log.search_audit(s, acting="rita")
    with pytest.raises(NotAllowed), database.uow() as s:
        s.info[access.SESSION_USER] = "rita"
        audit_log.audit_filters(s)
    with database.uow() as s:
        assert audit_log.search_audit(s, acting="tester")[1] > 0


def test_record_labels_read_as_words():
    assert audit_log.record_label("training_records") == "Training record"
    assert audit_log.record_label("communities") == "Community"
    assert audit_log.record_label("user_sites") == "User site"
