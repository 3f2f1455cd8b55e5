"""companion.faults: storage faults in plain words, found through SQLAlchemy's wrapping; other errors untouched."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from companion.domain.errors import CompanionError, ImportRejected, RowError
from companion.faults import storage_problem

DATA = Path("/home/luna/CreatorCompanion")


def _wrapped(message: str) -> OperationalError:
    return OperationalError("INSERT INTO gift_event ...", {"sender": "luna"}, sqlite3.OperationalError(message))


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (_wrapped("database or disk is full"), "is full"),
        (OSError(errno.ENOSPC, "No space left on device"), "is full"),
        (_wrapped("attempt to write a readonly database"), "read-only"),
        (_wrapped("unable to open database file"), "read-only"),
        (PermissionError(errno.EACCES, "Permission denied"), "read-only"),
        (_wrapped("database disk image is malformed"), "damaged"),
        (_wrapped("database is locked"), "busy in another program"),
        (_wrapped("disk I/O error"), "reported an error"),
    ],
)
def test_storage_faults_get_plain_words_naming_the_folder(error: BaseException, words: str) -> None:
    text = storage_problem(error, DATA)
    assert text is not None and words in text and str(DATA) in text
    assert "sqlalche" not in text and "INSERT" not in text and "luna" not in text.replace(str(DATA), "")


def test_a_chained_cause_is_found() -> None:
    try:
        try:
            raise _wrapped("database or disk is full")
        except OperationalError as inner:
            raise RuntimeError("saving the import failed") from inner
    except RuntimeError as outer:
        assert "is full" in (storage_problem(outer, DATA) or "")


@pytest.mark.parametrize(
    "error",
    [ValueError("a bug"), KeyError("x"), _wrapped("no such table: gift_event"), CompanionError("is damaged"),
     ImportRejected([RowError(2, "count", "must be at least 1")])],
)  # fmt: skip
def test_other_errors_are_left_alone(error: BaseException) -> None:
    assert storage_problem(error, DATA) is None
