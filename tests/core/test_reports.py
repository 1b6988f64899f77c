"""The printed documents, built from the small demo and read back with poppler's tools.

Each document is checked for the right people and for the absence of what its reader
must not see; fonts are checked embedded; hostile and non-Latin names print as typed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from volunteerdesk.core.compliance.breaches import expiries
from volunteerdesk.core.compliance.engine import ComplianceData
from volunteerdesk.core.compliance.rules import State
from volunteerdesk.core.lookup import find_site, find_volunteer
from volunteerdesk.core.models import (
    PATHWAY_LABELS,
    Assignment,
    AssignmentStatus,
    Clearance,
    ClearanceStatus,
    ClearanceType,
    Community,
    CommunityKind,
    DeskOutcome,
    Post,
    PostKind,
    Shift,
    Signpost,
    Site,
    SiteKind,
    Volunteer,
    VolunteerStatus,
)
from volunteerdesk.core.reports import data as periods
from volunteerdesk.core.reports.activity import activity_data, build_activity_summary
from volunteerdesk.core.reports.clearance import build_clearance_report
from volunteerdesk.core.reports.data import ReportError
from volunteerdesk.core.reports.desk_sheet import build_desk_sheet, find_desk_shift
from volunteerdesk.core.reports.expiry import build_expiry_report
from volunteerdesk.core.reports.fonts import is_simple, runs
from volunteerdesk.core.reports.gate_list import build_gate_list
from volunteerdesk.core.reports.rota import build_rota
from volunteerdesk.core.reports.schedule import build_schedule
from volunteerdesk.core.services.rota import rota_week
from volunteerdesk.core.settings import load_settings, save_settings

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")

TODAY = date(2026, 11, 23)
PRINTED = datetime(2026, 11, 23, 9, 30)
COMMON = {"username": "tester", "printed_at": PRINTED}


# ----- reading a PDF back -------------------------------------------------------------------
def text_of(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    args = ["pdftotext", "-enc", "UTF-8"]
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    out = subprocess.run([*args, str(pdf), "-"], capture_output=True, check=True, text=True)
    return " ".join(out.stdout.split())


def pages_of(pdf: Path, layout: bool = False) -> list[str]:
    raw = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(pdf), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    return [" ".join(p.split()) for p in raw.split("\f") if p.strip()]


def fonts_of(pdf: Path) -> dict[str, bool]:
    """Font name (without the subset tag) -> embedded."""
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, check=True, text=True)
    found = {}
    for line in out.stdout.splitlines()[2:]:
        parts = line.split()
        name = parts[0].split("+", 1)[-1].removesuffix("-Regular")
        found[name] = parts[-5] == "yes"
    return found


def page_size(pdf: Path) -> tuple[float, float]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, text=True)
    match = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", out.stdout)
    assert match
    return float(match.group(1)), float(match.group(2))


def words_outside_margins(pdf: Path, margin: float = 30) -> list[str]:
    """Words whose box runs past the page's side margins (39.7 pt is the layout's)."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    width = float(re.search(r'<page width="([\d.]+)"', out).group(1))
    bad = []
    for x_min, x_max, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', out
    ):
        if float(x_min) < margin or float(x_max) > width - margin:
            bad.append(word)
    return bad


