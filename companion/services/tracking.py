"""Streams: go live, end the stream, see current and past streams with their totals."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from companion.domain.economics import GiftTotals
from companion.domain.errors import StateError
from companion.domain.models import Stream
from companion.domain.text import MAX_TITLE, clean_text
from companion.store.db import Database
from companion.store.repositories import GiftRepo, StreamRepo


@dataclass(frozen=True)
class StreamOverview:
    """A stream with what it earned."""

    stream: Stream
    totals: GiftTotals


class StreamService:
    def __init__(self, db: Database, profile_id: int, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.profile_id = profile_id
        self.clock = clock

    def go_live(self, title: str = "") -> Stream:
        """Start a stream now. Refused while another stream is live (one live stream per profile)."""
        cleaned = clean_text(title, "title", MAX_TITLE)
        with self.db.session(write=True) as s:
            repo = StreamRepo(s)
            live = repo.live(self.profile_id)
            if live is not None:
                raise StateError(f"you are already live (stream “{live.title or live.id}” started)")
            now = self.clock()
            stream = repo.create(self.profile_id, cleaned or f"Live {now.astimezone():%Y-%m-%d}", now, None)
            s.commit()
            return stream

    def end(self, stream_id: int | None = None) -> Stream:
        """End the given stream, or the live one."""
        with self.db.session(write=True) as s:
            repo = StreamRepo(s)
            if stream_id is None:
                live = repo.live(self.profile_id)
                if live is None:
                    raise StateError("no stream is live")
                stream_id = live.id
            stream = repo.get(stream_id)
            if not stream.is_live:
                raise StateError("that stream has already ended")
            ended = repo.end(stream_id, self.clock())
            s.commit()
            return ended

    def live(self) -> Stream | None:
        with self.db.session() as s:
            return StreamRepo(s).live(self.profile_id)

    def get(self, stream_id: int) -> Stream:
        with self.db.session() as s:
            return StreamRepo(s).get(stream_id)

    def recent(self, limit: int = 200) -> list[Stream]:
        with self.db.session() as s:
            return StreamRepo(s).recent(self.profile_id, limit)

    def overview(self, limit: int = 200) -> list[StreamOverview]:
        """Recent streams, newest first, each with its gift totals (two queries, whatever the count)."""
        with self.db.session() as s:
            streams = StreamRepo(s).recent(self.profile_id, limit)
            totals = GiftRepo(s).totals_by_stream([st.id for st in streams])
        return [StreamOverview(st, totals.get(st.id, GiftTotals())) for st in streams]
