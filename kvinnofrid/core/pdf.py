"""The deny-by-default URL fetcher every WeasyPrint HTML/CSS object must be given.

WeasyPrint's default fetcher reads any ``file://`` URL (and embeds ``<link rel=attachment>``
targets into the PDF) and opens HTTP connections anywhere. Reports contain user text, so the
renderer may only read ``data:`` URIs and regular files inside ``settings.REPORT_ASSET_DIR``.
"""

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

CONTENT_TYPES = {
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
}


class BlockedURLError(ValueError):
    """A URL the report renderer refuses to fetch."""


class SafeURLFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type information
    """Allow only ``data:`` URIs and files inside one asset directory; refuse everything else.

    No network access at all: ``http``/``https``/``ftp`` and every other scheme raise before any
    socket is opened. ``file`` URLs are resolved (symlinks and ``..`` included) and must point at
    a regular file inside ``allowed_root``.
    """

    def __init__(self, allowed_root: Path | str | None = None, **kwargs: object) -> None:
        super().__init__(
            allowed_protocols={"data", "file"},
            allow_redirects=False,
            timeout=2,
            **kwargs,
        )
        root = allowed_root if allowed_root is not None else settings.REPORT_ASSET_DIR
        self.allowed_root = Path(root).resolve()

    def resolve_file(self, url: str) -> Path:
        """The asset file ``url`` points at; raises ``BlockedURLError`` if it is not allowed."""
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise BlockedURLError(f"blocked URL (remote file host): {url[:80]}")
        path = Path(url2pathname(unquote(parts.path))).resolve()
        if not path.is_relative_to(self.allowed_root) or not path.is_file():
            raise BlockedURLError(f"blocked URL (outside the report assets): {url[:80]}")
        return path

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].strip().lower() if ":" in url else ""
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = self.resolve_file(url)
            content_type = CONTENT_TYPES.get(path.suffix.lower()) or (
                mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            )
            return URLFetcherResponse(
                path.as_uri(), path.read_bytes(), {"Content-Type": content_type}
            )
        logger.info("PDF renderer refused URL %s", url[:80])
        raise BlockedURLError(f"blocked URL: {url[:80]}")


def asset_base_url() -> str:
    """The ``base_url`` for report HTML: relative URLs resolve inside the asset folder."""
    return Path(settings.REPORT_ASSET_DIR).resolve().as_uri() + "/"
