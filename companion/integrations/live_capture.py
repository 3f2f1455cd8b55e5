"""Optional live capture through the `TikTokLive` package (extra `companion[live]`), imported only when used.

`LiveClient` connects to a creator's LIVE by @handle on its own thread and hands every gift event, turned into
an event-log record (see integrations/events.py), to a callback. Nothing here touches the database: the capture
service decides what a record means. The app works fully without the package installed.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import logging
import re
import threading
import time
from collections.abc import Callable
from typing import Any

from companion.domain.errors import ValidationError

log = logging.getLogger(__name__)

PACKAGE = "TikTokLive"
INSTALL_HINT = 'pip install "creator-companion[live]"   (or: pip install TikTokLive)'
_HANDLE = re.compile(r"[A-Za-z0-9._]{2,24}")


def available() -> bool:
    """Whether the TikTokLive package can be imported (without importing it)."""
    return importlib.util.find_spec(PACKAGE) is not None


def clean_handle(text: str) -> str:
    """'@Luna_Sings ' → 'Luna_Sings'; TikTok handles are 2–24 letters, digits, dots and underscores."""
    handle = text.strip().removeprefix("@")
    if not _HANDLE.fullmatch(handle):
        raise ValidationError(
            f"'{text.strip()[:40]}' is not a TikTok @handle (2–24 letters, digits, '.' or '_')", field="handle"
        )
    return handle


def _first(obj: Any, *paths: str) -> Any:
    """The first attribute path that gives a value that is not None/empty ('common.msg_id', ...)."""
    for path in paths:
        value = obj
        for part in path.split("."):
            value = getattr(value, part, None)
            if value is None:
                break
        if value not in (None, "", 0):
            return value
    return None


def _whole(value: Any) -> int | str:
    """A whole number as int; anything else as text, so the event log keeps it and the parser refuses it by line
    (a crash here would lose the event from the log as well)."""
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return str(value)


def event_record(event: Any, now_ms: Callable[[], int] = lambda: int(time.time() * 1000)) -> dict[str, Any]:
    """A TikTokLive GiftEvent as an event-log record. Attribute names differ between TikTokLive versions (the
    message's `common` block, `gift` or `gift_details`), so each field is looked up where either keeps it."""
    gift = _first(event, "gift", "gift_details")
    user = _first(event, "user", "from_user")
    create_time = _first(event, "common.create_time", "base_message.create_time", "create_time")
    return {
        "msg_id": str(_first(event, "common.msg_id", "base_message.message_id", "msg_id", "log_id") or ""),
        "create_time": _whole(create_time) if create_time else now_ms(),
        "user": {
            "unique_id": _first(user, "unique_id", "display_id", "username") or "",  # v7 calls the @handle display_id
            "nickname": _first(user, "nickname", "nick_name") or "",
        },
        "gift": {
            "id": _first(gift, "id") or _first(event, "gift_id"),
            "name": _first(gift, "name") or "",
            "diamond_count": _first(gift, "diamond_count"),
            "type": _first(gift, "type", "info.type") or 0,
        },
        "repeat_count": _first(event, "repeat_count") or 1,
        "repeat_end": 1 if _first(event, "repeat_end") else 0,
        "group_id": str(_first(event, "group_id") or ""),
    }


class LiveClient:
    """One connection to one LIVE, on its own thread with its own asyncio loop. `on_record(record)` gets each
    gift event; `on_status(text)` gets connection changes. Both are called on the capture thread."""

    def __init__(
        self, handle: str, on_record: Callable[[dict[str, Any]], None], on_status: Callable[[str], None]
    ) -> None:
        self.handle = clean_handle(handle)
        self.on_record = on_record
        self.on_status = on_status
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._client: Any = None

    def start(self) -> None:
        if not available():
            raise ValidationError(f"live capture needs the TikTokLive package: {INSTALL_HINT}", field="handle")
        self._thread = threading.Thread(target=self._run, name=f"live-capture-{self.handle}", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        client_module = importlib.import_module(f"{PACKAGE}.client.client")
        events = importlib.import_module(f"{PACKAGE}.events")
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        client = client_module.TikTokLiveClient(unique_id=f"@{self.handle}")
        self._client = client

        async def gift(event: Any) -> None:
            try:
                self.on_record(event_record(event))
            except Exception:  # one bad event must not end the capture
                log.exception("live capture: could not handle a gift event")

        async def connected(_event: Any) -> None:
            self.on_status(f"connected to @{self.handle}")

        async def disconnected(_event: Any) -> None:
            self.on_status("disconnected")

        client.add_listener(events.GiftEvent, gift)
        client.add_listener(events.ConnectEvent, connected)
        client.add_listener(events.DisconnectEvent, disconnected)
        self.on_status(f"connecting to @{self.handle}…")
        try:
            self._loop.run_until_complete(client.connect())
        except Exception as exc:  # offline, not live, blocked: say so, the app carries on
            log.warning("live capture of @%s stopped: %s", self.handle, exc)
            self.on_status(f"could not stay connected: {exc}")
        finally:
            self._loop.close()

    def stop(self, timeout: float = 5.0) -> None:
        loop, client = self._loop, self._client
        if loop is not None and client is not None and not loop.is_closed():
            try:
                asyncio.run_coroutine_threadsafe(client.disconnect(), loop).result(timeout)
            except Exception:  # already gone
                log.info("live capture: disconnect did not complete cleanly", exc_info=True)
        if self._thread is not None:
            self._thread.join(timeout)
