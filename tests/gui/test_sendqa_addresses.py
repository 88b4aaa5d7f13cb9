"""The real window sending to the built-in server, addresses typed as a Chinese user does."""

from __future__ import annotations

import email
import email.policy

from mailcomposer.store.paths import Home
from mailcomposer.ui.addressfield import problems_in


def maildir_messages(home: Home) -> list[bytes]:
    new = home.sandbox_maildir / "new"
    return [p.read_bytes() for p in sorted(new.iterdir())] if new.exists() else []


def test_full_width_commas_between_recipients_send_to_each(qtbot, window) -> None:
    assert window.current_account().builtin_sandbox
    window.to_field.setText("张三 <zhangsan@example.org>，lisi@example.org")
    window.bcc_field.setText("wangwu@example.org；zhaoliu@example.org")
    window.subject_field.setText("周报")
    window.editor.setPlainText("你好")
    assert problems_in(window.to_field.text()) == []
    with qtbot.wait_signal(window.controller.finished, timeout=15000):
        assert window.send()
    assert window.last_error is None
    assert set(window.last_result.accepted) == {
        "zhangsan@example.org",
        "lisi@example.org",
        "wangwu@example.org",
        "zhaoliu@example.org",
    }
    (raw,) = maildir_messages(window.home)
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["To"] == "张三 <zhangsan@example.org>, lisi@example.org"
    assert message["Bcc"] is None
