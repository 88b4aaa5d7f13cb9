"""Smoke test of the frozen build (``.ci/frozen``): the shipped folder, not the source tree.

Runs ``mailcomposer-cli`` and ``mailcomposer`` from ``dist/mailcomposer`` with a
fresh home: the version, the self-test (resources, every module, TLS roots; a
headless Linux machine has no keyring service, so that check is only printed),
a send with an attachment through the built-in local server, the Chinese catalogs
(ours and Qt's),
and the window staying up for a few seconds (its preloader runs after the first
paint) with no traceback. Exit status 0 when all hold.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path


def main() -> int:
    dist = Path(sys.argv[1])
    cli = dist / "mailcomposer-cli"
    gui = dist / "mailcomposer"
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="mc-frozen-") as tmp:
        env = {**os.environ, "MAILCOMPOSER_HOME": str(Path(tmp) / "home"),
               "QT_QPA_PLATFORM": "offscreen", "MAILCOMPOSER_LANG": "en"}  # fmt: skip

        def run(*args: str, lang: str = "en", timeout: float = 60) -> subprocess.CompletedProcess:
            return subprocess.run([str(cli), *args], env={**env, "MAILCOMPOSER_LANG": lang},
                                  capture_output=True, text=True, timeout=timeout)  # fmt: skip

        version = run("--version")
        print(version.stdout.strip())
        if version.returncode != 0 or "mailcomposer" not in version.stdout:
            problems.append(f"--version: {version.returncode} {version.stderr[-500:]}")
        report = json.loads(run("selftest", "--json").stdout)
        print(json.dumps(report, indent=1))
        if not report["frozen"]:
            problems.append("selftest does not see a frozen build")
        for check in report["checks"]:
            if check["name"] != "keyring" and not check["ok"]:
                problems.append(f"selftest {check['name']}: {check['detail']}")
        attachment = Path(tmp) / "notes.txt"
        attachment.write_text("frozen build\n", encoding="utf-8")
        sent = run("send", "--to", "bob@example.org", "--subject", "Frozen ✓",
                   "--text", "你好", "--attach", str(attachment))  # fmt: skip
        print(sent.stdout[-600:])
        if sent.returncode != 0 or "Sent to 1 recipient" not in sent.stdout:
            problems.append(f"send: exit {sent.returncode} {sent.stderr[-800:]}")
        # Qt's own words (dialog buttons) in Chinese come from its catalog, not ours.
        if not any(dist.rglob("qtbase_zh_CN.qm")):
            problems.append("Qt's Chinese catalog (qtbase_zh_CN.qm) is not in the build")
        chinese = run("inspect", os.devnull, lang="zh_CN")
        if chinese.returncode == 0 or "文件是空的" not in chinese.stderr:
            problems.append(f"zh_CN inspect: {chinese.returncode} {chinese.stderr[-300:]}")
        try:  # the window must still be running after 8 s: it came up and stayed up
            window = subprocess.run([str(gui)], env=env, capture_output=True, text=True,
                                    timeout=8)  # fmt: skip
            problems.append(f"the window ended: exit {window.returncode} {window.stderr[-1500:]}")
        except subprocess.TimeoutExpired as running:
            stderr = (running.stderr or b"").decode("utf-8", "replace")
            if "Traceback" in stderr:
                problems.append(f"the window printed a traceback: {stderr[-1500:]}")
    for problem in problems:
        print(f"FROZEN BUILD: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
