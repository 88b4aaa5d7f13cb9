"""Shared measuring helpers for the benchmarks: child wall time and peak RSS, tables, a sink.

Every measured tool runs in a fresh child process; its peak resident memory comes
from the kernel's ``ru_maxrss`` for exactly that child and the children it waited
for, or from polling ``/proc/<pid>/status`` where ``wait4`` is missing.

Linux keeps a process's ``maxrss`` across ``exec``, and a child that Python
spawns starts from the memory of the Python that spawned it (``vfork``): read
through ``os.wait4`` directly, every tool would seem to use at least as much as
the benchmark itself (about 18 MiB). So where GNU time is installed
(``/usr/bin/time``, Debian package ``time``), the tool runs under it: time is a
small C program that forks a fresh child and reports that child's own peak.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024


@dataclass(frozen=True)
class Measurement:
    """One run of one command.

    Attributes:
        wall: seconds from start to exit.
        peak_rss: peak resident set size in bytes (0 if unknown).
        cpu: user + system CPU seconds of the child and what it waited for (0 if unknown).
        returncode: the exit status.
        stdout, stderr: what it printed (decoded, replacement for bad bytes).
    """

    wall: float
    peak_rss: int
    returncode: int
    stdout: str
    stderr: str
    cpu: float = 0.0

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def _maxrss_bytes(ru_maxrss: int) -> int:
    # Linux reports KiB, macOS bytes.
    return ru_maxrss if sys.platform == "darwin" else ru_maxrss * 1024


def _poll_peak_rss(pid: int, stop: threading.Event, peak: list[int]) -> None:
    status = Path(f"/proc/{pid}/status")
    while not stop.is_set():
        try:
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak[0] = max(peak[0], int(line.split()[1]) * 1024)
        except (OSError, ValueError):
            return
        stop.wait(0.01)


def _gnu_time() -> str | None:
    """The GNU time binary, when there is one (not the shell keyword)."""
    path = Path("/usr/bin/time")
    if sys.platform.startswith("linux") and path.is_file() and os.access(path, os.X_OK):
        return str(path)
    return None


def _read_gnu_time(path: Path) -> int:
    """The peak RSS in bytes that GNU time wrote (its last line, in KiB), 0 if none."""
    try:
        lines = path.read_text(errors="replace").split()
        return int(lines[-1]) * 1024 if lines else 0
    except (OSError, ValueError):
        return 0


def measure(
    argv: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 600.0,
    stdin: Path | None = None,
) -> Measurement:
    """Run ``argv`` in a fresh process and return its wall time and peak memory.

    Output goes to temporary files (not pipes), so a chatty tool cannot block on a
    full pipe and distort the time. ``stdin`` is a file to read from (default: none).
    """
    gnu_time = _gnu_time()
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile(prefix="bench-rss-", delete=False) as rss_file,
        open(stdin or os.devnull, "rb") as inp,
    ):
        rss_path = Path(rss_file.name)
        command = list(argv)
        if gnu_time:
            command = [gnu_time, "-f", "%M", "-o", str(rss_path), *command]
        start = time.perf_counter()
        proc = subprocess.Popen(
            command,
            stdout=out,
            stderr=err,
            stdin=inp,
            env=dict(env) if env is not None else None,
            cwd=cwd,
        )
        peak = [0]
        cpu = 0.0
        if hasattr(os, "wait4"):
            deadline_timer = threading.Timer(timeout, proc.kill)
            deadline_timer.start()
            try:
                _pid, status, usage = os.wait4(proc.pid, 0)
            finally:
                deadline_timer.cancel()
            wall = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
            peak[0] = _maxrss_bytes(usage.ru_maxrss)
            cpu = usage.ru_utime + usage.ru_stime
        else:
            stop = threading.Event()
            poller = threading.Thread(target=_poll_peak_rss, args=(proc.pid, stop, peak))
            poller.start()
            try:
                proc.wait(timeout)
            finally:
                wall = time.perf_counter() - start
                stop.set()
                poller.join()
        if gnu_time:
            peak[0] = _read_gnu_time(rss_path) or peak[0]
        rss_path.unlink(missing_ok=True)
        out.seek(0)
        err.seek(0)
        return Measurement(
            wall=wall,
            peak_rss=peak[0],
            returncode=proc.returncode if proc.returncode is not None else -1,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
            cpu=cpu,
        )


def best_of(argv: Sequence[str], repeat: int, **kwargs: object) -> Measurement:
    """Run ``argv`` ``repeat`` times; return the best wall time and the best peak RSS.

    A failed run is returned at once (there is nothing to compare).
    """
    runs = []
    for _ in range(max(1, repeat)):
        run = measure(argv, **kwargs)  # type: ignore[arg-type]
        if not run.ok:
            return run
        runs.append(run)
    return Measurement(
        wall=min(r.wall for r in runs),
        peak_rss=min(r.peak_rss for r in runs),
        returncode=0,
        stdout=runs[-1].stdout,
        stderr=runs[-1].stderr,
    )


def fresh_env(**extra: str) -> dict[str, str]:
    """The current environment plus ``extra``, with the source tree importable."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    env.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    env.update(extra)
    return env


def write_random_file(path: Path, size: int, block: int = MIB) -> Path:
    """Write ``size`` random bytes to ``path`` in blocks (incompressible, like a photo)."""
    with open(path, "wb") as fh:
        left = size
        while left > 0:
            piece = os.urandom(min(block, left))
            fh.write(piece)
            left -= len(piece)
    return path


