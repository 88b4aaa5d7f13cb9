"""Load an HTML file as a message body, embedding the local images it refers to."""

from __future__ import annotations

import html as htmllib
import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from mailcomposer.i18n import _
from mailcomposer.message.draft import InlineImage
from mailcomposer.message.errors import InputError
from mailcomposer.message.filetypes import guess_type
from mailcomposer.message.mime import image_sources

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
_REMOTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def _decode_html(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    match = _META_CHARSET.search(raw[:4096])
    if match:
        try:
            return raw.decode(match.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    return raw.decode("latin-1")


def _local_path(src: str, base: Path) -> Path | None:
    """Return the local file an ``src`` points to, or None for remote/inline sources."""
    value = htmllib.unescape(src).strip()
    if not value:
        return None
    if value.lower().startswith("file:"):
        parts = urlsplit(value)
        return Path(url2pathname(parts.path))
    if _REMOTE.match(value) and not re.match(r"^[A-Za-z]:[\\/]", value):
        return None  # http:, https:, data:, cid: ... are left alone
    if value.startswith("//"):
        return None  # protocol-relative: remote
    plain = value.split("#", 1)[0].split("?", 1)[0]
    candidate = Path(plain)
    if not candidate.is_absolute():
        candidate = base / candidate
    if not candidate.exists() and "%" in plain:
        decoded = Path(unquote(plain))
        candidate = decoded if decoded.is_absolute() else base / decoded
    return candidate


def load_html_file(path: str | os.PathLike[str]) -> tuple[str, list[InlineImage]]:
    """Read an HTML file and the local images it uses.

    Images given as a relative path (relative to the file) or a ``file:`` URL become
    InlineImages named by their ``src`` exactly as written; remote images stay links.

    Raises:
        InputError: when the file or one of its local images cannot be read.
    """
    html_path = Path(path)
    try:
        raw = html_path.read_bytes()
    except OSError as exc:
        raise InputError(
            "html",
            _("Cannot read “{name}”: {reason}").format(name=str(html_path), reason=exc.strerror),
            str(html_path),
        ) from None
    html = _decode_html(raw)
    images: list[InlineImage] = []
    seen: set[str] = set()
    for src in image_sources(html):
        if src in seen:
            continue
        seen.add(src)
        local = _local_path(src, html_path.parent)
        if local is None:
            continue
        try:
            data = local.read_bytes()
        except OSError as exc:
            raise InputError(
                "html",
                _("The image “{src}” used by {name} cannot be read: {reason}").format(
                    src=src, name=html_path.name, reason=exc.strerror or exc
                ),
                str(local),
            ) from None
        images.append(
            InlineImage(
                name=src,
                data=data,
                content_type=guess_type(local.name, data[:512]),
                filename=local.name,
            )
        )
    return html, images
