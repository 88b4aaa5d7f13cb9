"""The address book in the real window: ranked completion, groups expanding, the dialog."""

from __future__ import annotations

import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication

from mailcomposer.store.contacts import AddressBook, Contact
from mailcomposer.store.history import History
from mailcomposer.ui.addressbook import AddressBookDialog

# Foxmail 7 "导出 → 联系人 → CSV", GBK.
FOXMAIL_CSV = (
    "姓名,电子邮件地址,昵称,手机,家庭电话,办公电话,公司,部门,职位,生日,附注\r\n"
    "张伟,zhang.wei@example.cn,阿伟,13800138000,,,示例公司,研发部,工程师,,\r\n"
    "李娜,li.na@example.cn,,13900139000,,,,,,,老同学\r\n"
).encode("gbk")


def record_sends(home, sends: list[tuple[float, str]]) -> None:
    now = datetime.datetime.now(datetime.UTC)
    history = History(home)
    try:
        for days, to in sends:
            when = now - datetime.timedelta(days=days)
            history.record("<m@x>", when, "me@localhost", [to], "s", 1, "127.0.0.1:25", "sent")
    finally:
        history.close()


def save_book(home, people: list[Contact], *, groups_to_bcc: bool = False) -> None:
    book = AddressBook.open(home)
    book.contacts = people
    book.groups_to_bcc = groups_to_bcc
    book.save()


def team() -> list[Contact]:
    return [
        Contact("张伟", ["zhang.wei@example.cn"], ["Team"]),
        Contact("Ann Lee", ["ann@example.org", "ann@home.example"], ["Team"]),
        Contact("Bo", ["bo@example.org"]),
    ]


def test_the_address_used_most_and_lately_comes_first(qtbot, home, make_window) -> None:
    record_sends(
        home,
        [(200, "alma@example.org")] * 6  # often, but long ago
        + [(1, "alice@example.org")]  # once, yesterday
        + [(2, "Alan <alan@example.org>"), (1, "alan@example.org"), (0, "alan@example.org")],
    )
    save_book(home, [Contact("Alan Tang", ["alan@example.org"]), Contact("Alf", ["alf@ex.org"])])
    window = make_window()
    window.activateWindow()
    qtbot.keyClicks(window.to_field, "al")
    qtbot.wait_until(window.to_field.completer_popup_visible)
    assert window.to_field.shown_completions()[:4] == [
        "Alan Tang <alan@example.org>",  # the contact's name, not the one typed once
        "alice@example.org",
        "alma@example.org",
        "Alf <alf@ex.org>",  # a contact never written to
    ]


def test_a_group_typed_expands_to_its_members(qtbot, home, make_window) -> None:
    save_book(home, team())
    window = make_window()
    window.activateWindow()
    qtbot.keyClicks(window.to_field, "bo@example.org, team")
    qtbot.keyClick(window.to_field, Qt.Key.Key_Return)
    assert window.to_field.text() == (
        "bo@example.org, Ann Lee <ann@example.org>, 张伟 <zhang.wei@example.cn>"
    )
    assert window.to_field.is_valid()


def test_a_group_picked_from_completion_expands(qtbot, home, make_window) -> None:
    save_book(home, team())
    window = make_window()
    window.activateWindow()
    qtbot.keyClicks(window.to_field, "Tea")
    qtbot.wait_until(window.to_field.completer_popup_visible)
    assert window.to_field.shown_completions() == ["Team"]
    popup = QApplication.activePopupWidget()
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert window.to_field.text() == "Ann Lee <ann@example.org>, 张伟 <zhang.wei@example.cn>, "


def test_a_group_goes_to_bcc_when_the_user_wants(qtbot, home, make_window) -> None:
    save_book(home, team(), groups_to_bcc=True)
    window = make_window()
    window.activateWindow()
    qtbot.keyClicks(window.to_field, "bo@example.org, Team")
    qtbot.keyClick(window.to_field, Qt.Key.Key_Return)
    assert window.to_field.text() == "bo@example.org"
    assert window.bcc_field.text() == "Ann Lee <ann@example.org>, 张伟 <zhang.wei@example.cn>"
    assert window.bcc_field.isVisible()


def open_book(qtbot, window) -> AddressBookDialog:
    window.findChild(QAction, "addressBookAction").trigger()
    dialog = window.findChild(AddressBookDialog, "addressBook")
    assert dialog is not None
    qtbot.wait_exposed(dialog)
    return dialog


def test_tools_menu_opens_the_book_which_imports_edits_and_writes_to(
    qtbot, home, make_window, tmp_path
) -> None:
    window = make_window()
    dialog = open_book(qtbot, window)
    assert open_book(qtbot, window) is dialog  # a second trigger raises the same window
    source = tmp_path / "foxmail.csv"
    source.write_bytes(FOXMAIL_CSV)
    assert dialog.import_file(source) == 2
    assert dialog.status_label.text() == "2 contacts imported"
    assert [dialog.people_list.item(i).text() for i in range(2)] == [
        "李娜 <li.na@example.cn>",  # pinyin order: Li before Zhang
        "张伟 <zhang.wei@example.cn>",
    ]
    dialog.search_field.setText("李")  # QTest cannot type Chinese; the filter follows the text
    assert dialog.people_list.count() == 1
    dialog.people_list.setCurrentRow(0)
    assert dialog.name_field.text() == "李娜"
    dialog.emails_field.setPlainText("li.na@example.cn\nna@home.example")
    dialog.groups_field.setText("同学， Team")
    with qtbot.wait_signal(dialog.contacts_changed):
        dialog.save_button.click()
    saved = AddressBook.open(home).find_by_email("na@home.example")
    assert saved is not None and saved.groups == ["同学", "Team"]
    dialog.people_list.item(0).setSelected(True)
    dialog.write_button.click()
    assert window.to_field.text() == "李娜 <li.na@example.cn>"
    # The saved change reached the composer's completion.
    qtbot.keyClicks(window.to_field, ", Te")
    assert "同学" in window.to_field.known_addresses()


