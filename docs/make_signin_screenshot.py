"""Make docs/account-signin-zh.png: the account dialog signing in to Outlook by device code.

Run headless from the checkout's root (``fonts-noto-cjk`` makes the Chinese readable):

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_signin_screenshot.py [--lang en] [OUT]

The provider is the Outlook preset; its endpoints point at the tests' local OAuth2
server (``tests/oauth_server.py``), which answers "authorization pending" until the
shot is taken, so the dialog shows the address and the code to type. It opens the
dialog from the composer's *Tools → Accounts…*, on a throwaway home folder with an
in-memory keyring.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from shotwindow import ROOT, screenshot_window, shot_arguments

OUT = Path(__file__).resolve().parent / "account-signin-zh.png"
USER = "ann@outlook.com"


def main(argv: list[str] | None = None) -> int:
    args = shot_arguments(__doc__, OUT, 900, 900, ["--lang", "zh_CN", *(argv or sys.argv[1:])])
    os.environ["PYTHON_KEYRING_BACKEND"] = "tests.memory_keyring.MemoryKeyring"
    sys.path.insert(0, str(ROOT))  # for tests.*, before the keyring is first asked
    _work, window, app = screenshot_window(args.lang, "mc-signin-")
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QAction

    from mailcomposer.ui.accountdialog import AccountDialog
    from tests.oauth_server import CLIENT_ID, OAuthTestServer

    with OAuthTestServer(user=USER) as server:
        server.device_interval = 1
        server.device_script = ["authorization_pending"] * 1000
        window.findChild(QAction, "accountsAction").trigger()  # the dialog as the app makes it
        [dialog] = [w for w in app.topLevelWidgets() if isinstance(w, AccountDialog)]
        dialog.resize(args.width, args.height)
        dialog.new_account()
        dialog.name_edit.setText(USER)
        dialog.address_edit.setText(USER)
        dialog.identities_editor.set_first(address=USER)
        dialog.preset_combo.setCurrentIndex(dialog.preset_combo.findData("outlook"))
        dialog.user_edit.setText(USER)
        panel = dialog.oauth_panel
        panel.use_box.setChecked(True)
        panel.client_id_edit.setText(CLIENT_ID)
        panel.device_box.setChecked(True)
        # The preset's endpoints, hidden in the form, lead to the local server instead.
        panel.authorize_edit.setText(server.authorize_url)
        panel.token_edit.setText(server.token_url)
        panel.device_url_edit.setText(server.device_url)

        def shoot() -> None:
            app.processEvents()
            dialog.grab().save(args.out)
            print(f"wrote {args.out}")
            panel.cancel_button.click()
            QTimer.singleShot(500, app.quit)

        dialog.sign_in_runner.device_code_shown.connect(lambda *_: QTimer.singleShot(300, shoot))
        if not dialog.start_sign_in():
            print("the sign-in did not start", file=sys.stderr)
            return 1
        QTimer.singleShot(30_000, app.quit)
        app.exec()
        dialog.stop_test_and_wait()
    window.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
