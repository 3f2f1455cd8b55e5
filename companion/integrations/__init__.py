"""File formats in and out (native CSV, event logs) and the optional live capture."""
