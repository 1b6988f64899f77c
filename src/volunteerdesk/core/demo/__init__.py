"""Realistic, invented demo data: a small Westmoor world or a national one (no Qt here).

``build_demo(db, size="small" | "national", seed, today, progress)`` fills an empty
database; the same seed and ``today`` always give the same data.
"""

from .build import SIZES, DemoSummary, build_demo, build_national
from .national import NationalPlan

__all__ = ["SIZES", "DemoSummary", "NationalPlan", "build_demo", "build_national"]
