"""Where VolunteerDesk keeps its files. One place, overridable for tests and portable use."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "VolunteerDesk"
HOME_ENV = "VOLUNTEERDESK_HOME"  # a folder that replaces the per-user data folder


def data_dir() -> Path:
    """The per-user data folder (created if missing)."""
    override = os.environ.get(HOME_ENV)
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_path() -> Path:
    return data_dir() / "volunteerdesk.db"


def backups_dir() -> Path:
    path = data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def resources_dir() -> Path:
    """The shipped resources (icons, fonts): beside the package, or in a frozen bundle."""
    here = Path(__file__).resolve()
    for candidate in (here.parents[1] / "resources", here.parents[3] / "resources"):
        if candidate.is_dir():
            return candidate
    return here.parents[3] / "resources"
