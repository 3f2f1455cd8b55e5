"""Payment methods page driven like a user: reveal needs a confirmation, copy is concealed and cleared."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from companion.credentials.keyring_store import KeyringCredentialStore
from companion.credentials.memory import InMemoryCredentialStore
from companion.credentials.store import CredentialStore
from companion.domain.payment_methods import MASK
from companion.services import Services
from companion.services.methods import MethodService
from companion.ui.clipboard import KDE_HINT, MAC_CONCEALED
from companion.ui.pages.methods import MethodsPage
from companion.ui.tasks import TaskRunner

EMAIL = "paula.secret@example.com"


def with_store(services: Services, store: CredentialStore) -> Services:
    methods = MethodService(services.db, services.profile_id, store, services.methods.clock)
    return dataclasses.replace(services, methods=methods)


@pytest.fixture
def store() -> InMemoryCredentialStore:
    return InMemoryCredentialStore()


@pytest.fixture
def page(qtbot: QtBot, gui_services: Services, store: InMemoryCredentialStore) -> Iterator[MethodsPage]:
    services = with_store(gui_services, store)
    services.methods.add("paypal", "PayPal main", {"email": EMAIL})
    tasks = TaskRunner(on_error=lambda exc: pytest.fail(f"unexpected error: {exc!r}"))
    widget = MethodsPage(services, tasks, services.context, clipboard_ms=300, reveal_ms=300, minute_ms=100)
    qtbot.addWidget(widget)
    widget.resize(1000, 600)
    widget.show()
    widget.on_shown()
    qtbot.waitUntil(lambda: bool(widget.value_labels) and tasks.pending == 0, timeout=5000)
    yield widget
    widget.shutdown()
    tasks.shutdown()


def shown_page(qtbot: QtBot, services: Services) -> MethodsPage:
    """A Payment methods page on its own task runner (failing the test on a worker error), shown and loading."""
    page = MethodsPage(services, TaskRunner(on_error=lambda exc: pytest.fail(repr(exc))), services.context)
    qtbot.addWidget(page)
    page.show()
    page.on_shown()
    return page


def shown_text(page: MethodsPage) -> str:
    return " ".join(label.text() for label in page.value_labels.values())


def test_reveal_needs_confirmation_and_hides_again(qtbot: QtBot, page: MethodsPage) -> None:
    asked: list[str] = []
    page.confirm = lambda title, text: asked.append(text) is not None  # says No
    qtbot.mouseClick(page.reveal_button, Qt.MouseButton.LeftButton)
    assert "PayPal main" in asked[0]
    qtbot.wait(100)
    assert page.tasks.pending == 0 and EMAIL not in shown_text(page)
    assert shown_text(page) == MASK * 8

    page.confirm = lambda title, text: True
    qtbot.mouseClick(page.reveal_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shown_text(page) == EMAIL, timeout=3000)
    assert page.reveal_button.text() == "Hide"
    qtbot.waitUntil(lambda: shown_text(page) == MASK * 8, timeout=3000)  # hidden again after reveal_ms
    assert page.reveal_button.text() == "Reveal…"


def test_copy_marks_the_clipboard_concealed_and_clears_it_on_time(qtbot: QtBot, page: MethodsPage) -> None:
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("before")
    qtbot.mouseClick(page.copy_buttons["email"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: clipboard.text() == EMAIL, timeout=3000)
    mime = clipboard.mimeData()
    assert bytes(mime.data(KDE_HINT).data()) == b"secret"
    assert MAC_CONCEALED in mime.formats()
    assert shown_text(page) == MASK * 8  # copying does not reveal
    qtbot.waitUntil(lambda: clipboard.text() == "", timeout=3000)
    assert not page.clipboard.holding


def test_the_clipboard_is_left_alone_if_the_user_copied_something_else(qtbot: QtBot, page: MethodsPage) -> None:
    clipboard = QGuiApplication.clipboard()
    qtbot.mouseClick(page.copy_buttons["email"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: clipboard.text() == EMAIL, timeout=3000)
    clipboard.setText("a gift name the user copied")
    qtbot.wait(page.clipboard.clear_after_ms + 200)
    assert clipboard.text() == "a gift name the user copied"


def test_quitting_clears_a_secret_still_on_the_clipboard(qtbot: QtBot, page: MethodsPage) -> None:
    page.clipboard._timer.setInterval(60_000)
    qtbot.mouseClick(page.copy_buttons["email"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() == EMAIL, timeout=3000)
    page.shutdown()  # what the main window calls on close (aboutToQuit is connected too)
    assert QGuiApplication.clipboard().text() == ""


def test_add_through_the_dialog_typing_like_a_user(
    qtbot: QtBot, page: MethodsPage, store: InMemoryCredentialStore
) -> None:
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    dialog.kind_box.setCurrentIndex(1)  # bank
    qtbot.keyClicks(dialog.label_edit, "Savings")
    qtbot.keyClicks(dialog.edits["holder"], "Ada Lovelace")
    qtbot.keyClicks(dialog.edits["iban"], "GB83WEST12345698765432")  # one digit wrong
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.error_label.isVisible(), timeout=3000)
    assert dialog.error_label.text() == "IBAN: check digits do not match (mod-97): a character is mistyped"
    assert dialog.isVisible() and len(page.services.methods.list()) == 1
    dialog.edits["iban"].clear()
    qtbot.keyClicks(dialog.edits["iban"], "GB82 WEST 1234 5698 7654 32")
    dialog.submit()
    qtbot.waitUntil(lambda: len(page.methods) == 2, timeout=3000)
    assert [m.hint for m in page.methods] == ["p•••@example.com", "•••• 5432"]
    assert "GB82WEST12345698765432" in store.entries.values()


def test_idle_lock_hides_the_page_until_unlocked(qtbot: QtBot, page: MethodsPage) -> None:
    page.lock_box.setCurrentIndex(page.lock_box.findData(1))
    page.lock_box.activated.emit(page.lock_box.currentIndex())
    qtbot.waitUntil(lambda: page.locked, timeout=3000)  # 1 "minute" is 100 ms here
    assert page.stack.currentIndex() == 2
    qtbot.mouseClick(page.unlock_button, Qt.MouseButton.LeftButton)
    assert not page.locked and page.stack.currentIndex() == 0
    assert page.services.methods.lock_minutes() == 1


def test_leftovers_are_reported_and_cleaned(qtbot: QtBot, gui_services: Services) -> None:
    store = InMemoryCredentialStore()
    services = with_store(gui_services, store)
    store.put(services.methods.keyring_service(), "mstray", {"email": "x@example.com"})
    page = shown_page(qtbot, services)
    qtbot.waitUntil(lambda: page.orphan_banner.isVisible(), timeout=3000)
    assert "1 saved secret in the keyring without a payment method" in page.orphan_label.text()
    assert page.stack.currentIndex() == 1  # the empty state: no methods yet
    page.confirm = lambda title, text: True
    qtbot.mouseClick(page.clean_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.orphan_banner.isVisible(), timeout=3000)
    assert store.entries == {}
    page.tasks.shutdown()


def test_a_fail_keyring_is_shown_and_adding_is_refused_naming_it(qtbot: QtBot, gui_services: Services) -> None:
    services = with_store(gui_services, KeyringCredentialStore(fail.Keyring()))
    page = shown_page(qtbot, services)
    qtbot.waitUntil(lambda: page.keyring_status.health is not None, timeout=3000)
    assert "No secure keyring" in page.keyring_status.title.text()
    assert "gnome-keyring" in page.keyring_status.detail.text()
    page.add_method()
    dialog = page.dialog
    dialog.label_edit.setText("PayPal")
    dialog.edits["email"].setText(EMAIL)
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.error_label.isVisible(), timeout=3000)
    assert "keyring.backends.fail.Keyring" in dialog.error_label.text()
    assert services.methods.list() == []
    page.tasks.shutdown()


def test_the_page_is_in_the_navigation(qtbot: QtBot, window) -> None:  # type: ignore[no-untyped-def]
    page = window.show_page("methods")
    assert isinstance(page, MethodsPage)
    assert window.nav.currentItem().text() == "Payment methods"


def test_edit_label_only_keeps_the_secrets_and_replace_swaps_them(
    qtbot: QtBot, page: MethodsPage, store: InMemoryCredentialStore
) -> None:
    page.edit_method()
    dialog = page.dialog
    assert not dialog.kind_box.isEnabled() and not dialog.edits["email"].isEnabled()
    dialog.label_edit.setText("PayPal (old)")
    dialog.submit()
    qtbot.waitUntil(lambda: page.methods and page.methods[0].label == "PayPal (old)", timeout=3000)
    assert page.services.methods.reveal(page.methods[0].id) == {"email": EMAIL}

    page.edit_method()
    dialog = page.dialog
    qtbot.mouseClick(dialog.replace_box, Qt.MouseButton.LeftButton)
    assert dialog.edits["email"].isEnabled()
    qtbot.keyClicks(dialog.edits["email"], "new.address@example.org")
    dialog.submit()
    qtbot.waitUntil(lambda: page.methods and page.methods[0].hint == "n•••@example.org", timeout=3000)
    assert page.services.methods.reveal(page.methods[0].id) == {"email": "new.address@example.org"}
    assert EMAIL not in store.entries.values()


def test_remove_asks_first_and_deletes_the_keyring_entries(
    qtbot: QtBot, page: MethodsPage, store: InMemoryCredentialStore
) -> None:
    page.confirm = lambda title, text: False
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    qtbot.wait(100)
    assert len(page.services.methods.list()) == 1
    page.confirm = lambda title, text: True
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.stack.currentIndex() == 1, timeout=3000)  # the empty state
    assert store.entries == {}


def test_leaving_the_page_hides_what_was_revealed(qtbot: QtBot, page: MethodsPage) -> None:
    page.hide_timer.setInterval(60_000)
    page.confirm = lambda title, text: True
    qtbot.mouseClick(page.reveal_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shown_text(page) == EMAIL, timeout=3000)
    page.hide()  # what switching to another page does to this one
    assert shown_text(page) == MASK * 8 and not page.revealed


def test_a_method_whose_secrets_are_gone_says_so_and_cannot_be_copied(qtbot: QtBot, gui_services: Services) -> None:
    store = InMemoryCredentialStore()
    services = with_store(gui_services, store)
    services.methods.add("paypal", "PayPal main", {"email": EMAIL})
    store.entries.clear()  # the keyring lost the secrets; the row is still there
    page = shown_page(qtbot, services)
    qtbot.waitUntil(lambda: page.orphan_banner.isVisible(), timeout=3000)
    assert "lost its secrets" in page.orphan_label.text()
    assert [label.text() for label in page.value_labels.values()] == ["secrets missing from the keyring"]
    assert not any(button.isEnabled() for button in page.copy_buttons.values())
    assert not page.reveal_button.isEnabled()
    assert page.edit_button.isEnabled()  # to type them again
    page.tasks.shutdown()


def test_the_idle_lock_choice_has_a_label(page: MethodsPage) -> None:
    labels = [label for label in page.findChildren(QLabel) if label.buddy() is page.lock_box]
    assert [label.text().replace("&", "") for label in labels] == ["Idle lock"]
