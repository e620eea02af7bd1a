"""PDFs from our HTML that fetch nothing but the package's own assets and data: URLs.

WeasyPrint's default fetcher follows any URL a document names, http:// and file:// alike, so
a site's label naming an address would make the backend fetch it from its own network. This
module loads WeasyPrint (and Pango): import it only when a PDF is asked for.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

LOG = logging.getLogger("handoff.documents")
PACKAGE = Path(__file__).resolve().parent.parent
ASSET_SUFFIXES = {".css", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".woff", ".woff2", ".ttf",
                  ".otf"}


def package_asset(url: str) -> Path | None:
    """The file a file:// URL names if it is one of the package's own assets, else None."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(url2pathname(parts.path)).resolve()
    if path.is_relative_to(PACKAGE) and path.suffix.lower() in ASSET_SUFFIXES and \
            path.is_file():
        return path
    return None


class PackageAssetFetcher(URLFetcher):
    """Serves data: URLs and the package's assets; refuses (and logs) every other URL."""

    def fetch(self, url, headers=None):
        if urlsplit(url).scheme.lower() == "data":
            return super().fetch(url, headers)  # decoded in memory: nothing is fetched
        path = package_asset(url)
        if path is None:
            LOG.warning("Refused to fetch %s while building a PDF: documents use only the "
                        "package's own assets.", url)
            raise ValueError(f"refused to fetch {url}")  # WeasyPrint skips the resource
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(),
                                  {"Content-Type": media_type})


def render_pdf(html: str) -> bytes:
    """The PDF of a complete HTML document."""
    return HTML(string=html, url_fetcher=PackageAssetFetcher()).write_pdf()
