"""The compliance rules at their boundaries: one record, one requirement, one date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from volunteerdesk.core.compliance.rules import Holding, Requirement, State, evaluate, is_alarm

DAY = date(2027, 1, 14)
KEYS = Requirement("training", 1, "Key training")
KEYS_ADVISORY = Requirement("training", 1, "Key training", mandatory=False)
HMPPS = Requirement("clearance", 2, "HMPPS vetting", per_establishment=True)
CTC = Requirement("clearance", 3, "CTC")


def training(expires, status="completed", completed=date(2026, 1, 1), rid=1, booked=None):
    return Holding(rid, 7, 1, None, status, completed, booked, expires)


def clearance(
    status="granted",
    site=10,
    granted=date(2025, 1, 1),
    expires=date(2030, 1, 1),
    applied=date(2024, 10, 1),
    rid=5,
    renews=None,
):
    return Holding(rid, 7, 2, site, status, granted, applied, expires, renews)


@pytest.mark.parametrize(
    ("expires", "state"),
    [
        (DAY - timedelta(days=1), State.EXPIRED),  # expired yesterday
        (DAY, State.EXPIRING),  # the expiry date is the last valid day
        (DAY + timedelta(days=1), State.EXPIRING),  # expires tomorrow
        (DAY + timedelta(days=30), State.EXPIRING),  # the edge of the 30-day window
        (DAY + timedelta(days=31), State.VALID),
        (None, State.VALID),  # a course that never expires
    ],
)
def test_expiry_boundaries(expires, state):
    check = evaluate(KEYS, [training(expires)], DAY, 30)
    assert check.state is state
    assert check.blocks is (state is State.EXPIRED)


def test_reasons_are_in_words_with_uk_dates():
    assert evaluate(KEYS, [training(date(2027, 1, 3))], DAY, 30).reason == (
        "Key training expired on 03/01/2027"
    )
    assert evaluate(KEYS, [training(date(2027, 1, 20))], DAY, 30).reason == (
        "Key training expires on 20/01/2027"
    )
    pending = evaluate(CTC, [clearance("applied", None, None, None, date(2026, 8, 12))], DAY, 30)
    assert (pending.state, pending.reason) == (State.PENDING, "CTC pending since 12/08/2026")
    assert evaluate(KEYS, [], DAY, 30).reason == "No Key training"


def test_pending_cannot_be_rostered_but_is_not_an_alarm():
    check = evaluate(
        HMPPS, [clearance("in_progress", granted=None, expires=None)], DAY, 30, site_id=10
    )
    assert check.state is State.PENDING
    assert check.blocks and not is_alarm(check)


def test_refused_blocks():
    check = evaluate(HMPPS, [clearance("refused", granted=None, expires=None)], DAY, 30, site_id=10)
    assert check.state is State.REFUSED and check.blocks and is_alarm(check)


def test_clearance_for_another_establishment_does_not_count():
    held = [clearance(site=99)]
    assert evaluate(HMPPS, held, DAY, 30, site_id=10).state is State.MISSING
    assert evaluate(HMPPS, held, DAY, 30, site_id=10).reason == (
        "No HMPPS vetting at this establishment"
    )
    assert evaluate(HMPPS, held, DAY, 30, site_id=99).state is State.VALID


def test_advisory_warns_and_mandatory_blocks():
    expired = [training(DAY - timedelta(days=5))]
    assert evaluate(KEYS, expired, DAY, 30).blocks
    advisory = evaluate(KEYS_ADVISORY, expired, DAY, 30)
    assert not advisory.blocks and advisory.warns


def test_valid_today_but_lapsing_before_the_shift_is_a_conflict():
    held = [training(date(2027, 1, 10))]
    assert evaluate(KEYS, held, date(2026, 11, 23), 30).state is State.VALID
    assert evaluate(KEYS, held, DAY, 30).state is State.EXPIRED


def test_the_newest_record_counts_when_several_are_held():
    held = [training(date(2026, 12, 1), rid=1), training(date(2027, 12, 1), rid=2)]
    check = evaluate(KEYS, held, DAY, 30)
    assert (check.state, check.record_id) == (State.VALID, 2)


def test_a_renewal_in_progress_stops_the_alarm_but_keeps_the_date():
    old = clearance(expires=DAY + timedelta(days=10), rid=5)
    check = evaluate(HMPPS, [old], DAY, 30, site_id=10, renewals_in_progress={5})
    assert check.state is State.EXPIRING and check.renewal_in_progress
    assert not is_alarm(check)
    assert check.expires_on == DAY + timedelta(days=10)
    assert "renewal in progress" in check.reason


def test_a_clearance_granted_after_the_shift_date_is_not_valid_on_it():
    later = clearance(granted=DAY + timedelta(days=3))
    check = evaluate(HMPPS, [later], DAY, 30, site_id=10)
    assert check.state is State.PENDING and check.blocks
    assert check.reason == f"HMPPS vetting only from {(DAY + timedelta(days=3)):%d/%m/%Y}"


def test_lapsed_status_counts_as_expired():
    check = evaluate(CTC, [clearance("lapsed", site=None, expires=date(2026, 6, 30))], DAY, 30)
    assert check.state is State.EXPIRED
