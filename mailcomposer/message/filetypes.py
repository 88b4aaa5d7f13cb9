"""Guess a MIME type from a file's first bytes and its name."""

from __future__ import annotations

import mimetypes

# Office Open XML and OpenDocument files are zip archives: the name tells them apart.
_ZIP_BY_EXTENSION = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".epub": "application/epub+zip",
    ".jar": "application/java-archive",
    ".apk": "application/vnd.android.package-archive",
}

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"\x1f\x8b", "application/gzip"),
    (b"BM", "image/bmp"),
    (b"ID3", "audio/mpeg"),
    (b"OggS", "audio/ogg"),
    (b"fLaC", "audio/flac"),
    (b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (b"Rar!\x1a\x07", "application/vnd.rar"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"),
)


def _sniff(head: bytes) -> str | None:
    for magic, mime in _MAGIC:
        if head.startswith(magic):
            return mime
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "audio/wav"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"M4A ", b"M4B "):
            return "audio/mp4"
        if brand in (b"qt  ",):
            return "video/quicktime"
        if brand[:3] in (b"hei", b"mif"):
            return "image/heic"
        return "video/mp4"
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and head[1] & 0x06:
        return "audio/mpeg"  # an MPEG audio frame sync without an ID3 tag
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "image/tiff"
    return None


def guess_type(filename: str, head: bytes = b"") -> str:
    """Return the MIME type for a file, trusting its content first and its name second.

    Args:
        filename: the file name (only its extension is used).
        head: the first bytes of the content (a few hundred are plenty); may be empty.

    Returns:
        A ``type/subtype`` string; ``application/octet-stream`` when nothing is known.
    """
    lower = filename.lower()
    ext = lower[lower.rfind(".") :] if "." in lower else ""
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _ZIP_BY_EXTENSION.get(ext, "application/zip")
    if head.startswith(b"\xd0\xcf\x11\xe0") and ext in (".doc", ".xls", ".ppt", ".msg"):
        return mimetypes.guess_type("x" + ext, strict=False)[0] or "application/x-ole-storage"
    sniffed = _sniff(head)
    if sniffed:
        return sniffed
    if ext in _ZIP_BY_EXTENSION:
        return _ZIP_BY_EXTENSION[ext]
    guessed, encoding = mimetypes.guess_type(lower or "x", strict=False)
    if encoding == "gzip":
        return "application/gzip"
    if encoding:
        return "application/octet-stream"
    return guessed or "application/octet-stream"
