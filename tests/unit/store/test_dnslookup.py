"""The minimal UDP resolver against a scripted name server on 127.0.0.1."""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Iterator

import pytest

from mailcomposer.store.dnslookup import DnsError, Mx, Srv, UdpResolver, by_priority


def _answer(query: bytes, rcode: int = 0) -> bytes:
    ident = query[:2]
    question = query[12:]
    rtype = struct.unpack("!H", question[-4:-2])[0]
    header = ident + struct.pack("!HHHHH", 0x8180 | rcode, 1, 0 if rcode else 2, 0, 0)
    pointer = b"\xc0\x0c"  # the name in the question: exercises compression
    records = b""
    if not rcode and rtype == 33:
        for prio, port, host in ((20, 587, b"backup"), (10, 465, b"mail")):
            rdata = struct.pack("!HHH", prio, 5, port) + bytes([len(host)]) + host + b"\xc0\x0c"
            records += pointer + struct.pack("!HHIH", 33, 1, 60, len(rdata)) + rdata
    elif not rcode:
        for pref, host in ((10, b"mx1"), (20, b"mx2")):
            rdata = struct.pack("!H", pref) + bytes([len(host)]) + host + b"\xc0\x0c"
            records += pointer + struct.pack("!HHIH", 15, 1, 60, len(rdata)) + rdata
    return header + question + records


@pytest.fixture
def nameserver() -> Iterator[tuple[int, list[int]]]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(0.05)  # close() does not wake a blocked recvfrom: poll a flag
    rcodes: list[int] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                query, peer = sock.recvfrom(512)
            except TimeoutError:
                continue
            sock.sendto(_answer(query, rcodes.pop(0) if rcodes else 0), peer)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield sock.getsockname()[1], rcodes
    stop.set()
    thread.join()
    sock.close()


def test_srv_and_mx_with_compressed_names(nameserver) -> None:
    port, _rcodes = nameserver
    resolver = UdpResolver("127.0.0.1", timeout=5, port=port)
    records = resolver.srv("_submission._tcp.example.test")
    assert by_priority(records)[0] == Srv(10, 5, 465, "mail._submission._tcp.example.test")
    assert resolver.mx("example.test") == [Mx(10, "mx1.example.test"), Mx(20, "mx2.example.test")]


def test_nxdomain_is_empty_and_servfail_an_error(nameserver) -> None:
    port, rcodes = nameserver
    resolver = UdpResolver("127.0.0.1", timeout=5, port=port)
    rcodes.append(3)
    assert resolver.mx("nowhere.test") == []
    rcodes.append(2)
    with pytest.raises(DnsError):
        resolver.mx("broken.test")


def test_srv_dot_target_means_no_service() -> None:
    assert by_priority([Srv(0, 0, 0, "."), Srv(0, 0, 0, "")]) == []
