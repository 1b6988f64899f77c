"""Build the one-folder application for this operating system, and on Linux a tarball.

    uv sync --group packaging        # once: adds PyInstaller
    uv run python packaging/build.py # dist/VolunteerDesk/ (+ dist/VolunteerDesk-<v>-linux.tar.gz)

Windows: then run Inno Setup on packaging/windows/volunteerdesk.iss for the installer.
macOS: dist/VolunteerDesk.app is the application bundle.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"


def version() -> str:
    sys.path.insert(0, str(ROOT / "src"))
    from volunteerdesk import __version__

    return __version__


def pyinstaller(dist: Path, work: Path) -> Path:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(dist),
            "--workpath",
            str(work),
            str(PACKAGING / "volunteerdesk.spec"),
        ],
        check=True,
    )
    return dist / "VolunteerDesk"


def linux_tarball(folder: Path, dist: Path) -> Path:
    """The folder, the installer script and the menu entry, as one download."""
    name = f"VolunteerDesk-{version()}-linux"
    staging = dist / name
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    shutil.copytree(folder, staging / "VolunteerDesk", symlinks=True)
    for extra in ("install.sh", "volunteerdesk.desktop"):
        shutil.copy2(PACKAGING / "linux" / extra, staging / extra)
    tarball = dist / f"{name}.tar.gz"
    with tarfile.open(tarball, "w:gz") as tar:
        tar.add(staging, arcname=name)
    shutil.rmtree(staging)
    return tarball


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build")
    parser.add_argument("--no-tarball", action="store_true")
    args = parser.parse_args()
    folder = pyinstaller(args.dist, args.work)
    print(f"Built {folder}")
    if sys.platform.startswith("linux") and not args.no_tarball:
        print(f"Packed {linux_tarball(folder, args.dist)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
