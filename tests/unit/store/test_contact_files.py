"""Contacts from and to other clients: vCard 3/4 and Outlook, Thunderbird, Foxmail CSV."""

from __future__ import annotations

import pytest

from mailcomposer.store.contactcsv import (
    FOXMAIL,
    LAYOUTS,
    OUTLOOK,
    THUNDERBIRD,
    decode_text,
    read_csv,
    write_csv,
)
from mailcomposer.store.contacts import Contact
from mailcomposer.store.vcards import read_vcards, write_vcards

# Foxmail 7 "导出 → 联系人 → CSV": GBK, Chinese column names, CRLF.
FOXMAIL_CSV = (
    "姓名,电子邮件地址,昵称,手机,家庭电话,办公电话,公司,部门,职位,生日,附注\r\n"
    "张伟,zhang.wei@example.cn,阿伟,13800138000,,,示例公司,研发部,工程师,,\r\n"
    "李娜,li.na@example.cn,,13900139000,,,,,,,老同学\r\n"
).encode("gbk")

# Thunderbird 115 "Export → vCard (.vcf)": vCard 4.0, UTF-8, CRLF, family name first in N.
THUNDERBIRD_VCF = (
    "BEGIN:VCARD\r\n"
    "VERSION:4.0\r\n"
    "EMAIL;PREF=1:wang.fang@example.cn\r\n"
    "EMAIL:fang@home.example\r\n"
    "FN:王芳\r\n"
    "N:王;芳;;;\r\n"
    "CATEGORIES:项目组\r\n"
    "UID:2f1c6c3e-0d5b-4b4e-9d0a-6f1e2b7c8a90\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\n"
    "VERSION:4.0\r\n"
    "EMAIL;PREF=1:chen.jie@example.cn\r\n"
    "N:陈;杰;;;\r\n"
    "UID:8b9d0f7a-1c2e-4a3b-8d4c-5e6f7a8b9c0d\r\n"
    "END:VCARD\r\n"
).encode()

THUNDERBIRD_CSV_HEADER = ",".join(THUNDERBIRD.header)


def test_foxmail_gbk_csv_imports_with_chinese_names_intact() -> None:
    layout, people = read_csv(FOXMAIL_CSV)
    assert layout is FOXMAIL
    assert [(p.name, p.emails) for p in people] == [
        ("张伟", ["zhang.wei@example.cn"]),
        ("李娜", ["li.na@example.cn"]),
    ]


def test_thunderbird_vcard_imports_with_chinese_names_intact() -> None:
    people = read_vcards(THUNDERBIRD_VCF)
    assert [(p.name, p.emails, p.groups) for p in people] == [
        ("王芳", ["wang.fang@example.cn", "fang@home.example"], ["项目组"]),
        ("陈杰", ["chen.jie@example.cn"], []),  # no FN: built from N, family name first
    ]
    assert people[0].uid == "2f1c6c3e-0d5b-4b4e-9d0a-6f1e2b7c8a90"


def test_thunderbird_and_outlook_csv_layouts_are_detected() -> None:
    thunderbird = (
        THUNDERBIRD_CSV_HEADER + "\r\n"
        "Ann,Lee,Ann Lee,,ann@example.org,ann@home.example" + "," * 31 + "\r\n"
    ).encode("utf-8-sig")
    layout, people = read_csv(thunderbird)
    assert layout is THUNDERBIRD
    assert [(p.name, p.emails) for p in people] == [
        ("Ann Lee", ["ann@example.org", "ann@home.example"])
    ]
    outlook = (
        b'"First Name","Middle Name","Last Name","Title","Suffix","Nickname",'
        b'"E-mail Address","E-mail 2 Address","E-mail 3 Address","Categories"\r\n'
        b'"Bo","","Chan","","","","bo@example.org","","","Team;Friends"\r\n'
    )
    layout, people = read_csv(outlook)
    assert layout is OUTLOOK
    assert [(p.name, p.emails, p.groups) for p in people] == [
        ("Bo Chan", ["bo@example.org"], ["Team", "Friends"])
    ]


def test_unknown_csv_header_is_refused() -> None:
    with pytest.raises(ValueError):
        read_csv(b"name,phone\r\nx,1\r\n")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"], ids=["utf8", "utf8-bom", "gbk"])
def test_encodings_are_detected(encoding: str) -> None:
    text = "姓名,电子邮件地址\r\n欧阳娜娜,ouyang@example.cn\r\n"
    assert decode_text(text.encode(encoding)) == text


@pytest.mark.parametrize("layout", list(LAYOUTS.values()), ids=list(LAYOUTS))
def test_csv_round_trip(layout) -> None:
    people = [
        Contact("张伟", ["zhang.wei@example.cn"], ["同事"] if layout.groups else []),
        Contact("Ann Lee", ["ann@example.org"], []),
    ]
    data = write_csv(people, layout)
    found_layout, found = read_csv(data)
    assert found_layout is layout
    assert [(p.name, p.emails, p.groups) for p in found] == [
        (p.name, p.emails, p.groups) for p in people
    ]
    if layout is FOXMAIL:
        assert data.decode("gbk").startswith("姓名,电子邮件地址")


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_vcard_round_trip(version: str) -> None:
    people = [
        Contact("张伟", ["zhang.wei@example.cn", "zw@work.cn"], ["同事", "Team"]),
        Contact("Ann Lee", ["ann@example.org"]),
    ]
    data = write_vcards(people, version)
    assert f"VERSION:{version}" in data.decode("utf-8")
    found = read_vcards(data)
    assert [p.to_json() for p in found] == [p.to_json() for p in people]