def plain(text: str) -> str:
    """Text as pdftotext gives Arabic back (presentation forms, bidi marks), made plain."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\u200e\u200f\u202a-\u202e]", "", text)


def assert_every_page_carries_the_letterhead(pdf: Path, marking: str = "OFFICIAL-SENSITIVE"):
    pages = pages_of(pdf)
    for number, page in enumerate(pages, start=1):
        assert page.count(marking) >= 2, f"page {number}: marking in header and footer"
        assert f"Page {number} of {len(pages)}" in page
        assert "Printed 23/11/2026 09:30 by tester" in page
        assert "Westmoor Chaplaincy & Court Desks" in page


# ----- a small world with hostile and long names ------------------------------------------------
LONG = "Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaftschaferswessen"


@dataclass
class World:
    prison: int
    day: date


def build_world(db) -> World:
    """A prison, one post and four volunteers whose names test the printing."""
    day = date(2026, 12, 2)
    with db.uow() as s:
        settings = load_settings(s)
        settings.organisation_name = "AT&T <Chaplaincy>"
        save_settings(s, settings)
        prison = Site(
            name="HMP Testmoor",
            kind=SiteKind.PRISON,
            morning_gate_time=time(8),
            afternoon_gate_time=time(13),
        )
        post = Post(
            site=prison,
            name="Q&A <group> & more",
            kind=PostKind.GROUP,
            location="Room <1>",
            start_time=time(10),
            end_time=time(11),
            min_volunteers=5,
            max_volunteers=6,
        )
        att = Community(name="AT&T", kind=CommunityKind.PARTNER)
        people = [
            Volunteer(first_name="Bob <x", last_name="Smith", community=att),
            Volunteer(first_name="प्रिया", last_name="शर्मा"),
            Volunteer(first_name="ਗੁਰਪ੍ਰੀਤ", last_name="ਕੌਰ"),
            Volunteer(first_name="Hubert", last_name=LONG),
        ]
        shift = Shift(post=post, date=day, start_time=time(10), end_time=time(11))
        s.add_all([prison, post, att, shift, *people])
        s.flush()
        hmpps = s.scalar(select(ClearanceType).where(ClearanceType.code == "HMPPS"))
        for v in people:
            v.status = VolunteerStatus.ACTIVE
            v.sites.append(prison)
            s.add(Assignment(shift=shift, volunteer=v, status=AssignmentStatus.CONFIRMED))
            s.add(
                Clearance(
                    volunteer=v,
                    type=hmpps,
                    site=prison,
                    status=ClearanceStatus.GRANTED,
                    reference=f"R&D/<{v.last_name[:3]}>",
                    granted_on=date(2025, 1, 1),
                    expires_on=date(2030, 1, 1),
                )
            )
        return World(prison.id, day)


# ----- the documents --------------------------------------------------------------------------
def test_rota_week_names_every_volunteer_and_marks_gaps(small_demo, tmp_path):
    pdf = tmp_path / "rota.pdf"
    with small_demo.uow() as s:
        site = find_site(s, "HMP Westmoor")[0]
        week = rota_week(s, site, date(2026, 11, 30))
        build_rota(s, site, date(2026, 11, 30), date(2026, 12, 6), out_path=pdf, **COMMON)
    text = text_of(pdf)
    names = {p.name for shift in week.shifts for p in shift.people}
    latin = {n for n in names if is_simple(n)}
    assert latin and all(name in text for name in latin)
    if names - latin:  # pdftotext gives Indic names back only in part: check their font
        assert "NotoSansDevanagari" in fonts_of(pdf)
    assert "VACANT" in text and week.places_needed > 0
    assert f"{week.places_needed} places still to fill" in text
    width, height = page_size(pdf)
    assert width > height, "the rota is landscape"
    assert_every_page_carries_the_letterhead(pdf)


def test_rota_month_runs_to_several_pages_and_one_post_prints_as_a_calendar(small_demo, tmp_path):
    month, post_pdf = tmp_path / "month.pdf", tmp_path / "post.pdf"
    with small_demo.uow() as s:
        site = find_site(s, "HMP Westmoor")[0]
        mass = periods.find_post(s, site, "Catholic Mass")[0]
        build_rota(s, site, date(2026, 12, 1), date(2026, 12, 31), out_path=month, **COMMON)
        build_rota(
            s,
            site,
            date(2026, 12, 1),
            date(2026, 12, 31),
            post_id=mass,
            out_path=post_pdf,
            **COMMON,
        )
        choir = {
            p.name
            for d in (date(2026, 12, 3), date(2026, 12, 10))
            for shift in rota_week(s, site, d).shifts
            if shift.post_id != mass
            for p in shift.people
        }
    assert len(pages_of(month)) >= 4
    assert_every_page_carries_the_letterhead(month)
    text = text_of(post_pdf)
    assert "Rota: Catholic Mass, HMP Westmoor" in text and "December 2026" in text
    assert "Monday" in text and "31/12" in text
    only_elsewhere = choir - set(re.findall(r"[^\W\d_]+ [^\W\d_]+", text))
    assert only_elsewhere, "people on other posts are not on this post's calendar"


def test_desk_sheet_has_who_is_on_duty_contacts_and_the_tally_grid(small_demo, tmp_path):
    pdf = tmp_path / "desk.pdf"
    with small_demo.uow() as s:
        court = find_site(s, "Westmoor Magistrates' Court")[0]
        shift_id = find_desk_shift(s, court, date(2026, 11, 24), "morning")
        on_duty = s.execute(
            select(Volunteer.last_name, Volunteer.phone)
            .join(Assignment, Assignment.volunteer_id == Volunteer.id)
            .where(Assignment.shift_id == shift_id, Assignment.status != AssignmentStatus.DECLINED)
        ).all()
        site = s.get(Site, court)
        build_desk_sheet(s, shift_id, out_path=pdf, **COMMON)
    text = text_of(pdf)
    assert on_duty
    for last, phone in on_duty:
        assert last in text and phone in text
    for needed in (
        site.coordinator_phone,
        site.safeguarding_contact_name,
        site.safeguarding_contact_phone,
        "Tuesday 24/11/2026",
        "09:30–13:00",
        "Time in",
        "Time out",
        "Signature",
        "People seen at the desk",
    ):
        assert needed in text
    assert all(label in text for label in PATHWAY_LABELS.values())
    assert len(pages_of(pdf)) == 1


def test_desk_sheet_asks_which_session_when_a_day_has_two(small_demo):
    with small_demo.uow() as s:
        court = find_site(s, "Westmoor Magistrates' Court")[0]
        with pytest.raises(ReportError, match="2 sessions run there"):
            find_desk_shift(s, court, date(2026, 11, 24))
        with pytest.raises(ReportError, match="No session is on the rota"):
            find_desk_shift(s, court, date(2026, 11, 29), "morning")


GATE_DAY = date(2026, 11, 26)


def _expected_at_gate(s, site_id: int, day: date):
    return (
        s.execute(
            select(Volunteer)
            .join(Assignment, Assignment.volunteer_id == Volunteer.id)
            .join(Shift, Assignment.shift_id == Shift.id)
            .join(Post, Shift.post_id == Post.id)
            .where(
                Post.site_id == site_id,
                Shift.date == day,
                Assignment.status != AssignmentStatus.DECLINED,
            )
        )
        .scalars()
        .all()
    )


def test_gate_list_shows_what_the_gate_needs_and_nothing_more(small_demo, tmp_path):
    pdf = tmp_path / "gate.pdf"
    with small_demo.uow() as s:
        prison = find_site(s, "HMP Westmoor")[0]
        people = _expected_at_gate(s, prison, GATE_DAY)
        refs = {
            v.id: s.scalars(
                select(Clearance.reference).where(
                    Clearance.volunteer_id == v.id, Clearance.site_id == prison
                )
            ).all()
            for v in people
        }
        private = [
            x
            for v in people
            for x in (
                v.date_of_birth and v.date_of_birth.strftime("%d/%m/%Y"),
                v.postcode,
                v.address.split(",")[0],
                v.email,
                v.phone,
                v.faith and v.faith.name,
            )
            if x
        ]
        activities = s.scalars(
            select(Post.name).join(Shift, Shift.post_id == Post.id).where(Shift.date == GATE_DAY)
        ).all()
        build_gate_list(s, prison, GATE_DAY, out_path=pdf, **COMMON)
    text = text_of(pdf)
    for activity in activities:  # "Hindu faith group" is where they go, not their faith
        text = text.replace(activity, "")
    assert len(people) >= 4
    for v in people:
        assert f"{v.badge_name or v.first_name} {v.last_name}" in text
        assert any(ref in text for ref in refs[v.id])
    assert "08:00" in text and "13:00" in text
    assert "Keys" in text and "No keys" in text and "Escort" in text
    leaked = [x for x in private if x in text]
    assert not leaked, f"the gate list must not show {leaked}"
    assert "Pentecostal" not in text
    assert_every_page_carries_the_letterhead(pdf)


def test_forename_only_list_has_no_surnames_and_no_security_detail(small_demo, tmp_path):
    pdf = tmp_path / "forenames.pdf"
    with small_demo.uow() as s:
        prison = find_site(s, "HMP Westmoor")[0]
        people = _expected_at_gate(s, prison, GATE_DAY)
        build_gate_list(s, prison, GATE_DAY, forenames_only=True, out_path=pdf, **COMMON)
    text = text_of(pdf)
    for v in people:
        assert (v.badge_name or v.first_name) in text
        assert v.last_name not in text, f"surname {v.last_name} on a prisoner-facing list"
    bill = next(v for v in people if v.badge_name == "Bill")
    assert bill.first_name == "William" and "William" not in text, "the preferred name only"
    assert "HMPPS/" not in text and "keys" not in text.lower() and "Escort" not in text


def test_gate_list_marks_a_lapsed_clearance_not_cleared(small_demo, tmp_path):
    pdf = tmp_path / "gate.pdf"
    with small_demo.uow() as s:
        prison = find_site(s, "HMP Westmoor")[0]
        someone = _expected_at_gate(s, prison, GATE_DAY)[0]
        for c in s.scalars(
            select(Clearance).where(
                Clearance.volunteer_id == someone.id, Clearance.site_id == prison
            )
        ):
            c.expires_on = GATE_DAY - timedelta(days=1)
            c.granted_on = min(c.granted_on or c.expires_on, c.expires_on)
        name = f"{someone.badge_name or someone.first_name} {someone.last_name}"
    with small_demo.uow() as s:
        build_gate_list(s, prison, GATE_DAY, out_path=pdf, **COMMON)
    text = text_of(pdf)
    assert "NOT CLEARED" in text and "expired on 25/11/2026" in text
    assert "1 visit without a clearance for this establishment" in text
    assert name in text


def test_gate_list_is_for_prisons(small_demo, tmp_path):
    with small_demo.uow() as s:
        court = find_site(s, "Westmoor Crown Court")[0]
        with pytest.raises(ReportError, match="not a prison"):
            build_gate_list(s, court, GATE_DAY, out_path=tmp_path / "x.pdf", **COMMON)


def test_clearance_report_lists_everyone_with_pending_and_expiring_sections(small_demo, tmp_path):
    pdf = tmp_path / "clearance.pdf"
    with small_demo.uow() as s:
        prison = find_site(s, "HMP Westmoor")[0]
        data = ComplianceData.load(s)
        serving = s.scalars(
            select(Volunteer)
            .join(Volunteer.sites)
            .where(Site.id == prison, Volunteer.status != VolunteerStatus.LEFT)
        ).all()
        pending = [
            i
            for i in expiries(data, TODAY, prison)
            if i.kind == "clearance" and i.state is State.PENDING
        ]
        build_clearance_report(s, prison, TODAY, out_path=pdf, **COMMON)
    text = text_of(pdf)
    assert f"{len(serving)} volunteers serving this site" in text
    missing = [v.last_name for v in serving if is_simple(v.last_name) and v.last_name not in text]
    assert not missing
    assert "Expiring within 90 days" in text and "Pending: applied for or in progress" in text
    assert pending and all(i.volunteer in text for i in pending if is_simple(i.volunteer))
    assert "Training not in date" in text
    assert_every_page_carries_the_letterhead(pdf)


def test_long_tables_repeat_their_header_on_every_page(small_demo, tmp_path):
    pdf = tmp_path / "clearance.pdf"
    with small_demo.uow() as s:
        build_clearance_report(s, find_site(s, "HMP Westmoor")[0], TODAY, out_path=pdf, **COMMON)
    pages = pages_of(pdf, layout=True)
    assert len(pages) >= 3
    header = "Volunteer Keys Training Type Level Reference Granted Expires State"
    assert header in pages[0] and header in pages[1]


def test_clearance_report_for_every_site_has_a_section_each(small_demo, tmp_path):
    pdf = tmp_path / "all.pdf"
    with small_demo.uow() as s:
        build_clearance_report(s, None, TODAY, within=30, out_path=pdf, **COMMON)
    text = text_of(pdf)
    for name in ("HMP Westmoor", "Westmoor Crown Court", "Westmoor Magistrates' Court"):
        assert f"Clearance report: {name}" in text
    assert "Expiring within 30 days" in text


def test_expiry_report_groups_by_window_with_contact_details(small_demo, tmp_path):
    pdf = tmp_path / "expiry.pdf"
    with small_demo.uow() as s:
        data = ComplianceData.load(s, warning_days=30)
        soon = [i for i in expiries(data, TODAY) if i.state is State.EXPIRING]
        phones = dict(s.execute(select(Volunteer.id, Volunteer.phone)).all())
        build_expiry_report(s, TODAY, out_path=pdf, **COMMON)
    text = text_of(pdf)
    for title in ("Within 30 days", "In 31 to 60 days", "In 61 to 90 days", "Lapsed already"):
        assert title in text
    assert soon
    within_30 = text.split("In 31 to 60 days")[0]
    for item in soon:
        assert item.volunteer in within_30 or not is_simple(item.volunteer)
        assert phones[item.volunteer_id] in within_30


def test_schedule_as_a_letter_and_as_a_card(small_demo, tmp_path):
    letter, card = tmp_path / "letter.pdf", tmp_path / "card.pdf"
    with small_demo.uow() as s:
        vid = find_volunteer(s, "Chloë King")[0]
        days = s.scalars(
            select(Shift.date)
            .join(Assignment, Assignment.shift_id == Shift.id)
            .where(
                Assignment.volunteer_id == vid,
                Shift.date.between(date(2026, 12, 1), date(2026, 12, 31)),
                Assignment.status != AssignmentStatus.DECLINED,
            )
        ).all()
        build_schedule(s, vid, date(2026, 12, 1), date(2026, 12, 31), out_path=letter, **COMMON)
        build_schedule(
            s, vid, date(2026, 12, 1), date(2026, 12, 31), format="card", out_path=card, **COMMON
        )
    text = text_of(letter)
    assert "Dear Chloë," in text and "December 2026" in text
    assert days and all(d.strftime("%d/%m/%Y") in text for d in days)
    assert "Westmoor Chaplaincy & Court Desks" in text
    card_text = text_of(card)
    assert "Chloë King" in card_text and "Rota card" in card_text
    assert all(d.strftime("%d/%m/%Y") in card_text for d in days)


def test_activity_summary_counts_match_the_records(small_demo, tmp_path):
    pdf = tmp_path / "activity.pdf"
    start, end = date(2026, 10, 1), date(2026, 10, 31)
    with small_demo.uow() as s:
        contacts = s.scalar(
            select(func.sum(DeskOutcome.contacts_seen))
            .join(Shift, DeskOutcome.shift_id == Shift.id)
            .where(Shift.date.between(start, end))
        )
        signposted = s.scalar(
            select(func.sum(Signpost.count))
            .join(DeskOutcome, Signpost.outcome_id == DeskOutcome.id)
            .join(Shift, DeskOutcome.shift_id == Shift.id)
            .where(Shift.date.between(start, end))
        )
        data = activity_data(s, start, end)
        build_activity_summary(s, start, end, out_path=pdf, **COMMON)
    text = text_of(pdf)
    assert data.total.contacts == contacts > 0
    assert sum(data.pathways.values()) == signposted
    assert data.total.sessions == data.total.staffed + data.total.short + data.total.vacant
    assert "Total signposted" in text and f"{signposted:,}" in text
    assert "October 2026" in text and "People signposted, by pathway" in text
    assert "Sessions by site" in text and "Volunteer hours" in text


# ----- fonts, scripts and hostile text ------------------------------------------------------
def test_fonts_are_embedded_and_each_script_has_its_own(small_demo, tmp_path):
    pdf = tmp_path / "expiry.pdf"
    with small_demo.uow() as s:
        build_expiry_report(s, TODAY, within=365, out_path=pdf, **COMMON)
        names = s.scalars(
            select(Volunteer.last_name).where(Volunteer.last_name.in_(["الحسن", "ਕੌਰ"]))
        ).all()
    fonts = fonts_of(pdf)
    assert fonts and all(fonts.values()), f"not embedded: {fonts}"
    assert {"DejaVuSans", "DejaVuSans-Bold"} <= set(fonts)
    assert not any(f.startswith(("Helvetica", "Times", "Courier")) for f in fonts)
    assert names
    assert "NotoSansArabic-Bold" in fonts and "NotoSansGurmukhi-Bold" in fonts
    text = plain(text_of(pdf))
    assert "الحسن" in text or "محمد" in text


def test_hostile_and_non_latin_names_print_as_typed(sqlite_database, tmp_path):
    world = build_world(sqlite_database)
    pdf = tmp_path / "rota.pdf"
    with sqlite_database.uow() as s:
        build_rota(s, world.prison, world.day, world.day, out_path=pdf, **COMMON)
        gate = tmp_path / "gate.pdf"
        build_gate_list(s, world.prison, world.day, out_path=gate, **COMMON)
    text = plain(text_of(pdf))
    assert "Bob <x Smith" in text and "AT&T <Chaplaincy>" in text
    assert "Q&A <group> & more" in text
    assert "प्रिया" in text or "NotoSansDevanagari" in fonts_of(pdf)
    assert "NotoSansGurmukhi" in fonts_of(pdf)
    assert "Bob <x Smith" in plain(text_of(gate))


def test_long_names_wrap_inside_their_columns(sqlite_database, tmp_path):
    world = build_world(sqlite_database)
    pdf = tmp_path / "gate.pdf"
    with sqlite_database.uow() as s:
        build_gate_list(s, world.prison, world.day, out_path=pdf, **COMMON)
        rota = tmp_path / "rota.pdf"
        build_rota(s, world.prison, world.day, world.day, out_path=rota, **COMMON)
    assert "Wolfeschlegelsteinhausen" in text_of(pdf).replace(" ", "")
    assert not words_outside_margins(pdf)
    assert not words_outside_margins(rota)


def test_runs_choose_a_font_per_script():
    assert runs("Bob <x & AT&T") == [("DejaVuSans", "Bob <x & AT&T")]
    assert runs("محمد الحسن") == [("NotoSansArabic", "الحسن محمد")]  # right to left
    assert runs("ਗੁਰਪ੍ਰੀਤ Singh") == [("NotoSansGurmukhi", "ਗੁਰਪ੍ਰੀਤ "), ("DejaVuSans", "Singh")]
    # Noto Sans Arabic has no brackets: a bracketed Arabic word stays in one font (DejaVu).
    assert runs("(محمد)") == [("DejaVuSans", "(محمد)")]
    # A word mixing scripts is cut in two: reportlab shapes a word in one font only.
    assert runs("R&D/<ਕੌਰ>") == [("DejaVuSans", "R&D "), ("NotoSansGurmukhi", "/<ਕੌਰ>")]


# ----- the letterhead -----------------------------------------------------------------------
def test_marking_and_logo_come_from_settings(small_demo, tmp_path):
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (120, 60), "navy").save(logo)
    with small_demo.uow() as s:
        settings = load_settings(s)
        settings.protective_marking = "OFFICIAL"
        settings.logo_path = str(logo)
        settings.organisation_name = "Diocese of Westmoor"
        save_settings(s, settings)
    pdf = tmp_path / "gate.pdf"
    with small_demo.uow() as s:
        build_gate_list(s, find_site(s, "HMP Westmoor")[0], GATE_DAY, out_path=pdf, **COMMON)
    text = text_of(pdf)
    assert "OFFICIAL-SENSITIVE" not in text and text.count("OFFICIAL") >= 2
    assert "Diocese of Westmoor" in text
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True)
    assert "120    60" in images.stdout or " 120 " in images.stdout
    with small_demo.uow() as s:
        settings = load_settings(s)
        settings.logo_path = str(tmp_path / "missing.png")
        settings.protective_marking = ""
        save_settings(s, settings)
    with small_demo.uow() as s:
        data = build_gate_list(s, find_site(s, "HMP Westmoor")[0], GATE_DAY, **COMMON)
    assert isinstance(data, bytes) and data.startswith(b"%PDF")
    bare = tmp_path / "bare.pdf"
    bare.write_bytes(data)
    assert "OFFICIAL" not in text_of(bare) and "Diocese of Westmoor" in text_of(bare)


# ----- periods, on any database ---------------------------------------------------------------
def test_periods():
    assert periods.week_of(date(2026, 11, 26)) == (date(2026, 11, 23), date(2026, 11, 29))
    assert periods.month_of(date(2027, 2, 10)) == (date(2027, 2, 1), date(2027, 2, 28))
    assert periods.quarter_of(date(2026, 11, 23)) == (date(2026, 10, 1), date(2026, 12, 31))
    assert periods.previous_period("quarter", date(2026, 11, 23)) == (
        date(2026, 7, 1),
        date(2026, 9, 30),
    )
    assert periods.previous_period("month", date(2027, 1, 5)) == (
        date(2026, 12, 1),
        date(2026, 12, 31),
    )
    assert periods.period_name(date(2026, 10, 1), date(2026, 12, 31)) == "October to December 2026"
    with pytest.raises(ReportError):
        periods.period_of("fortnight", TODAY)


def test_every_document_on_each_database(database, tmp_path):
    """The queries on SQLite and PostgreSQL alike: the small demo, every document."""
    from volunteerdesk.core.demo import build_demo

    build_demo(database, size="small", seed=1, today=TODAY)
    with database.uow() as s:
        prison = find_site(s, "HMP Westmoor")[0]
        court = find_site(s, "Westmoor Crown Court")[0]
        vid = find_volunteer(s, "Chloë King")[0]
        made = [
            build_rota(s, prison, *periods.month_of(TODAY), **COMMON),
            build_desk_sheet(
                s, find_desk_shift(s, court, date(2026, 11, 24), "afternoon"), **COMMON
            ),
            build_gate_list(s, prison, GATE_DAY, **COMMON),
            build_gate_list(s, prison, GATE_DAY, forenames_only=True, **COMMON),
            build_clearance_report(s, prison, TODAY, **COMMON),
            build_expiry_report(s, TODAY, site_id=court, **COMMON),
            build_schedule(s, vid, *periods.month_of(date(2026, 12, 1)), **COMMON),
            build_activity_summary(
                s, *periods.quarter_of(date(2026, 10, 1)), site_id=court, **COMMON
            ),
        ]
    for i, pdf in enumerate(made):
        path = tmp_path / f"{i}.pdf"
        path.write_bytes(pdf)
        assert "Page 1 of" in text_of(path, 1)
    assert all(pdf.startswith(b"%PDF") for pdf in made)
