"""Sending from the window: real servers on 127.0.0.1, progress, cancel, failures, closing."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QIODevice, QPoint, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QMessageBox

from mailcomposer.smtp.errors import ExitCode, SendError, Stage
from mailcomposer.smtp.settings import Security, ServerSettings, Timeouts
from mailcomposer.smtp.transcript import Direction, TranscriptEvent
from mailcomposer.store.accounts import Account, AccountStore, Identity
from mailcomposer.store.paths import Home
from mailcomposer.ui.sendcontroller import SendController, live_threads
from mailcomposer.ui.sendworker import SendJob
from tests.gui.conftest import click, find_box
from tests.servers import (
    GREETING,
    NO_SUCH_USER,
    Expect,
    Hang,
    RecordingHandler,
    ScriptedServer,
    Send,
    SmtpTestServer,
)

QUICK = Timeouts(connect=5.0, command=5.0, final_dot=10.0)
SEND_TIMEOUT_MS = 15000


def png_bytes() -> bytes:
    image = QImage(12, 8, QImage.Format.Format_RGB32)
    image.fill(QColor("#2f6fb3"))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data())


def use_server(
    window,
    port: int,
    *,
    security: Security = Security.NONE,
    timeouts: Timeouts = QUICK,
    host: str = "127.0.0.1",
) -> None:
    """Add an account for a test server and select its identity in the From combo."""
    store = AccountStore(window.home)
    store.save(
        Account(
            name="Test server",
            server=ServerSettings(host, port, security, timeouts=timeouts),
            identities=[Identity("Ann Sender", "ann@example.org")],
        )
    )
    window.header.reload_accounts()
    assert window.select_identity("ann@example.org")
    assert window.current_account().name == "Test server"


def fill(window, tmp_path: Path, *, to: str = "Bo <bo@example.org>", attachment_size: int = 3000):
    window.to_field.setText(to)
    window.bcc_field.setText("hidden@example.org")
    window.subject_field.setText("季度报告 Q3")
    window.editor.setHtml("<p>Hello <b>Bo</b>, see the chart:</p>")
    cursor = window.editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    window.editor.setTextCursor(cursor)
    window.editor.insert_image_data(png_bytes(), "chart.png")
    data = bytes(range(256)) * (attachment_size // 256 + 1)
    attachment = tmp_path / "data.bin"
    attachment.write_bytes(data[:attachment_size])
    window.attachments.model.add_files([attachment])
    return attachment


def send_and_wait(qtbot, window) -> None:
    with qtbot.wait_signal(window.controller.finished, timeout=SEND_TIMEOUT_MS):
        assert window.send()


def maildir_messages(home: Home) -> list[bytes]:
    new = home.sandbox_maildir / "new"
    return [p.read_bytes() for p in sorted(new.iterdir())] if new.exists() else []


# --------------------------------------------------------------------------- success


def test_send_to_the_builtin_local_server(qtbot, window, tmp_path: Path) -> None:
    assert window.current_account().builtin_sandbox
    attachment = fill(window, tmp_path)
    send_and_wait(qtbot, window)
    assert window.last_error is None
    result = window.last_result
    assert result is not None and not result.refused
    assert set(result.accepted) == {"bo@example.org", "hidden@example.org"}

    stored = maildir_messages(window.home)
    assert len(stored) == 1
    raw = stored[0]
    head, _sep, _body = raw.partition(b"\r\n\r\n")
    assert b"X-RcptTo: bo@example.org, hidden@example.org" in raw  # Bcc in the envelope
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Bcc"] is None and b"\nBcc:" not in head  # ... never in the headers
    assert message["Subject"] == "季度报告 Q3"
    assert message.get_content_type() == "multipart/mixed"
    alternative, attached = message.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    plain, related = alternative.get_payload()
    assert plain.get_content_type() == "text/plain"
    assert related.get_content_type() == "multipart/related"
    html_part, image_part = related.get_payload()
    cid = image_part["Content-ID"].strip("<>")
    assert f"cid:{cid}" in html_part.get_content()
    assert image_part.get_payload(decode=True) == png_bytes()
    assert attached.get_filename() == "data.bin"
    assert attached.get_payload(decode=True) == attachment.read_bytes()

    # Success: a non-modal offer, content kept until the user says so, draft file gone.
    box = find_box("sentDialog")
    assert box is not None and not box.isModal()
    assert window.to_field.text() == "Bo <bo@example.org>"
    assert not window.drafts.exists()
    assert result.message_id in window.statusBar().currentMessage()
    assert window.log_dock.model.rowCount() > 5
    assert "250" in window.log_dock.transcript_text()
    click(box, QMessageBox.StandardButton.Yes)
    assert window.to_field.text() == ""
    assert window.attachments.model.rowCount() == 0


def test_the_local_server_with_encryption_and_login(qtbot, make_window, tmp_path) -> None:
    window = make_window()
    window.sandbox_secure_action.trigger()
    fill(window, tmp_path)
    send_and_wait(qtbot, window)
    assert window.last_error is None and window.last_result is not None
    log = window.log_dock.transcript_text()
    assert "C: STARTTLS" in log and "S: 220" in log
    assert "* TLS established" in log and "C: AUTH PLAIN ****" in log and "S: 235" in log
    assert log.index("C: STARTTLS") < log.index("C: AUTH") < log.index("C: MAIL FROM")
    assert window.send_flow.local_server.current().secret().value not in log
    assert len(maildir_messages(window.home)) == 1

    again = make_window()  # the choice is remembered
    assert again.sandbox_secure_action.isChecked()
    again.sandbox_secure_action.trigger()  # and can be turned off: plain text again
    fill(again, tmp_path)
    send_and_wait(qtbot, again)
    assert "C: STARTTLS" not in again.log_dock.transcript_text()


def test_the_log_follows_the_whole_session_to_the_last_reply(qtbot, window, tmp_path) -> None:
    # Regression: the view scrolled inside rowsInserted, before Qt had grown the
    # scrollbar's range, so after the second batch it stopped following and the
    # student never saw the final 250 and QUIT.
    fill(window, tmp_path)
    send_and_wait(qtbot, window)
    view = window.log_dock.view
    bar = view.verticalScrollBar()
    qtbot.wait_until(lambda: bar.maximum() > 0 and bar.value() == bar.maximum())
    last = view.indexAt(view.viewport().rect().bottomLeft() + QPoint(5, -3))
    assert last.row() == window.log_dock.model.rowCount() - 1
    assert last.data().startswith("S: 221")


def test_send_to_a_test_server_reports_progress(qtbot, window, tmp_path: Path) -> None:
    with SmtpTestServer() as server:
        use_server(window, server.port)
        fill(window, tmp_path, attachment_size=2_000_000)
        seen: list[tuple[int, int]] = []
        window.controller.progress.connect(lambda sent, total: seen.append((sent, total)))
        assert not window.progress_bar.isVisible()
        send_and_wait(qtbot, window)
    assert window.last_error is None, window.last_error
    assert seen and seen[-1][0] == seen[-1][1] > 2_000_000
    assert [s for s, _t in seen] == sorted(s for s, _t in seen)
    assert not window.progress_bar.isVisible()
    (received,) = server.received
    assert received.mail_from == "ann@example.org"
    assert set(received.rcpt_tos) == {"bo@example.org", "hidden@example.org"}
    assert b"\r\nBcc:" not in received.data
    # The fields are editable again.
    assert not window.to_field.isReadOnly()
    assert window.send_action.isEnabled() and not window.cancel_send_action.isEnabled()


def test_partial_refusal_lists_who_got_it(qtbot, window, tmp_path: Path) -> None:
    handler = RecordingHandler(rcpt_replies={"nobody@example.org": NO_SUCH_USER})
    with SmtpTestServer(handler=handler) as server:
        use_server(window, server.port)
        fill(window, tmp_path, to="bo@example.org, nobody@example.org")
        send_and_wait(qtbot, window)
    box = find_box("partialRefusalDialog")
    assert box is not None
    details = box.informativeText()
    assert "bo@example.org" in details
    assert "nobody@example.org: 550" in details
    assert "No such user" in details


# --------------------------------------------------------------------------- failures


def assert_failed_and_kept(window, exit_code: ExitCode) -> QMessageBox:
    error = window.last_error
    assert isinstance(error, SendError), window.last_result
    assert error.exit_code == exit_code, (error.exit_code, error.user_message)
    box = find_box("sendFailedDialog")
    assert box is not None
    assert box.text() == error.user_message
    assert window.banner.isVisible() and window.banner.kind == "error"
    assert window.to_field.text().startswith(("Bo <bo@example.org>", "nobody"))
    assert window.subject_field.text() == "季度报告 Q3"
    assert window.attachments.model.rowCount() == 1
    assert not window.to_field.isReadOnly()
    assert window.drafts.load().subject == "季度报告 Q3"  # saved on failure
    return box


def test_recipient_rejected(qtbot, window, tmp_path: Path) -> None:
    handler = RecordingHandler(rcpt_replies={"nobody@example.org": NO_SUCH_USER})
    with SmtpTestServer(handler=handler) as server:
        use_server(window, server.port)
        fill(window, tmp_path, to="nobody@example.org")
        window.bcc_field.clear()
        send_and_wait(qtbot, window)
    box = assert_failed_and_kept(window, ExitCode.REFUSED)
    assert "550" in box.informativeText()
    assert "5.1.1" in box.informativeText()


def test_starttls_required_but_not_offered(qtbot, window, tmp_path: Path) -> None:
    with SmtpTestServer() as server:
        use_server(window, server.port, security=Security.STARTTLS)
        fill(window, tmp_path)
        send_and_wait(qtbot, window)
        assert server.received == []
    assert_failed_and_kept(window, ExitCode.TLS)
    assert window.last_error.stage == Stage.STARTTLS


def test_stalled_server_times_out(qtbot, window, tmp_path: Path) -> None:
    script = [Send(GREETING), Expect("EHLO"), Hang()]
    with ScriptedServer(script) as server:
        use_server(window, server.port, timeouts=Timeouts(connect=2.0, command=0.5, final_dot=2))
        fill(window, tmp_path)
        send_and_wait(qtbot, window)
    assert_failed_and_kept(window, ExitCode.CONNECTION)


def test_invalid_address_marks_the_field_and_sends_nothing(qtbot, window, tmp_path) -> None:
    fill(window, tmp_path)
    window.cc_field.setText("bad@@example")
    assert not window.send()
    assert not window.controller.is_running() and not live_threads()
    assert window.cc_field.isVisible()  # unfolded to show the problem
    assert window.cc_field.property("invalidAddress")
    assert window.banner.isVisible() and "bad@@example" in window.banner.text()
    assert maildir_messages(window.home) == []


def test_missing_recipient_is_an_input_error(qtbot, window) -> None:
    window.subject_field.setText("no one to send to")
    assert not window.send()
    assert window.banner.isVisible()
    assert window.focusWidget() in (window.to_field, None) or not window.isActiveWindow()


# --------------------------------------------------------------------------- cancel & close


class StallingDataServer:
    """Accepts one session up to DATA, then stops reading: the client blocks mid-upload."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._serve, name="StallingDataServer")

    def __enter__(self) -> StallingDataServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop_event.set()
        self.thread.join(10)
        self.listener.close()

    def _serve(self) -> None:
        self.listener.settimeout(10)
        try:
            conn, _addr = self.listener.accept()
        except OSError:
            return
        with conn:
            reader = conn.makefile("rb")
            conn.sendall(b"220 stall.test ESMTP\r\n")
            replies = {
                b"EHLO": b"250-stall.test\r\n250 8BITMIME\r\n",
                b"MAIL": b"250 OK\r\n",
                b"RCPT": b"250 OK\r\n",
                b"DATA": b"354 go ahead\r\n",
            }
            while True:
                line = reader.readline()
                if not line:
                    return
                reply = replies.get(line[:4].upper(), b"250 OK\r\n")
                conn.sendall(reply)
                if line[:4].upper() == b"DATA":
                    break
            # Read nothing more until the test ends: the client's socket buffer fills up.
            self.stop_event.wait(30)


