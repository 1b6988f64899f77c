"""Any list printed as shown: title, figures, the rows, the header on every page."""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime

import pytest

from volunteerdesk.core.reports.listing import build_listing
from volunteerdesk.core.settings import OrgSettings

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
PRINTED = datetime(2026, 11, 23, 9, 30)


def pages(pdf) -> list[str]:
    raw = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    return [" ".join(p.split()) for p in raw.split("\f") if p.strip()]


def test_a_list_prints_as_typed_with_its_header_on_every_page(tmp_path):
    rows = [[f"Person {i:03d}", "HMP Westmoor", "07700 900123"] for i in range(120)]
    rows[0] = ["Bob <x", "AT&T desk", "07700 900001"]  # escaped, printed as typed
    out = tmp_path / "list.pdf"
    build_listing(
        title="Volunteers",
        subtitle="Active, at HMP Westmoor: 120 shown",
        header=["Name", "Sites", "Phone"],
        rows=rows,
        figures=[("Active volunteers", "120"), ("Expired", "3")],
        settings=OrgSettings(organisation_name="Westmoor Chaplaincy"),
        username="tester",
        out_path=out,
        printed_at=PRINTED,
    )
    found = pages(out)
    assert len(found) >= 3
    assert all("Name Sites Phone" in page for page in found)  # the header repeats
    assert "Bob <x" in found[0] and "AT&T desk" in found[0]
    assert "120 Active volunteers" in found[0]
    assert "Person 119" in found[-1]  # nothing lost at the end
    assert all("Printed 23/11/2026 09:30 by tester" in page for page in found)
    assert f"Page 1 of {len(found)}" in found[0]
    assert all("OFFICIAL-SENSITIVE" in page for page in found)


def test_an_empty_list_says_so(tmp_path):
    pdf = build_listing(
        title="Pending clearances",
        subtitle="None",
        header=["Name"],
        rows=[],
        settings=OrgSettings(),
        username="tester",
    )
    out = tmp_path / "empty.pdf"
    out.write_bytes(pdf)
    assert "Nothing to list." in pages(out)[0]
