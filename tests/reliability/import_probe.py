"""Run one gift import in this process and print how it ended as JSON (for the large-file tests, which run it
under a memory limit so a runaway import fails fast instead of taking the machine down).

    python -m tests.reliability.import_probe DATA_DIR FILE CANCEL_AFTER_SECONDS   (negative: never cancel)"""

from __future__ import annotations

import json
import resource
import sys
import threading
import time

from companion.app import open_services
from companion.domain.errors import ImportRejected
from companion.paths import app_paths


def main(data_dir: str, file: str, cancel_after: float) -> None:
    from pathlib import Path

    from companion.services.importing import ImportCancelled

    services = open_services(app_paths(data_dir).create())
    cancel = threading.Event()
    outcome: dict[str, object] = {}

    def work() -> None:
        try:
            result = services.gifts.import_csv(Path(file), cancel=cancel)
            outcome.update(result="ok", added=result.added)
        except ImportCancelled:
            outcome.update(result="cancelled")
        except ImportRejected as exc:
            outcome.update(result="rejected", message=str(exc))
        except MemoryError:
            outcome.update(result="out of memory")
        finally:
            outcome["ended"] = time.monotonic()

    worker = threading.Thread(target=work)
    started = time.monotonic()
    worker.start()
    worker.join(cancel_after if cancel_after >= 0 else None)
    asked = time.monotonic()
    cancel.set()
    worker.join()
    ended = float(outcome.pop("ended"))  # type: ignore[arg-type]
    outcome.update(
        seconds=ended - started,
        stopped_after_cancel=max(0.0, ended - asked) if cancel_after >= 0 and ended > asked else None,
        peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )
    services.db.dispose()
    print(json.dumps(outcome))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]))