def test_cancel_mid_upload_keeps_everything(qtbot, window, tmp_path: Path) -> None:
    with StallingDataServer() as server:
        use_server(window, server.port, timeouts=Timeouts(connect=5, command=20, final_dot=20))
        fill(window, tmp_path, attachment_size=24_000_000)
        window.controller.progress.connect(lambda sent, total: window.cancel_send())
        with qtbot.wait_signal(window.controller.cancelled, timeout=SEND_TIMEOUT_MS):
            assert window.send()
            assert window.to_field.isReadOnly() and not window.send_action.isEnabled()
            assert window.cancel_send_action.isEnabled()
        qtbot.wait_until(lambda: not window.controller.is_running(), timeout=SEND_TIMEOUT_MS)
    assert window.last_error is None and window.last_result is None
    assert window.banner.kind == "warning"
    assert window.to_field.text() == "Bo <bo@example.org>"
    assert window.attachments.model.rowCount() == 1
    assert not window.to_field.isReadOnly() and window.send_action.isEnabled()
    assert window.drafts.load().to == "Bo <bo@example.org>"


def test_esc_while_the_server_name_is_looked_up_cancels_and_keeps_everything(
    qtbot, window, tmp_path: Path, smtp_server, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mailcomposer.smtp import session

    looking_up, answer = threading.Event(), threading.Event()

    def silent_resolver(host: str, port: int, *args: object) -> list:
        if len(args) > 3 and args[3] & socket.AI_NUMERICHOST:
            raise socket.gaierror(socket.EAI_NONAME, "not a number")
        looking_up.set()
        answer.wait(30)  # a resolver that gets no answer (no DNS on loopback to stall)
        return socket.getaddrinfo("127.0.0.1", port, 0, socket.SOCK_STREAM)

    monkeypatch.setattr(session, "_getaddrinfo", silent_resolver)
    use_server(window, smtp_server.port, host="mail.example.test")
    fill(window, tmp_path)
    try:
        with qtbot.wait_signal(window.controller.cancelled, timeout=SEND_TIMEOUT_MS):
            assert window.send()
            assert looking_up.wait(10)
            qtbot.keyClick(window, Qt.Key.Key_Escape)
        qtbot.wait_until(lambda: not window.is_sending(), timeout=SEND_TIMEOUT_MS)
    finally:
        answer.set()
    assert window.banner.kind == "warning"
    assert window.to_field.text() == "Bo <bo@example.org>"
    assert window.attachments.model.rowCount() == 1
    assert smtp_server.received == []


def test_closing_during_a_send_asks_then_cancels_and_closes(qtbot, window, tmp_path) -> None:
    with StallingDataServer() as server:
        use_server(window, server.port, timeouts=Timeouts(connect=5, command=20, final_dot=20))
        fill(window, tmp_path, attachment_size=24_000_000)
        with qtbot.wait_signal(window.controller.progress, timeout=SEND_TIMEOUT_MS):
            window.send()
        assert not window.close()  # asks first
        box = find_box("closeDuringSendDialog")
        assert box is not None
        assert "being sent" in box.text()
        assert window.isVisible() and window.controller.is_running()
        with qtbot.wait_signal(window.controller.finished, timeout=SEND_TIMEOUT_MS):
            click(box, QMessageBox.StandardButton.Yes)
        qtbot.wait_until(lambda: not window.isVisible())
    assert not live_threads()
    assert window.drafts.load().subject == "季度报告 Q3"


# --------------------------------------------------------------------------- controller


def run_stub(qtbot, runner, *, home: Home) -> list[str]:
    """Run ``runner`` through a SendController; return the signals in the order they came."""
    from mailcomposer.smtp.session import CancelToken

    controller = SendController(runner=runner)
    seen: list[str] = []
    controller.succeeded.connect(lambda r: seen.append("succeeded"))
    controller.failed.connect(lambda e: seen.append(f"failed:{e.exit_code.name}"))
    controller.cancelled.connect(lambda: seen.append("cancelled"))
    controller.finished.connect(lambda: seen.append("finished"))
    controller.event_batch.connect(lambda batch: seen.append(f"batch:{len(batch)}"))
    job = SendJob(home, ServerSettings("127.0.0.1", 25, Security.NONE), None, None)
    with qtbot.wait_signal(controller.finished, timeout=SEND_TIMEOUT_MS):
        controller.start(job, CancelToken())
        assert live_threads()
    assert not live_threads() and not controller.is_running()
    return seen


def test_unexpected_exception_becomes_failed(qtbot, home: Home) -> None:
    def runner(job, on_event, on_progress, cancel):
        raise RuntimeError("boom")

    assert run_stub(qtbot, runner, home=home) == ["failed:CONNECTION", "finished"]


def test_cancelled_error_becomes_cancelled(qtbot, home: Home) -> None:
    def runner(job, on_event, on_progress, cancel):
        raise SendError(Stage.UPLOAD, ExitCode.CANCELLED, "cancelled")

    assert run_stub(qtbot, runner, home=home) == ["cancelled", "finished"]


def test_events_are_batched_and_all_delivered(qtbot, home: Home) -> None:
    def runner(job, on_event, on_progress, cancel):
        for i in range(5000):
            on_event(TranscriptEvent(time.monotonic(), Direction.NOTE, f"line {i}"))
        return "result"

    seen = run_stub(qtbot, runner, home=home)
    batches = [int(s.split(":")[1]) for s in seen if s.startswith("batch:")]
    assert sum(batches) == 5000
    assert len(batches) <= 5  # a few timer ticks, never one signal per line
    assert seen[-2:] == ["succeeded", "finished"]


def test_shutdown_cancels_and_joins(qtbot, home: Home) -> None:
    from mailcomposer.smtp.session import CancelToken

    def runner(job, on_event, on_progress, cancel):
        cancel.wait(10)
        raise SendError(Stage.CONNECT, ExitCode.CANCELLED, "cancelled")

    controller = SendController(runner=runner)
    seen: list[str] = []
    controller.cancelled.connect(lambda: seen.append("cancelled"))
    controller.finished.connect(lambda: seen.append("finished"))
    controller.start(SendJob(home, ServerSettings("127.0.0.1"), None, None), CancelToken())
    assert controller.is_running()
    assert controller.shutdown(5000)
    assert seen == ["cancelled", "finished"]
    assert not live_threads()


# --------------------------------------------------------------------------- accounts & trust


def add_account(window, port: int, *, security: Security, username: str = "") -> None:
    store = AccountStore(window.home)
    store.save(
        Account(
            name="Work",
            server=ServerSettings("127.0.0.1", port, security, username=username, timeouts=QUICK),
            identities=[Identity("Ann Sender", "ann@example.org")],
        )
    )
    window.header.reload_accounts()
    assert window.select_identity("ann@example.org")


def answer_password(window, password: str) -> list[str]:
    """Answer the window's password question with ``password``; the accounts asked for."""
    from mailcomposer.smtp.settings import Secret

    asked: list[str] = []

    def ask(account):
        asked.append(account.name)
        return Secret(password)

    window.ask_password = ask
    return asked


def test_password_is_asked_once_per_session(qtbot, window, tmp_path, auth_server) -> None:
    from tests.smtp_fixtures import AUTH_PASSWORD, AUTH_USER

    add_account(window, auth_server.port, security=Security.NONE, username=AUTH_USER)
    asked = answer_password(window, AUTH_PASSWORD)
    fill(window, tmp_path)
    send_and_wait(qtbot, window)
    assert window.last_error is None, window.last_error and window.last_error.user_message
    send_and_wait(qtbot, window)
    assert window.last_error is None
    assert asked == ["Work"]
    assert len(auth_server.received) == 2
    assert AUTH_PASSWORD not in window.log_dock.transcript_text()


def test_cancelling_the_password_question_sends_nothing(qtbot, window, tmp_path, auth_server):
    add_account(window, auth_server.port, security=Security.NONE, username="ann")
    window.ask_password = lambda account: None
    fill(window, tmp_path)
    assert not window.send()
    assert not window.controller.is_running()
    assert auth_server.received == []


def test_untrusted_certificate_offers_to_trust_it(qtbot, window, tmp_path, starttls_server):
    from mailcomposer.smtp.settings import Secret
    from tests.smtp_fixtures import AUTH_PASSWORD, AUTH_USER

    # No cafile: the test CA is unknown to the client, so verification fails.
    add_account(window, starttls_server.port, security=Security.STARTTLS, username=AUTH_USER)
    window.ask_password = lambda account: Secret(AUTH_PASSWORD)
    fill(window, tmp_path)
    send_and_wait(qtbot, window)
    assert window.last_error is not None and window.last_error.exit_code == ExitCode.TLS
    from PySide6.QtWidgets import QDialog

    dialog = window.findChild(QDialog, "certificateDialog")
    assert dialog is not None and dialog.isVisible()
    assert starttls_server.received == []
    dialog.trust_button.click()
    assert "trusted" in window.banner.text().lower()
    send_and_wait(qtbot, window)
    assert window.last_error is None, window.last_error.user_message
    assert len(starttls_server.received) == 1


def test_server_size_limit_is_remembered_and_warns(qtbot, window, tmp_path) -> None:
    with SmtpTestServer(data_size_limit=200_000) as server:
        use_server(window, server.port)
        fill(window, tmp_path)
        send_and_wait(qtbot, window)
    assert window.ui_settings.server_size_limit("Test server") == 200_000
    assert window.attachments.size_limit == 200_000
    big = tmp_path / "big.bin"
    big.write_bytes(b"\0" * 180_000)
    window.attachments.model.add_files([big])
    assert window.attachments.warning.isVisible()


def test_unknown_outcome_keeps_the_message_id_for_a_resend(qtbot, window, tmp_path) -> None:
    from tests.servers import Close, accepting_dialogue

    with ScriptedServer(accepting_dialogue(after_dot=[Close()])) as server:
        use_server(window, server.port)
        fill(window, tmp_path)
        window.bcc_field.clear()  # the script expects one RCPT
        send_and_wait(qtbot, window)
    assert window.last_error.exit_code == ExitCode.UNKNOWN
    box = find_box("sendFailedDialog")
    assert "may have been delivered" in box.informativeText()
    first_id = window.current_draft().message_id
    assert first_id and first_id in server.data[0].decode()
    with SmtpTestServer() as second:
        use_server(window, second.port)
        send_and_wait(qtbot, window)
    assert window.last_result.message_id == first_id


def test_the_leak_guard_fails_a_test_that_leaves_a_send_thread(qtbot, home: Home) -> None:
    from mailcomposer.smtp.session import CancelToken
    from tests.gui.conftest import send_thread_guard

    def runner(job, on_event, on_progress, cancel):
        cancel.wait(0.3)
        return "done"

    controller = SendController(runner=runner)
    with pytest.raises(AssertionError, match="send threads left running"), send_thread_guard():
        # A "test" that ends with the thread still registered.
        controller.start(SendJob(home, ServerSettings("127.0.0.1"), None, None), CancelToken())
    with qtbot.wait_signal(controller.finished, timeout=SEND_TIMEOUT_MS):
        pass
    assert not live_threads()


def test_failure_banner_links_to_the_protocol_log(qtbot, window, tmp_path: Path) -> None:
    with SmtpTestServer() as server:
        use_server(window, server.port, security=Security.STARTTLS)
        fill(window, tmp_path)
        send_and_wait(qtbot, window)
    assert 'href="log"' in window.banner.text()
    window.log_dock.hide()
    window.banner.label.linkActivated.emit("log")
    assert window.log_dock.isVisible()
    assert "STARTTLS" in window.log_dock.transcript_text()


def test_a_refused_stored_password_is_asked_again_not_reused(
    qtbot, window, tmp_path, auth_server
) -> None:
    # The keyring's password was refused (535): every later send read it again and
    # failed the same way, and nothing asked for a new one.
    from mailcomposer.smtp.settings import Secret
    from tests.smtp_fixtures import AUTH_PASSWORD, AUTH_USER

    add_account(window, auth_server.port, security=Security.NONE, username=AUTH_USER)
    window.send_flow.credentials().set("Work", Secret("wrong"), AUTH_USER)
    asked = answer_password(window, AUTH_PASSWORD)
    fill(window, tmp_path)
    send_and_wait(qtbot, window)
    assert window.last_error is not None and window.last_error.exit_code == ExitCode.AUTH
    assert asked == []  # the stored one was tried first
    send_and_wait(qtbot, window)
    assert window.last_error is None, window.last_error and window.last_error.user_message
    assert asked == ["Work"]
    assert len(auth_server.received) == 1
