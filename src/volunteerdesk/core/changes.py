"""What a mutating service changed, announced once so each page refreshes only what it shows."""

from __future__ import annotations

from dataclasses import dataclass, field

# The subjects a page may care about.
SUBJECTS = frozenset(
    {
        "volunteers",
        "communities",
        "sites",
        "posts",
        "training",
        "clearances",
        "shifts",
        "assignments",
        "catalogues",
        "settings",
    }
)


@dataclass(frozen=True)
class Changes:
    subjects: frozenset[str] = field(default_factory=frozenset)
    ids: frozenset[tuple[str, int]] = field(default_factory=frozenset)

    @classmethod
    def of(cls, *subjects: str, ids: tuple[tuple[str, int], ...] = ()) -> Changes:
        unknown = set(subjects) - SUBJECTS
        if unknown:
            raise ValueError(f"unknown change subjects: {sorted(unknown)}")
        return cls(frozenset(subjects), frozenset(ids))

    @classmethod
    def everything(cls) -> Changes:
        return cls(SUBJECTS)

    def touches(self, *subjects: str) -> bool:
        return bool(self.subjects & set(subjects))

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.subjects | other.subjects, self.ids | other.ids)
