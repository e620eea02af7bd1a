"""Handbooks of sites: build (Markdown, HTML, PDF), publish to wp-admin, status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from handoff.core.intake import Intakes, get_path
from handoff.core.menus import Menus
from handoff.errors import HandoffError, InvalidInputError
from handoff.handbook.build import BuildInput, Handbook, build_handbook
from handoff.handbook.templates import LANGUAGES
from handoff.wordpress.client import version_tuple
from handoff.wordpress.http import allows_insecure, require_secure_url
from handoff.wordpress.pages import publish_private_page

FORMATS = ("html", "pdf", "md")
CONTACTS_SINCE = "0.2.0"  # the first plugin version that takes the handbook's `contacts`

# The intake's answers the site shows on its 403 page and "Start here" panel, by the names
# of the handbook document's `contacts` (docs/plugin.md): they travel with the handbook.
CONTACT_ANSWERS = {"name": "developer.name", "person": "developer.contact",
                   "email": "developer.email", "phone": "developer.phone",
                   "website": "developer.website", "hours": "support.hours",
                   "response_time": "support.response_time", "channel": "support.channel"}


@dataclass
class PublishResult:
    site: str
    published_at: int
    hash: str
    sections: int
    warnings: list[str]


class Handbooks:
    """The client handbook of each connected site."""

    def __init__(self, menus: Menus, intakes: Intakes) -> None:
        self.menus = menus
        self.sites = menus.sites
        self.intakes = intakes

    def build(self, name: str, *, language: str | None = None,
              templates_dir: Path | None = None, allow_blanks: bool = False,
              offline: bool = False) -> Handbook:
        """Build the handbook from the site's inventory, its menu profile and the intake.

        Syncs the site and reads its menu profile first, unless `offline` (then the stored
        inventory is used and the profile the backend last pushed is not known: the client's
        menu is their role's).
        """
        intake = self.intakes.get(name)
        language = self.language_for(name, language)
        if language not in LANGUAGES:
            raise InvalidInputError(f"No handbook templates for language {language!r}.",
                                    f"use one of: {', '.join(LANGUAGES)}", code="language")
        inventory = self.sites.latest_inventory(name) if offline else self.sites.sync(name)
        if inventory is None:
            raise InvalidInputError(f"'{name}' has not been synced yet.",
                                    f"run: handoff site sync {name}", code="no_inventory")
        profile = None if offline else self._profile(name)
        roles = (profile or {}).get("targets", {}).get("roles", [])
        return build_handbook(BuildInput(
            inventory=inventory, intake=intake, language=language, profile=profile,
            client_login=(intake.get("client") or {}).get("login"),
            client_role=roles[0] if roles else "editor", templates_dir=templates_dir,
            allow_blanks=allow_blanks))

    def language_for(self, name: str, language: str | None = None) -> str:
        """The language a build uses: the one asked for, else the intake's, else English."""
        return language or self.intakes.get(name).get("language") or "en"

    def _profile(self, name: str) -> dict | None:
        _, client = self.sites.client(name)
        try:
            profile = client.menu_profile().get("profile") or None
        except HandoffError:
            return None  # a site whose plugin has no menu profiles yet
        return profile

    def missing_answers(self, name: str, *, language: str | None = None) \
            -> list[tuple[str, str | None]] | None:
        """Intake answers the templates still need: (what, intake field path or None).

        Read from a build on the stored inventory (no contact with the site), so it is
        cheap enough for every page view; None before the site's first sync.
        """
        if self.sites.latest_inventory(name) is None:
            return None
        book = self.build(name, language=language, allow_blanks=True, offline=True)
        return [(what, book.blank_fields.get(what)) for what in book.blanks]

    @staticmethod
    def render(book: Handbook, fmt: str) -> bytes:
        """The handbook as the bytes of an html, pdf or md file."""
        if fmt not in FORMATS:
            raise InvalidInputError(f"Unknown format {fmt!r}.", f"use one of: {', '.join(FORMATS)}",
                                    code="format")
        if fmt == "pdf":
            return book.pdf()
        text = book.html_document() if fmt == "html" else book.markdown()
        return text.encode("utf-8")

    @staticmethod
    def file_name(site: str, book: Handbook, fmt: str, day: date | None = None) -> str:
        """`site-handbook-vi.pdf`; with the day it was built: `site-handbook-vi-2026-12-01.pdf`."""
        dated = f"-{day.isoformat()}" if day else ""
        return f"{site}-handbook-{book.language}{dated}.{fmt}"

    @classmethod
    def write(cls, book: Handbook, site: str, fmt: str, out_dir: Path) -> Path:
        """Write the handbook as html, pdf or md into out_dir; return the file."""
        data = cls.render(book, fmt)
        out_dir.mkdir(parents=True, exist_ok=True)
        path = out_dir / cls.file_name(site, book, fmt)
        path.write_bytes(data)
        return path

    def publish(self, name: str, book: Handbook) -> PublishResult:
        """Put the handbook on the site's Site Handbook screen."""
        with self.sites.audit.change("handbook.publish", name, f"publish the handbook on "
                                     f"{name}", language=book.language,
                                     hash=book.hash()) as change:
            _, client = self.sites.client(name)
            document = {"title": book.title, "language": book.language,
                        "html": book.body_html(), "hash": book.hash()}
            contacts = site_contacts(self.intakes.get(name))
            # A plugin older than CONTACTS_SINCE refuses keys it does not know.
            if contacts and version_tuple(self.sites.get(name).plugin_version) >= \
                    version_tuple(CONTACTS_SINCE):
                document["contacts"] = contacts
            answer = client.put_handbook(document)
            result = PublishResult(name, int(answer.get("published_at", 0)),
                                   str(answer.get("hash", "")), int(answer.get("sections", 0)),
                                   book.warnings)
            change.done(f"Published the handbook {book.title!r} on {name} "
                        f"({result.sections} sections).", sections=result.sections)
            return result

    def publish_as_page(self, name: str, book: Handbook, login: str, password: str) -> int:
        """Publish as a private page with an editor's Application Password (no plugin)."""
        with self.sites.audit.change("handbook.publish_page", name, f"publish the handbook "
                                     f"on {name} as a private page", login=login,
                                     language=book.language, hash=book.hash()) as change:
            site = self.sites.get(name)
            key = self.sites.key_for(site)
            require_secure_url(site.xmlrpc_url, key.env)
            page_id = publish_private_page(site.xmlrpc_url, login, password, book.title,
                                           book.body_html(), site.handbook_page_id,
                                           verify=not allows_insecure(key.url, key.env),
                                           timeouts=self.sites.timeouts)
            change.done(f"Published the handbook {book.title!r} on {name} as private page "
                        f"{page_id}.", page_id=page_id, replaced_page=site.handbook_page_id)
            self.sites.record_handbook_page(name, page_id, change)
            return page_id

    def status(self, name: str) -> dict:
        """Whether the handbook is published, when, and whether the client has opened it."""
        _, client = self.sites.client(name)
        return client.handbook()

    def unpublish(self, name: str) -> dict:
        """Take the handbook off the site's Site Handbook screen."""
        with self.sites.audit.change("handbook.unpublish", name,
                                     f"unpublish the handbook on {name}") as change:
            _, client = self.sites.client(name)
            answer = client.delete_handbook()
            change.done(f"Unpublished the handbook on {name}.")
            return answer


def site_contacts(intake: dict) -> dict[str, str]:
    """The developer's contacts and support terms of an intake, for the site ({} for none).

    Each on one line: the plugin takes text without control characters.
    """
    found = {key: get_path(intake, path) for key, path in CONTACT_ANSWERS.items()}
    return {key: " ".join(value.split()) for key, value in found.items()
            if isinstance(value, str) and value.strip()}