def format_bytes(value: int) -> str:
    return f"{value / MIB:,.1f} MiB" if value else "n/a"


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Print a plain-text table with left-aligned first column and right-aligned others."""
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        first, *rest = cells
        parts = [first.ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(rest, widths[1:], strict=True)
        ]
        return "  ".join(parts)

    print(line(headers))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(line(row))


_SINK_SCRIPT = textwrap.dedent(
    """
    import socket, sys
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import SMTP

    SIZES, MODE = sys.argv[1], sys.argv[2]
    END = b"\\r\\n.\\r\\n"

    def record(size):
        with open(SIZES, "a") as fh:
            fh.write(f"{size}\\n")

    class Discard:
        async def handle_DATA(self, server, session, envelope):
            record(len(envelope.original_content or b""))
            return "250 2.0.0 OK: discarded"

    class BulkDataSMTP(SMTP):
        # Stock aiosmtpd reads DATA one line at a time in Python (about 10 MB/s),
        # which would make the sink, not the client, the thing measured. This
        # reads in large blocks, looks for the final dot and discards the rest.
        async def smtp_DATA(self, arg):
            if await self.check_helo_needed() or await self.check_auth_needed("DATA"):
                return
            if not self.envelope.rcpt_tos:
                await self.push("503 Error: need RCPT command")
                return
            await self.push("354 End data with <CR><LF>.<CR><LF>")
            tail, size = b"\\r\\n", 0
            while True:
                chunk = await self._reader.read(1 << 20)
                if not chunk:
                    return
                window = tail + chunk
                found = window.find(END)
                if found >= 0:
                    size += found + 2 - len(tail)
                    break
                size += len(chunk)
                tail = window[-4:]
            record(size)
            self._set_post_data_state()
            await self.push("250 2.0.0 OK: discarded")

    class SinkController(Controller):
        def factory(self):
            cls = BulkDataSMTP if MODE == "bulk" else SMTP
            return cls(self.handler, **self.SMTP_kwargs)

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = SinkController(
        Discard(), hostname="127.0.0.1", port=port,
        data_size_limit=None, server_hostname="sink.localhost", enable_SMTPUTF8=True,
    )
    controller.start()
    print(port, flush=True)
    try:
        sys.stdin.read()  # until the parent closes our stdin
    finally:
        controller.stop()
    """
)


class SinkServer:
    """A local SMTP sink in a separate process: aiosmtpd, no size limit, discards mail.

    Running it in its own process keeps its CPU and memory out of the measured
    tool's numbers. By default DATA is read in large blocks (stock aiosmtpd's
    line-by-line reading is slower than any client); ``stock=True`` uses aiosmtpd
    unchanged. Use as a context manager.

    Attributes:
        stock: whether the unmodified aiosmtpd DATA handling is used.
        port: where it listens on 127.0.0.1.
        sizes_file: one line per received message with its size in bytes.
    """

    def __init__(self, workdir: Path, *, stock: bool = False) -> None:
        self.stock = stock
        self.sizes_file = workdir / "sink-sizes.txt"
        self.sizes_file.write_text("")
        self.port = 0
        self._proc: subprocess.Popen[str] | None = None

    def __enter__(self) -> SinkServer:
        mode = "stock" if self.stock else "bulk"
        self._proc = subprocess.Popen(
            [sys.executable, "-c", _SINK_SCRIPT, str(self.sizes_file), mode],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=fresh_env(),
        )
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if not line.strip().isdigit():
            self.__exit__()
            raise RuntimeError("the sink server did not start")
        self.port = int(line)
        return self

    def __exit__(self, *exc: object) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            assert proc.stdin is not None
            proc.stdin.close()
            proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()

    def sizes(self) -> list[int]:
        """Sizes of the messages received so far."""
        return [int(x) for x in self.sizes_file.read_text().split()]


class PostfixSink:
    """Postfix's ``smtp-sink`` (a C test server that reads and discards mail) on 127.0.0.1.

    It keeps no record of sizes: ``sizes()`` is empty and callers rely on the
    client's exit status. Use as a context manager; ``available()`` says whether
    it is installed (Debian: ``apt-get install postfix``).

    Attributes:
        port: where it listens.
    """

    stock = False

    @staticmethod
    def path() -> str | None:
        """Where ``smtp-sink`` is (it lives in /usr/sbin, often not on a user's PATH)."""
        import shutil

        return shutil.which("smtp-sink") or shutil.which("smtp-sink", path="/usr/sbin:/usr/bin")

    @classmethod
    def available(cls) -> bool:
        return cls.path() is not None

    def __init__(self, workdir: Path) -> None:
        self.port = 0
        self._log = workdir / "smtp-sink.log"
        self._proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> PostfixSink:
        import socket

        binary = self.path()
        if binary is None:
            raise RuntimeError("smtp-sink is not installed")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        argv = [binary, "-h", "sink.localhost"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            argv += ["-u", "nobody"]  # it refuses to run as root without a user to become
        argv += [f"127.0.0.1:{self.port}", "64"]
        with open(self._log, "wb") as log:
            self._proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                break
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.05)
        self.__exit__()
        raise RuntimeError(f"smtp-sink did not start: {self._log.read_text(errors='replace')}")

    def __exit__(self, *exc: object) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def sizes(self) -> list[int]:
        """Always empty: smtp-sink does not tell."""
        return []
