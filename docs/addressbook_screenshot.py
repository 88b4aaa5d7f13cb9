"""Make docs/addressbook.png and docs/addressbook-zh.png: the address book with Chinese names.

Offscreen, with a CJK font installed (Debian: ``fonts-noto-cjk``):

    .venv/bin/python docs/addressbook_screenshot.py   # offscreen by default
    MAILCOMPOSER_LANG=zh_CN .venv/bin/python docs/addressbook_screenshot.py

The contacts come from a Foxmail CSV (GBK) and a Thunderbird vCard, imported as a user would.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent))

FOXMAIL_CSV = (
    "姓名,电子邮件地址,昵称,手机,家庭电话,办公电话,公司,部门,职位,生日,附注,分组\r\n"
    "张伟,zhang.wei@example.cn,阿伟,13800138000,,,示例公司,研发部,工程师,,,项目组\r\n"
    "李娜,li.na@example.cn,,13900139000,,,,,,,老同学,同学\r\n"
    "欧阳娜娜,ouyang@example.cn,,,,,,,,,,项目组\r\n"
).encode("gbk")
THUNDERBIRD_VCF = (
    "BEGIN:VCARD\r\nVERSION:4.0\r\nEMAIL;PREF=1:wang.fang@example.cn\r\n"
    "EMAIL:fang@home.example\r\nFN:王芳\r\nN:王;芳;;;\r\nCATEGORIES:项目组,同学\r\n"
    "UID:2f1c6c3e-0d5b-4b4e-9d0a-6f1e2b7c8a90\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nEMAIL;TYPE=INTERNET:ann.lee@example.org\r\n"
    "FN:Ann Lee\r\nN:Lee;Ann;;;\r\nEND:VCARD\r\n"
).encode()


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from mailcomposer import i18n
    from mailcomposer.store.contacts import AddressBook
    from mailcomposer.ui.addressbook import AddressBookDialog

    language = i18n.detect_language()
    i18n.set_language(language)
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "foxmail.csv").write_bytes(FOXMAIL_CSV)
        (root / "thunderbird.vcf").write_bytes(THUNDERBIRD_VCF)
        dialog = AddressBookDialog(AddressBook.open(root))
        dialog.import_file(root / "foxmail.csv")
        dialog.import_file(root / "thunderbird.vcf")
        dialog.resize(700, 400)
        dialog.show()
        dialog.people_list.setCurrentRow(1)
        dialog.search_field.setFocus()
        for _round in range(5):
            app.processEvents()
        zh = language.startswith("zh")
        target = DOCS / ("addressbook-zh.png" if zh else "addressbook.png")
        dialog.grab().save(str(target), "PNG")
        print(target, target.stat().st_size, "bytes")


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    main()
