"""The document catalogue the Reports page and the command line share: options to PDF."""

from __future__ import annotations

from datetime import date

import pypdfium2
import pytest

from volunteerdesk.cli_report import REPORTS
from volunteerdesk.core.demo import build_demo
from volunteerdesk.core.lookup import find_site, find_volunteer
from volunteerdesk.core.reports import catalogue
from volunteerdesk.core.reports.catalogue import ReportOptions
from volunteerdesk.core.reports.data import ReportError

TODAY = date(2026, 11, 23)  # a Monday


@pytest.fixture
def demo(database):
    """The small demo on each configured back end (SQLite, and PostgreSQL when set)."""
    build_demo(database, size="small", seed=1, today=TODAY)
    return database


def pages(pdf: bytes) -> int:
    assert pdf.startswith(b"%PDF")
    doc = pypdfium2.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def text(pdf: bytes) -> str:
    doc = pypdfium2.PdfDocument(pdf)
    try:
        return " ".join(" ".join(p.get_textpage().get_text_range().split()) for p in doc)
    finally:
        doc.close()


def test_the_catalogue_and_the_command_line_name_the_same_documents():
    assert tuple(d.key for d in catalogue.DOCUMENTS) == REPORTS
    assert [d.title for d in catalogue.DOCUMENTS] == [
        "Rota",
        "Desk sheet",
        "Gate list",
        "Clearance report",
        "Expiry report",
        "Volunteer schedule",
        "Activity summary",
    ]
    with pytest.raises(ReportError, match="not a document"):
        catalogue.document("minutes")


def test_every_document_builds_from_chosen_options(demo):
    with demo.uow() as s:
        choices = catalogue.report_choices(s)
        prison = find_site(s, "HMP Westmoor")[0]
        court = find_site(s, "Westmoor Magistrates' Court")[0]
        bob = find_volunteer(s, "Bob Cooper")[0]
        desk = next(p for p in choices.posts_of(court) if p.is_desk)
        made = {
            "rota": ReportOptions(site_id=prison, period="month", day=TODAY),
            "desk-sheet": ReportOptions(site_id=court, post_id=desk.id, day=TODAY),
            "gate-list": ReportOptions(site_id=prison, day=TODAY, forenames_only=True),
            "clearance": ReportOptions(site_id=prison, day=TODAY, within=45),
            "expiry": ReportOptions(day=TODAY, within=30),
            "schedule": ReportOptions(
                volunteer_id=bob, start=date(2026, 12, 1), end=date(2026, 12, 31), format="card"
            ),
            "activity": ReportOptions(period="quarter", day=date(2026, 10, 1)),
        }
        pdfs = {k: catalogue.build(s, k, o, "tester", TODAY) for k, o in made.items()}
    for key, pdf in pdfs.items():
        assert pages(pdf) >= 1, key
    assert "HMP Westmoor" in text(pdfs["rota"]) and "printed" in text(pdfs["rota"]).lower()
    assert "Bob" in text(pdfs["schedule"])
    assert "by tester" in text(pdfs["clearance"])


def test_choices_list_active_sites_posts_and_volunteers(demo):
    with demo.uow() as s:
        choices = catalogue.report_choices(s)
        prison = find_site(s, "HMP Westmoor")[0]
    names = [site.name for site in choices.sites]
    assert names == sorted(names) and "HMP Westmoor" in names
    assert any(site.is_prison for site in choices.sites)
    assert choices.posts_of(prison) and all(p.site_id == prison for p in choices.posts_of(prison))
    assert choices.volunteers[0].status.value == "active"
    assert "Bob Cooper" in {v.name for v in choices.volunteers}
    gate = catalogue.with_defaults("gate-list", ReportOptions(), choices)
    assert next(x for x in choices.sites if x.id == gate.site_id).is_prison
    assert catalogue.with_defaults("expiry", ReportOptions(), choices).site_id is None


def test_periods_follow_the_options():
    span = catalogue.span
    assert span("rota", ReportOptions(period="week", day=TODAY), TODAY) == (
        date(2026, 11, 23),
        date(2026, 11, 29),
    )
    assert span("rota", ReportOptions(period="month"), TODAY) == (
        date(2026, 11, 1),
        date(2026, 11, 30),
    )
    # the activity summary without a day: the last complete period, as the CLI does
    assert span("activity", ReportOptions(period="quarter"), TODAY) == (
        date(2026, 7, 1),
        date(2026, 9, 30),
    )
    assert span("schedule", ReportOptions(), TODAY) == (TODAY, date(2026, 12, 20))
    with pytest.raises(ReportError, match="before the first"):
        span("schedule", ReportOptions(start=TODAY, end=date(2026, 11, 1)), TODAY)
    with pytest.raises(ReportError, match="both"):
        span("activity", ReportOptions(start=TODAY), TODAY)
    with pytest.raises(ReportError, match="week or a month"):
        span("rota", ReportOptions(period="quarter"), TODAY)


def test_missing_or_wrong_options_say_what_to_do(demo):
    with demo.uow() as s:
        court = find_site(s, "Westmoor Crown Court")[0]
        with pytest.raises(ReportError, match="Choose a site"):
            catalogue.build(s, "rota", ReportOptions(), "tester", TODAY)
        with pytest.raises(ReportError, match="Choose a volunteer"):
            catalogue.build(s, "schedule", ReportOptions(), "tester", TODAY)
        with pytest.raises(ReportError, match="not a prison"):
            catalogue.build(s, "gate-list", ReportOptions(site_id=court), "tester", TODAY)


def test_titles_name_whom_or_where(demo):
    with demo.uow() as s:
        prison = find_site(s, "HMP Westmoor")[0]
        bob = find_volunteer(s, "Bob Cooper")[0]
        assert catalogue.title_of(s, "rota", ReportOptions(site_id=prison), TODAY) == (
            "Rota HMP Westmoor"
        )
        assert (
            catalogue.title_of(s, "schedule", ReportOptions(volunteer_id=bob), TODAY)
            == "Volunteer schedule Bob Cooper"
        )
        assert catalogue.title_of(s, "expiry", ReportOptions(), TODAY) == "Expiry report"


def test_documents_with_clearance_references_are_audited(demo):
    from sqlalchemy import select

    from volunteerdesk.core.models import AuditAction, AuditEntry

    with demo.uow() as s:
        site = find_site(s, "HMP Westmoor")[0]
        for name, forenames in (("clearance", False), ("gate-list", False), ("gate-list", True)):
            catalogue.build(
                s, name, ReportOptions(site_id=site, forenames_only=forenames), "chaplain", TODAY
            )
    with demo.uow() as s:
        views = s.scalars(
            select(AuditEntry.summary).where(
                AuditEntry.action == AuditAction.VIEW, AuditEntry.username == "chaplain"
            )
        ).all()
    assert sorted(views) == [
        "Printed the clearance report for HMP Westmoor (clearance references)",
        "Printed the gate list for HMP Westmoor (clearance references)",
    ]  # the forename-only list shows no references: not logged
