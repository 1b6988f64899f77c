"""The recurrence editor's choices: to an RFC 5545 rule and back, and the dates it previews."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from volunteerdesk.core.models import Jurisdiction, SiteDayKind
from volunteerdesk.core.scheduling.calendar import SiteCalendar
from volunteerdesk.core.scheduling.patterns import (
    PatternChoice,
    RepeatKind,
    describe,
    format_day,
    from_rule,
    preview,
    to_rule,
)
from volunteerdesk.core.scheduling.recurrence import PatternError, occurrences

START = date(2026, 1, 5)  # a Monday
MO, TU, WE, TH, FR, SA, SU = range(7)

ENGLISH_PRISON = SiteCalendar.build(Jurisdiction.ENGLAND_WALES, False)
ENGLISH_COURT = SiteCalendar.build(Jurisdiction.ENGLAND_WALES, True)
SCOTTISH_COURT = SiteCalendar.build(Jurisdiction.SCOTLAND, True)

CHOICES = [
    (PatternChoice(RepeatKind.WEEKLY, (SU,), start=START), "FREQ=WEEKLY;BYDAY=SU"),
    (
        PatternChoice(RepeatKind.WEEKLY, (TU,), every_n_weeks=2, start=START),
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
    ),
    (
        PatternChoice(RepeatKind.WEEKLY, (MO, TU, WE, TH, FR), start=START),
        "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    ),
    (PatternChoice(RepeatKind.MONTHLY, nth=1, weekday=SU, start=START), "FREQ=MONTHLY;BYDAY=1SU"),
    (
        PatternChoice(RepeatKind.MONTHLY, nth=-1, weekday=FR, start=START),
        "FREQ=MONTHLY;BYDAY=-1FR",
    ),
    (
        PatternChoice(RepeatKind.BLOCK, (WE,), sessions=6, start=START),
        "FREQ=WEEKLY;COUNT=6;BYDAY=WE",
    ),
]


@pytest.mark.parametrize(("choice", "rule"), CHOICES)
def test_choices_make_rules_and_rules_give_the_choices_back(choice, rule):
    assert to_rule(choice) == rule
    assert from_rule(rule, choice.start) == choice


def test_round_trip_keeps_the_dates_and_the_stored_id():
    choice = PatternChoice(
        RepeatKind.WEEKLY, (WE,), 3, start=START, end=date(2026, 6, 30), skip_closures=False, id=7
    )
    back = from_rule(to_rule(choice), START, date(2026, 6, 30), False, 7)
    assert back == choice


def test_a_block_without_byday_repeats_on_the_start_weekday():
    choice = from_rule("FREQ=WEEKLY;COUNT=6", START)  # as the demo stores course blocks
    assert (choice.kind, choice.weekdays, choice.sessions) == (RepeatKind.BLOCK, (MO,), 6)
    assert to_rule(choice) == "FREQ=WEEKLY;COUNT=6;BYDAY=MO"


@pytest.mark.parametrize(
    "rule",
    ["FREQ=DAILY", "FREQ=MONTHLY;BYMONTHDAY=15", "FREQ=WEEKLY;INTERVAL=2;COUNT=4", "nonsense"],
)
def test_rules_the_editor_cannot_show_are_kept_as_custom(rule):
    choice = from_rule(rule, START)
    assert choice.kind is RepeatKind.CUSTOM and choice.custom_rule == rule


def test_incomplete_choices_say_what_is_missing():
    with pytest.raises(PatternError, match="at least one day"):
        to_rule(PatternChoice(RepeatKind.WEEKLY, (), start=START))
    late = PatternChoice(RepeatKind.WEEKLY, (MO,), start=START, end=date(2026, 1, 1))
    assert late.problems() == ["the end date is before the start date"]
    assert (
        "Choose a start date"
        in preview(PatternChoice(weekdays=(MO,)), ENGLISH_PRISON, START).problem
    )


def test_describe_in_words():
    words = [describe(choice) for choice, _rule in CHOICES]
    assert words == [
        "Every week on Sunday",
        "Every other week (fortnightly) on Tuesday",
        "Every week on Monday to Friday",
        "First Sunday of the month",
        "Last Friday of the month",
        "A block of 6 weekly sessions on Wednesday",
    ]
    assert format_day(date(2026, 12, 6)) == "Sun 06/12/2026"


def test_fortnightly_preview():
    choice = PatternChoice(RepeatKind.WEEKLY, (TU,), every_n_weeks=2, start=START)
    shown = preview(choice, ENGLISH_PRISON, date(2026, 3, 1))
    assert shown.runs[:3] == (date(2026, 3, 3), date(2026, 3, 17), date(2026, 3, 31))
    assert len(shown.runs) == 10 and not shown.skipped
    assert all((b - a).days == 14 for a, b in zip(shown.runs, shown.runs[1:], strict=False))


def test_first_sunday_preview():
    choice = PatternChoice(RepeatKind.MONTHLY, nth=1, weekday=SU, start=START)
    shown = preview(choice, ENGLISH_PRISON, date(2026, 11, 23))
    assert [format_day(d) for d in shown.runs[:4]] == [
        "Sun 06/12/2026",
        "Sun 03/01/2027",
        "Sun 07/02/2027",
        "Sun 07/03/2027",
    ]
    assert len(shown.runs) == 10
    assert all(d.weekday() == SU and d.day <= 7 for d in shown.runs)


def test_last_friday_preview_skips_good_friday_for_a_court():
    choice = PatternChoice(RepeatKind.MONTHLY, nth=-1, weekday=FR, start=START)
    shown = preview(choice, ENGLISH_COURT, date(2027, 1, 1), count=4)
    assert [d.text for d in shown.days] == [
        "Fri 29/01/2027",
        "Fri 26/02/2027",
        "Fri 26/03/2027: skipped (Bank holiday: Good Friday)",
        "Fri 30/04/2027",
        "Fri 28/05/2027",
    ]
    assert len(shown.runs) == 4
    prison = preview(choice, ENGLISH_PRISON, date(2027, 1, 1), count=4)
    assert date(2027, 3, 26) in prison.runs  # a chaplaincy runs through bank holidays


def test_six_session_block_preview_and_a_closure_day():
    calendar = SiteCalendar.build(
        Jurisdiction.ENGLAND_WALES,
        False,
        [(date(2026, 2, 4), SiteDayKind.CLOSURE, "Chapel closed for redecoration")],
    )
    choice = PatternChoice(RepeatKind.BLOCK, (WE,), sessions=6, start=START)
    shown = preview(choice, calendar, date(2026, 1, 1))
    assert [d.day for d in shown.days] == [
        date(2026, 1, 7),
        date(2026, 1, 14),
        date(2026, 1, 21),
        date(2026, 1, 28),
        date(2026, 2, 4),
        date(2026, 2, 11),
    ]
    (skipped,) = shown.skipped
    assert skipped.text == "Wed 04/02/2026: skipped (Chapel closed for redecoration)"
    assert len(shown.runs) == 5  # the block does not grow a seventh week
    kept = preview(replace(choice, skip_closures=False), calendar, START)
    assert len(kept.runs) == 6


def test_scottish_court_skips_2_january_an_english_one_does_not():
    choice = PatternChoice(RepeatKind.WEEKLY, (FR,), start=date(2026, 1, 1))
    english = preview(choice, ENGLISH_COURT, date(2026, 1, 1), count=3)
    scottish = preview(choice, SCOTTISH_COURT, date(2026, 1, 1), count=3)
    assert english.runs == (date(2026, 1, 2), date(2026, 1, 9), date(2026, 1, 16))
    assert not english.skipped
    assert scottish.runs == (date(2026, 1, 9), date(2026, 1, 16), date(2026, 1, 23))
    (skipped,) = scottish.skipped
    assert skipped.text == "Fri 02/01/2026: skipped (Bank holiday: New Year Holiday)"


def test_an_exception_day_runs_despite_the_bank_holiday():
    calendar = SiteCalendar.build(
        Jurisdiction.ENGLAND_WALES,
        True,
        [(date(2026, 4, 6), SiteDayKind.EXCEPTION, "Remand-only sitting")],
    )
    choice = PatternChoice(RepeatKind.WEEKLY, (MO,), start=START)
    shown = preview(choice, calendar, date(2026, 4, 1), count=1)
    assert shown.runs == (date(2026, 4, 6),) and not shown.skipped


def test_preview_stops_at_the_end_date_and_matches_the_rota_dates():
    choice = PatternChoice(RepeatKind.WEEKLY, (TH,), start=START, end=date(2026, 1, 31))
    shown = preview(choice, ENGLISH_PRISON, START)
    assert shown.runs == tuple(
        occurrences(to_rule(choice), START, START, date(2026, 12, 31), end=choice.end)
    )
    assert len(shown.runs) == 4