def test_export_then_import_keeps_everyone(qtbot, home, tmp_path) -> None:
    save_book(home, team())
    dialog = AddressBookDialog(AddressBook.open(home))
    qtbot.add_widget(dialog)
    for kind, variant, name in [("vcard", "4.0", "a.vcf"), ("csv", "foxmail", "b.csv")]:
        dialog.export_file(tmp_path / name, kind, variant)
        assert dialog.status_label.text() == "3 contacts exported"
        fresh = AddressBookDialog(AddressBook(tmp_path / f"{name}.json"))
        qtbot.add_widget(fresh)
        assert fresh.import_file(tmp_path / name) == 3
        assert sorted((c.name, c.email) for c in fresh.book.contacts) == sorted(
            (c.name, c.email) for c in team()
        )
    QApplication.processEvents()


def test_new_edit_switch_and_delete_are_saved(qtbot, home) -> None:
    save_book(home, team())
    dialog = AddressBookDialog(AddressBook.open(home))
    qtbot.add_widget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    assert dialog.name_field.text() == "New contact"
    dialog.name_field.setText("Cai Hong")
    dialog.emails_field.setPlainText("cai@example.cn; hong@example.cn")
    # Moving to another person keeps what was typed.
    with qtbot.wait_signal(dialog.contacts_changed):
        dialog.people_list.setCurrentRow(0)
    saved = AddressBook.open(home).find_by_email("hong@example.cn")
    assert saved is not None
    assert (saved.name, saved.emails) == ("Cai Hong", ["cai@example.cn", "hong@example.cn"])
    assert dialog.people_list.currentItem().text() == "Ann Lee <ann@example.org>"
    assert dialog.name_field.text() == "Ann Lee"
    dialog.people_list.clearSelection()
    dialog.people_list.currentItem().setSelected(True)
    with qtbot.wait_signal(dialog.contacts_changed):
        dialog.delete_button.click()
    assert AddressBook.open(home).find_by_email("ann@example.org") is None
    assert dialog.people_list.count() == 3


def test_chinese_names_are_listed_in_pinyin_order(qtbot, home, make_window) -> None:
    from mailcomposer import i18n

    people = [Contact(name, [f"p{n}@example.cn"]) for n, name in
              enumerate(["张三", "李四", "王芳", "安娜", "Bob", "陈明"])]  # fmt: skip
    save_book(home, people)
    window = make_window()
    dialog = open_book(qtbot, window)
    shown = [dialog.people_list.item(i).text().split(" <")[0] for i in range(6)]
    assert shown == ["Bob", "安娜", "陈明", "李四", "王芳", "张三"], "Latin first, then pinyin"
    i18n.set_language("zh_CN")
    try:
        dialog.refresh()
        shown = [dialog.people_list.item(i).text().split(" <")[0] for i in range(6)]
        assert shown[:5] == ["安娜", "陈明", "李四", "王芳", "张三"]
    finally:
        i18n.set_language("en")
    dialog.close()


def test_a_delete_can_be_undone_and_the_people_come_back_where_they_were(qtbot, home) -> None:
    save_book(home, team())
    dialog = AddressBookDialog(AddressBook.open(home))
    qtbot.add_widget(dialog)
    dialog.show()
    assert dialog.undo_button.isHidden()
    dialog.people_list.clearSelection()
    for row in range(dialog.people_list.count()):
        item = dialog.people_list.item(row)
        item.setSelected(item.text().startswith(("Ann", "Bo")))
    with qtbot.wait_signal(dialog.contacts_changed):
        dialog.delete_button.click()
    assert [c.name for c in AddressBook.open(home).contacts] == ["张伟"]
    assert dialog.status_label.text() == "2 contacts deleted."
    assert dialog.undo_button.isVisible()
    with qtbot.wait_signal(dialog.contacts_changed):
        dialog.undo_button.click()
    restored = AddressBook.open(home).contacts
    assert [(c.name, c.emails, c.groups, c.uid) for c in restored] == [
        (c.name, c.emails, c.groups, c.uid) for c in dialog.book.contacts
    ]
    assert [c.name for c in restored] == ["张伟", "Ann Lee", "Bo"]
    assert dialog.status_label.text() == "2 contacts restored."
    assert dialog.undo_button.isHidden()


def test_addresses_typed_with_a_chinese_comma_are_split_and_a_wrong_one_is_named(
    qtbot, home
) -> None:
    save_book(home, team())
    dialog = AddressBookDialog(AddressBook.open(home))
    qtbot.add_widget(dialog)
    dialog.show()
    dialog.people_list.setCurrentRow(dialog.people_list.count() - 1)  # 张伟 (pinyin: last)
    assert dialog.name_field.text() == "张伟"
    dialog.emails_field.setPlainText("zhang.wei@example.cn，wei@example.cn；zhang wei@example")
    with qtbot.wait_signal(dialog.contacts_changed):
        dialog.save_button.click()
    saved = AddressBook.open(home).find_by_email("wei@example.cn")
    assert saved is not None
    assert saved.emails == ["zhang.wei@example.cn", "wei@example.cn", "zhang wei@example"]
    assert "“zhang wei@example” is not an e-mail address" in dialog.status_label.text()
    # Corrected, the warning goes.
    dialog.emails_field.setPlainText("zhang.wei@example.cn\nwei@example.cn")
    with qtbot.wait_signal(dialog.contacts_changed):
        dialog.save_button.click()
    assert dialog.status_label.text() == ""
