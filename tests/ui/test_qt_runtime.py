"""Guards against known defects of the Qt binding we ship (see the pin in pyproject.toml)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QObject, Signal


class _Emitter(QObject):
    fired = Signal(object)


def test_signal_emit_keeps_reference_counts_of_true_and_none(qapp) -> None:  # type: ignore[no-untyped-def]
    """PySide6 6.12.0 on Python 3.11 lost one reference to True per emit: the app aborted after ~1,000
    logged gifts. Each emit here must leave True's and None's reference counts as they were."""
    emitter = _Emitter()
    received: list[int] = []
    emitter.fired.connect(received.append)
    true_before, none_before = sys.getrefcount(True), sys.getrefcount(None)
    for number in range(2000):
        emitter.fired.emit(number)
        QCoreApplication.processEvents()
    assert len(received) == 2000
    if sys.version_info < (3, 12):  # from 3.12 on True and None are immortal and report a fixed count
        assert abs(sys.getrefcount(True) - true_before) < 50
        assert abs(sys.getrefcount(None) - none_before) < 50
