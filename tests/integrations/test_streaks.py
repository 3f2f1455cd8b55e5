"""The streak collector: a streak counts once at its end, unfinished streaks at their highest count, duplicates
once, and keys stay the same from one run to the next (so a re-import or a late end never adds twice)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from companion.integrations.streaks import FinishedGift, GiftSignal, StreakCollector, merge_by_key

T0 = datetime(2026, 11, 1, 20, 0, tzinfo=UTC)


def sig(
    msg: int, count: int = 1, end: bool = False, group: str = "g1", sender: str = "luna",
    gift: str = "Rose", streakable: bool = True, seconds: int = 0,
) -> GiftSignal:  # fmt: skip
    return GiftSignal(
        line=msg, msg_id=str(msg), at=T0 + timedelta(seconds=seconds), sender=sender, nickname="",
        gift_id=None, gift_name=gift, coins_each=1, streakable=streakable, repeat_count=count,
        repeat_end=end, group_id=group,
    )  # fmt: skip


def run(*signals: GiftSignal) -> list[FinishedGift]:
    collector = StreakCollector()
    out: list[FinishedGift] = []
    for s in signals:
        out.extend(collector.feed(s))
    return out + collector.flush()


def counts(gifts: list[FinishedGift]) -> list[tuple[str, int, bool]]:
    return [(g.sender, g.count, g.final) for g in gifts]


def test_a_streak_counts_once_at_its_end_with_its_count() -> None:
    collector = StreakCollector()
    assert collector.feed(sig(1, 1)) == []
    assert collector.feed(sig(2, 4)) == []
    [gift] = collector.feed(sig(3, 9, end=True))
    assert (gift.count, gift.final, gift.line, gift.at) == (9, True, 3, T0)
    assert collector.flush() == []


def test_a_single_tap_streak_sends_two_events_and_counts_one() -> None:
    assert counts(run(sig(1, 1), sig(2, 1, end=True))) == [("luna", 1, True)]


def test_a_streak_whose_end_never_arrives_counts_its_highest_count() -> None:
    assert counts(run(sig(1, 3), sig(2, 7), sig(3, 5))) == [("luna", 7, False)]


def test_a_non_streak_gift_counts_on_its_own_event() -> None:
    gifts = run(sig(1, 1, streakable=False, group=""), sig(2, 2, streakable=False, group=""))
    assert counts(gifts) == [("luna", 1, True), ("luna", 2, True)]
    assert gifts[0].key != gifts[1].key


def test_the_same_event_delivered_twice_counts_once() -> None:
    assert len(run(sig(1, streakable=False, group=""), sig(1, streakable=False, group=""))) == 1
    assert counts(run(sig(1, 2), sig(2, 5, end=True), sig(2, 5, end=True))) == [("luna", 5, True)]


def test_a_repeated_end_with_a_new_message_id_counts_once() -> None:
    assert counts(run(sig(1, 2), sig(2, 5, end=True), sig(3, 5, end=True))) == [("luna", 5, True)]


def test_an_end_seen_without_its_start_still_counts() -> None:
    assert counts(run(sig(7, 12, end=True))) == [("luna", 12, True)]


def test_streaks_of_different_senders_and_groups_are_apart() -> None:
    gifts = run(
        sig(1, 1, group="a"), sig(2, 1, sender="mike", group="m"), sig(3, 3, group="a"),
        sig(4, 3, end=True, group="a"), sig(5, 1, group="b"), sig(6, 2, end=True, group="b"),
        sig(7, 4, end=True, sender="mike", group="m"),
    )  # fmt: skip
    assert counts(gifts) == [("luna", 3, True), ("luna", 2, True), ("mike", 4, True)]
    assert len({g.key for g in gifts}) == 3


def test_streaks_without_a_group_id_are_told_apart_by_their_first_event() -> None:
    gifts = run(sig(1, 1, group=""), sig(2, 2, end=True, group=""), sig(3, 1, group=""), sig(4, 6, end=True, group=""))
    assert counts(gifts) == [("luna", 2, True), ("luna", 6, True)]
    assert gifts[0].key != gifts[1].key


def test_keys_are_the_same_on_every_run() -> None:
    events = (sig(1, 2), sig(2, 4, end=True), sig(3, streakable=False, group=""), sig(4, 3, group="open"))
    assert [g.key for g in run(*events)] == [g.key for g in run(*events)]


def test_a_quiet_streak_is_handed_out_early_and_again_with_the_same_key_at_its_end() -> None:
    collector = StreakCollector()
    collector.feed(sig(1, 3))
    assert collector.flush_stale(T0 + timedelta(seconds=5), quiet_seconds=10) == []
    [early] = collector.flush_stale(T0 + timedelta(seconds=10), quiet_seconds=10)
    assert (early.count, early.final) == (3, False)
    assert collector.flush_stale(T0 + timedelta(seconds=30), quiet_seconds=10) == []  # not again at the same count
    [final] = collector.feed(sig(2, 8, end=True, seconds=40))
    assert (final.key, final.count, final.final) == (early.key, 8, True)
    [merged] = merge_by_key([early, final])
    assert (merged.key, merged.count, merged.final) == (final.key, 8, True)


def test_merge_keeps_the_highest_count_per_key() -> None:
    collector = StreakCollector()
    collector.feed(sig(1, 5))
    [early] = collector.flush_stale(T0 + timedelta(minutes=1), quiet_seconds=1)
    [late] = collector.feed(sig(2, 5, end=True))
    [merged] = merge_by_key([late, early])
    assert (merged.count, merged.final) == (5, True)


def test_a_group_id_reused_after_its_end_counts_a_new_streak() -> None:
    gifts = run(
        sig(1, 1), sig(2, 3, seconds=1), sig(3, 3, end=True, seconds=2),
        sig(4, 1, seconds=10), sig(5, 4, seconds=11), sig(6, 4, end=True, seconds=12),  # the same group, again
    )  # fmt: skip
    assert counts(gifts) == [("luna", 3, True), ("luna", 4, True)]  # was 3 items: the second streak dropped
    assert gifts[0].key != gifts[1].key
    assert gifts[0].key == run(sig(1, 1), sig(3, 3, end=True, seconds=2))[0].key  # first rounds keep their key


def test_late_and_repeated_events_of_an_ended_streak_still_count_nothing() -> None:
    gifts = run(
        sig(1, 1, seconds=1), sig(2, 5, end=True, seconds=3),
        sig(3, 4, seconds=2),  # sent before the end, delivered after it
        sig(4, 5, end=True, seconds=3),  # the end again, under a new message id
    )  # fmt: skip
    assert counts(gifts) == [("luna", 5, True)]


def test_a_message_id_seen_again_with_other_content_keeps_the_first_and_is_reported() -> None:
    collector = StreakCollector()
    collector.feed(sig(1, streakable=False))
    collector.feed(sig(1, streakable=False))  # the same event delivered twice: not a conflict
    other = GiftSignal(**{**sig(1, streakable=False).__dict__, "line": 3, "sender": "mallory"})
    assert collector.feed(other) == []
    assert collector.conflicts == [3]
