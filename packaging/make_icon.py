"""Draw the VolunteerDesk icon and write it in every format the installers need.

    uv run python packaging/make_icon.py

Writes resources/icons/volunteerdesk.{png,ico,icns} (and 16-512 px PNGs for the Linux
icon theme). The drawing is code, so the icon can be changed and regenerated in one place.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen  # noqa: E402

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
TEAL = QColor("#1f5f74")
PAPER = QColor("#fbfaf6")
RULE = QColor("#9fb7c1")
TICK = QColor("#2e8b57")


def draw(size: int) -> QImage:
    """A rota sheet on a teal tile, with a tick: records kept, people cleared."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 256
    tile = QRectF(8 * s, 8 * s, 240 * s, 240 * s)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(TEAL)
    p.drawRoundedRect(tile, 48 * s, 48 * s)
    sheet = QRectF(56 * s, 40 * s, 144 * s, 176 * s)
    p.setBrush(PAPER)
    p.drawRoundedRect(sheet, 14 * s, 14 * s)
    if size >= 32:  # the rota's lines only where they can be seen
        p.setPen(QPen(RULE, max(1.0, 6 * s), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        for i in range(4):
            y = (78 + i * 30) * s
            p.drawLine(QPointF(78 * s, y), QPointF(178 * s, y))
    tick = QPainterPath(QPointF(96 * s, 150 * s))
    tick.lineTo(QPointF(126 * s, 182 * s))
    tick.lineTo(QPointF(184 * s, 112 * s))
    p.setPen(
        QPen(
            TICK, 22 * s, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin
        )
    )
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(tick)
    p.end()
    return image


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    ICONS.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        if not draw(size).save(str(ICONS / f"volunteerdesk-{size}.png")):
            raise SystemExit(f"could not write the {size} px icon")
    draw(256).save(str(ICONS / "volunteerdesk.png"))
    for fmt in ("ico", "icns"):
        if not draw(256).save(str(ICONS / f"volunteerdesk.{fmt}"), fmt.upper()):
            raise SystemExit(f"Qt could not write {fmt}: is its image format plugin missing?")
    print(f"Icons written to {ICONS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
