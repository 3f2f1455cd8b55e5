"""Qt pages of the app, and the list the main window builds its navigation from.

A page is a `companion.ui.pages.base.Page` built as `PageClass(services, tasks, context)`. Pages are imported and
built lazily, the first time they are shown, so start-up pays only for the first page. The window calls
`on_shown()` when a page comes on screen, `data_changed(changes)` after every write (`tasks.write`), sets
`page.context` when the profile's context changes, and `shutdown()` on close.

To add a page, add one line to `PAGES`: (key, navigation title, module, class name)."""

from __future__ import annotations

from typing import NamedTuple


class PageSpec(NamedTuple):
    key: str
    title: str
    module: str
    cls: str


PAGES: list[PageSpec] = [
    PageSpec("dashboard", "Dashboard", "companion.ui.pages.dashboard", "DashboardPage"),
    PageSpec("streams", "Streams", "companion.ui.pages.streams", "StreamsPage"),
    PageSpec("gifts", "Gifts", "companion.ui.pages.gifts", "GiftsPage"),
    PageSpec("gifters", "Gifters", "companion.ui.pages.gifters", "GiftersPage"),
    PageSpec("payouts", "Payouts", "companion.ui.pages.payouts", "PayoutsPage"),
    PageSpec("methods", "Payment methods", "companion.ui.pages.methods", "MethodsPage"),
    PageSpec("settings", "Settings", "companion.ui.pages.settings", "SettingsPage"),
]
