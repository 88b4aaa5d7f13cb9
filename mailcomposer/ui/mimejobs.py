"""The MIME view's jobs for its worker threads: describe a message, lint it, decode a picture.

Each is a ``Loader`` job, ``job(cancelled) -> result``: it returns None once
``cancelled()`` is true. Only the picture needs Qt (a ``QImage``, which unlike a
``QPixmap`` may be made off the GUI thread); the rest is ``message.structure``.
"""

from __future__ import annotations

from collections.abc import Callable
from email.message import Message
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QImage, QImageReader

from mailcomposer.message import decoding, structure
from mailcomposer.message.structure import Checked, Structure

__all__ = [
    "IMAGE_ALLOCATION_MIB",
    "IMAGE_WIDTH",
    "check_job",
    "describe_built_job",
    "describe_file_job",
    "describe_job",
    "image_job",
]

# A picture may claim any size in its header: at most this many MiB of pixels are
# allocated to decode one (the reader refuses a bigger one; it is then "binary").
IMAGE_ALLOCATION_MIB = 256
IMAGE_WIDTH = 600  # wider pictures are scaled down to this width

Cancelled = Callable[[], bool]


def describe_file_job(path: Path, lint_limit: int, cancelled: Cancelled) -> Structure | None:
    """Read and describe the message at ``path`` (``structure.describe_file``)."""
    return structure.describe_file(path, lint_limit=lint_limit, cancelled=cancelled)


def describe_job(raw: bytes, lint_limit: int, cancelled: Cancelled) -> Structure | None:
    """Describe the message ``raw`` (``structure.describe``)."""
    return structure.describe(raw, lint_limit=lint_limit, cancelled=cancelled)


def describe_built_job(built, lint_limit: int, cancelled: Cancelled) -> Structure | None:
    """Build the wire form of ``built`` (a ``BuiltMessage``: no Bcc) and describe it."""
    from mailcomposer.message.preview import wire_bytes

    raw = wire_bytes(built)  # a 25 MiB attachment: base64 and serialising, off the GUI thread
    if cancelled():
        return None
    return structure.describe(raw, lint_limit=lint_limit, cancelled=cancelled)


def check_job(raw: bytes, cancelled: Cancelled) -> Checked | None:
    """Lint the message ``raw`` ("Check the message": seconds for 25 MiB)."""
    return structure.check(raw, cancelled)


def image_job(part: Message, cancelled: Cancelled) -> QImage | None:
    """The picture of an image part, at most ``IMAGE_WIDTH`` wide; a null image if unreadable."""
    data = decoding.payload_bytes(part)  # in pieces: the window keeps ticking
    if cancelled():
        return None
    if not isinstance(data, bytes):
        return QImage()
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAllocationLimit(IMAGE_ALLOCATION_MIB)
    image = reader.read()
    if cancelled():
        return None
    if image.width() > IMAGE_WIDTH:
        image = image.scaledToWidth(IMAGE_WIDTH, Qt.TransformationMode.SmoothTransformation)
    return image
