"""Errors the domain and services raise; every message is meant for the creator to read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class CompanionError(Exception):
    """A problem the user can understand and act on (not a bug)."""


class ValidationError(CompanionError):
    """A value the user gave is not acceptable; `field` names it when there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFound(CompanionError):
    """Something the user referred to does not exist."""


class StateError(CompanionError):
    """The action does not fit the current state (e.g. going live twice)."""


@dataclass(frozen=True)
class RowError:
    """One problem in one line of an imported file."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, {self.field}: {self.message}"


class ImportRejected(CompanionError):
    """An import was refused as a whole; nothing was written."""

    def __init__(self, errors: Sequence[RowError], source: str = "") -> None:
        self.errors = list(errors)
        self.source = source
        n = len(self.errors)
        where = f" in {source}" if source else ""
        super().__init__(
            f"{n} problem{'s' if n != 1 else ''}{where}; nothing was imported. First: {self.errors[0]}"
            if self.errors
            else f"nothing was imported{where}"
        )
