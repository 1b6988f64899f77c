"""``ComplianceData`` for some volunteers and the posts of some sites only.

The filtering lives in ``ComplianceData.load`` itself (one loader, the same states and
words); this name stays for the rota code that asks for a subset.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.orm import Session

from ..compliance.engine import ComplianceData


def load_compliance(
    session: Session, volunteer_ids: Collection[int] | None, site_ids: Collection[int] | None = None
) -> ComplianceData:
    """``ComplianceData`` for some volunteers and the posts of some sites (None: all)."""
    if volunteer_ids is None:
        return ComplianceData.load(session)
    return ComplianceData.load(session, volunteer_ids=volunteer_ids, site_ids=site_ids)
