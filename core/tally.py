"""Counts of what a run did, as a dataclass with an ``int`` field for each kind of outcome."""

import dataclasses


class Tally:
    """Mixed into a dataclass whose fields are counts: ``add`` one to a count, ``total``."""

    def add(self, kind: str) -> None:
        setattr(self, kind, getattr(self, kind) + 1)

    @property
    def total(self) -> int:
        return sum(getattr(self, field.name) for field in dataclasses.fields(self))
