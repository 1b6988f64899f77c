"""The main window on a hand-built database, where every number is known."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from sqlalchemy import select
from window_helpers import TODAY, cells, open_window, visit

from volunteerdesk.core.models import (
    Assignment,
    Clearance,
    ClearanceStatus,
    ClearanceType,
    Community,
    CommunityKind,
    Post,
    PostKind,
    RecurrencePattern,
    Shift,
    Site,
    SiteKind,
    TrainingCourse,
    TrainingRecord,
    Volunteer,
    VolunteerStatus,
)
from volunteerdesk.ui.pages.communities import CommunitiesPage
from volunteerdesk.ui.pages.compliance import CompliancePage
from volunteerdesk.ui.pages.dashboard import DashboardPage
from volunteerdesk.ui.pages.rota import RotaPage

FIRST = ["Amira", "Ben", "Chloe", "Dev", "Elin", "Farid", "Grace", "Harpreet", "Isla", "Jonah"]
LAST = ["Ahmed", "Brown", "Campbell", "Davies", "Evans", "Fraser", "Green"]


@pytest.fixture
def filled(sqlite_database):
    """A prison and a court, 70 volunteers, posts, this week's shifts, training, clearances."""
    db = sqlite_database
    with db.uow() as s:
        course = s.scalar(select(TrainingCourse).where(TrainingCourse.code == "SAFEGUARDING"))
        hmpps = s.scalar(select(ClearanceType).where(ClearanceType.code == "HMPPS"))
        parish = Community(
            name="St Mary's Parish",
            kind=CommunityKind.FAITH_COMMUNITY,
            review_due_on=TODAY - timedelta(days=3),
        )
        prison = Site(name="HMP Northgate", kind=SiteKind.PRISON)
        court = Site(name="Riverside Magistrates' Court", kind=SiteKind.MAGISTRATES_COURT)
        chapel = Post(
            site=prison,
            name="Chapel service",
            kind=PostKind.SERVICE,
            start_time=time(9, 30),
            end_time=time(11, 0),
            min_volunteers=2,
            max_volunteers=4,
        )
        chapel.patterns.append(
            RecurrencePattern(rrule="FREQ=WEEKLY;BYDAY=SU", start_date=date(2026, 1, 4))
        )
        desk = Post(
            site=court,
            name="Advice desk",
            kind=PostKind.DESK,
            start_time=time(9, 30),
            end_time=time(13, 0),
            min_volunteers=2,
            max_volunteers=2,
        )
        s.add_all([parish, prison, court])
        people = []
        for i in range(70):
            v = Volunteer(
                first_name=FIRST[i % len(FIRST)],
                last_name=f"{LAST[i % len(LAST)]}{'' if i < 7 else i}",
                status=VolunteerStatus.ACTIVE if i % 5 else VolunteerStatus.VETTING,
                community=parish,
                phone=f"07700 900{i:03d}",
                email=f"v{i}@example.org",
                sites=[prison] if i % 2 else [court],
            )
            people.append(v)
            s.add(v)
            s.add(
                TrainingRecord(
                    volunteer=v,
                    course=course,
                    completed_on=TODAY - timedelta(days=1000),
                    expires_on=TODAY + timedelta(days=i * 5 - 40),
                )
            )
            s.add(
                Clearance(
                    volunteer=v,
                    type=hmpps,
                    site=prison,
                    status=ClearanceStatus.GRANTED if i % 5 else ClearanceStatus.APPLIED,
                    expires_on=TODAY + timedelta(days=700) if i % 5 else None,
                )
            )
        sunday = TODAY + timedelta(days=6)
        service = Shift(post=chapel, date=sunday, start_time=time(9, 30), end_time=time(11, 0))
        service.assignments.append(Assignment(volunteer=people[1]))
        s.add(service)
        for offset in range(5):
            s.add(
                Shift(
                    post=desk,
                    date=TODAY + timedelta(days=offset),
                    start_time=time(9, 30),
                    end_time=time(13, 0),
                )
            )
    return db


@pytest.fixture
def hand_window(qtbot, filled):
    win = open_window(qtbot, filled)
    yield win
    win.close()


def test_hand_built_numbers(qtbot, hand_window):
    win = hand_window
    dashboard = win.page(DashboardPage)
    tiles = dashboard.tiles
    assert tiles["active_volunteers"].value_label.text() == "56"  # 70 less every fifth
    assert tiles["expired_items"].value_label.text() == "8"  # expiring -40..-5 days: volunteers 0-7
    assert tiles["expiring_items"].value_label.text() == "7"  # 0..30 days: volunteers 8 to 14
    assert tiles["pending_clearances"].value_label.text() == "14"  # every fifth: applied for
    assert dashboard.board.week.overdue_reviews == 1
    assert "1 community review is overdue" in dashboard.board.week.text
    compliance = visit(qtbot, win, CompliancePage)
    assert compliance.model.rowCount() == 70  # one row per volunteer
    compliance.state_box.setCurrentIndex(compliance.state_box.findData("expired"))
    assert compliance.model.rowCount() == 8
    communities = visit(qtbot, win, CommunitiesPage)
    assert cells(communities.model, 3) == ["70"]


def test_hand_built_rota_gap_words(qtbot, hand_window):
    page = visit(qtbot, hand_window, RotaPage)
    qtbot.waitUntil(lambda: page.week is not None)
    assert page.site_box.currentText() == "HMP Northgate"
    cell = page.cell_text("Chapel service", TODAY + timedelta(days=6))
    assert "Ben Brown" in cell and "1 needed" in cell
    assert "1 place still needed" in page.summary.text()
    page.site_box.setCurrentIndex(1)
    qtbot.waitUntil(lambda: page.week.site_name.startswith("Riverside"))
    assert page.cell_text("Advice desk", TODAY) == "VACANT: 2 needed"
    assert page.cell_text("Advice desk", TODAY + timedelta(days=5)) == ""  # no session
