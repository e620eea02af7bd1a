"""Building a handbook: templates rendered for one site, its client and their menu."""

from __future__ import annotations

import base64
import hashlib
import re
import traceback
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import markdown
from jinja2 import ChainableUndefined, FunctionLoader, Undefined
from jinja2 import TemplateError as JinjaError
from jinja2.exceptions import SecurityError, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from handoff.core.intake import read_logo
from handoff.core.menu_conflicts import warnings as menu_conflict_warnings
from handoff.documents.safety import anchor_id, as_line, as_text, sanitize_html
from handoff.errors import InvalidInputError
from handoff.handbook.context import (
    ClientMenu,
    Gaps,
    ScreenUnavailable,
    template_globals,
)
from handoff.handbook.templates import TemplateError, TemplateFile, TemplateSet

MAX_BODY_BYTES = 2 * 1024 * 1024
OWN_PLUGINS = {"handoff-companion", "handoff-sandbox-extras"}
# The chapter a client in trouble looks for: first, right after the contents, whatever the
# number its file name carries (the other chapters keep their file-name order).
FIRST_CHAPTER = "getting-help"
STYLE = (Path(__file__).resolve().parent / "style.css").read_text(encoding="utf-8")


@dataclass
class Chapter:
    id: str
    title: str
    markdown: str  # the body, headings from ### down; the builder adds the chapter's ##


@dataclass
class Handbook:
    """A built handbook, ready to be written as Markdown, HTML or PDF, or published."""

    title: str
    language: str
    strings: dict
    cover_lines: list[str]
    chapters: list[Chapter]
    dropped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    blanks: list[str] = field(default_factory=list)
    blank_fields: dict[str, str] = field(default_factory=dict)  # blank -> intake path
    labels: list = field(default_factory=list)  # LabelUse: every ui() the chapters made
    agency: str = ""  # the developer's name, at the top of the cover
    logo: str = ""  # the developer's logo as a data: URL, or ""

    def markdown(self) -> str:
        # The title, cover and chapter titles carry the site's name and labels: text.
        parts = [f"# {as_line(self.title)}", ""]
        for line in self.cover_lines:
            parts += [as_text(line), ""]
        for chapter in self.chapters:
            parts += [f"## {as_line(chapter.title)}", "", chapter.markdown.strip(), ""]
        return "\n".join(parts).rstrip() + "\n"

    def body_html(self) -> str:
        """The chapters as sanitized HTML (h2 with ids): what the Site Handbook screen shows."""
        sections = []
        for chapter in self.chapters:
            inner = _to_html(chapter.markdown)
            sections.append(f'<h2 id="{anchor_id(chapter.id)}">{escape(chapter.title)}</h2>'
                            f"\n{inner}")
        html = sanitize_html("\n".join(sections))
        if len(html.encode("utf-8")) > MAX_BODY_BYTES:
            raise InvalidInputError("The handbook is larger than 2 MiB.",
                                    "shorten the templates or drop snippets", code="too_large")
        return html

    def hash(self) -> str:
        return hashlib.sha256(self.body_html().encode("utf-8")).hexdigest()

    def html_document(self) -> str:
        """One self-contained HTML file: CSS inlined, cover, contents, print stylesheet."""
        toc = "\n".join(f'<li><a href="#{anchor_id(c.id)}">{escape(c.title)}</a></li>'
                        for c in self.chapters)
        lang = {"zh": "zh-CN"}.get(self.language, self.language)  # Simplified glyph shapes
        contents = escape(self.strings.get("contents", "Contents"))
        # The head (our stylesheet) is ours; the body carries site text: sanitized. The cover
        # alone may hold an image (the logo), so it is cleaned apart from the chapters.
        body = self.cover_html() + "\n" + sanitize_html(
            f'<nav class="toc" aria-label="{contents}"><h2 id="contents">{contents}</h2>'
            f"<ol>\n{toc}\n</ol></nav>\n<main>\n{self.body_html()}\n</main>")
        return (f'<!doctype html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">'
                f'\n<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                f"<title>{escape(self.title)}</title>\n<style>\n{STYLE}</style>\n</head>\n"
                f"<body>\n{body}\n</body>\n</html>\n")

    def cover_html(self) -> str:
        """The cover: the agency (logo and name), the title, for whom, the site, the date."""
        logo = f'<img class="logo" src="{self.logo}" alt="{escape(self.agency)}">' \
            if self.logo else ""
        agency = f"<strong>{escape(self.agency)}</strong>" if self.agency else ""
        brand = f'<p class="brand">{logo}{agency}</p>\n' if logo or agency else ""
        lines = "\n".join(f'<p class="meta">{escape(line)}</p>' for line in self.cover_lines)
        return sanitize_html(f'<header class="cover">{brand}<h1>{escape(self.title)}</h1>\n'
                             f"{lines}</header>", logo=True)

    def pdf(self) -> bytes:
        from handoff.documents.pdf import render_pdf  # imported late: it loads Pango

        return render_pdf(self.html_document())


def _to_html(text: str) -> str:
    # No attr_list: `{: onclick=… }` would turn text into attributes, and no template uses it.
    return markdown.markdown(text, extensions=["tables", "sane_lists"],
                             extension_configs={"tables": {"use_align_attribute": True}},
                             output_format="html")


@dataclass
class BuildInput:
    inventory: dict
    intake: dict
    language: str
    profile: dict | None = None
    client_login: str | None = None
    client_role: str = "editor"
    templates_dir: Path | None = None
    allow_blanks: bool = False
    now: datetime | None = None


def build_handbook(given: BuildInput) -> Handbook:
    """Render every chapter and snippet for the site; refuse gaps unless blanks are allowed."""
    templates = TemplateSet(given.language, given.templates_dir)
    strings = templates.strings()
    menu = ClientMenu.for_site(given.inventory, given.profile, given.client_login,
                               given.client_role)
    gaps = Gaps(marker=str(strings.get("to_complete", "to be completed: {what}")))
    names = template_globals(given.inventory, menu, given.intake, gaps, given.language)
    environment = _environment(names)
    book = Handbook(title="", language=given.language, strings=strings, cover_lines=[],
                    chapters=[])
    for template in templates.chapters():
        # A chapter's own sections (##) sit under its title, which the builder writes as ##.
        chapter = _chapter(environment, template, menu, names, book, demote=1)
        if chapter is not None:
            book.chapters.append(chapter)
    insert_at = _index_before_help(book.chapters)
    generated = _post_type_chapters(names, menu, strings, book) + \
        _extras_chapter(environment, templates, menu, names, book, strings)
    book.chapters[insert_at:insert_at] = generated
    book.chapters.append(_appendix(given.inventory, strings))
    book.chapters.sort(key=lambda chapter: chapter.id != FIRST_CHAPTER)  # stable: rest stay
    book.warnings += [f"no {given.language} text for the {folder} snippet: English used"
                      for folder in templates.fallbacks]
    if gaps.missing and not given.allow_blanks:
        raise InvalidInputError(
            "The intake lacks answers the handbook needs: " + ", ".join(gaps.missing) + ".",
            "run `handoff intake SITE` to answer them, or build with --allow-blanks to print "
            "visible blanks", code="intake_incomplete")
    book.labels = list(names["ui"].uses)
    book.warnings += names["ui"].caveats
    book.warnings += menu_conflict_warnings(given.inventory)  # other plugins hiding items
    book.blanks = list(gaps.missing)
    book.blank_fields = dict(gaps.fields)
    site_name = given.inventory.get("site", {}).get("name", "")
    book.title = _fmt(strings.get("handbook_title", "{site} — Site Handbook"), site=site_name)
    book.cover_lines = _cover(strings, given, site_name)
    book.agency = str((given.intake.get("developer") or {}).get("name") or "")
    book.logo = _logo(given.intake)
    return book


def _environment(names: dict) -> SandboxedEnvironment:
    environment = SandboxedEnvironment(
        loader=FunctionLoader(lambda name: None), autoescape=True, undefined=ChainableUndefined,
        keep_trailing_newline=True, finalize=_as_text_if_str)
    environment.globals.update(names)
    return environment


def _as_text_if_str(value: object) -> object:
    """Every {{ value }} prints as text, never as Markdown links or attributes.

    A list or a number printed whole too: only a helper's Markup (ours) passes as it is.
    """
    return value if isinstance(value, (Markup, Undefined)) else as_text(value)


def _render(environment: SandboxedEnvironment, template: TemplateFile) -> str:
    """Render one template; errors name the file and line."""
    try:
        compiled = environment.from_string(template.body)
        compiled.filename = str(template.path)
        return compiled.render()
    except TemplateSyntaxError as exc:
        line = (exc.lineno or 1) + template.body_line - 1
        raise TemplateError(f"{template.path}:{line}: {exc.message}") from None
    except SecurityError as exc:
        raise TemplateError(f"{template.path}:{_line(exc, template)}: the template tried to "
                            f"reach something templates may not use ({exc}).",
                            "templates may only use the names listed in "
                            "docs/handbook-templates.md") from None
    except ScreenUnavailable:
        raise
    except JinjaError as exc:
        raise TemplateError(f"{template.path}:{_line(exc, template)}: {exc}") from None
    except (TypeError, ValueError, AttributeError, KeyError, IndexError) as exc:
        raise TemplateError(f"{template.path}:{_line(exc, template)}: {exc}") from None


def _line(exc: BaseException, template: TemplateFile) -> int:
    lines = [lineno for frame, lineno in traceback.walk_tb(exc.__traceback__)
             if frame.f_code.co_filename in ("<template>", str(template.path))]
    return (lines[-1] if lines else 1) + template.body_line - 1


def _required_ok(template: TemplateFile, menu: ClientMenu, names: dict) -> str | None:
    """None when the chapter may be built, else why it cannot."""
    for slug in template.meta.get("requires", []) or []:
        if menu.find(*_screen_ref(slug)) is None:
            return f"{menu.who} cannot open {slug}"
    alternatives = template.meta.get("requires_any") or []
    if alternatives and not any(menu.find(*_screen_ref(slug)) for slug in alternatives):
        return f"{menu.who} cannot open any of " + ", ".join(map(str, alternatives))
    plugins = template.meta.get("requires_plugin_any")
    if plugins and not any(names["plugin_active"](folder) for folder in plugins):
        return "none of " + ", ".join(plugins) + " is active"
    return None


def _screen_ref(slug: object) -> tuple[str, str | None]:
    parent, _, child = str(slug).partition(" > ")
    return parent, child or None


def _chapter(environment, template: TemplateFile, menu: ClientMenu, names: dict,
             book: Handbook, demote: int = 0) -> Chapter | None:
    reason = _required_ok(template, menu, names)
    if reason is not None:
        return _missing(template, reason, book)
    try:
        body = _render(environment, template)
    except ScreenUnavailable as exc:
        raise TemplateError(
            f"{template.path}: names the screen {exc.slug}, which {menu.who} cannot open.",
            "list it under `requires` in the front matter (the chapter is then dropped or the "
            "build stops, as `on_missing` says), or guard the sentence with can_open()") from None
    body = _demote(body, demote) if demote else body
    return Chapter(_chapter_id(template.path), template.title, body)


def _missing(template: TemplateFile, reason: str, book: Handbook) -> None:
    if template.meta.get("on_missing", "drop") == "fail":
        raise InvalidInputError(f"The chapter {template.title!r} cannot be built: {reason}.",
                                "change the menu profile so the client can open that screen, "
                                "or set on_missing: drop in the template", code="chapter")
    book.dropped.append((template.title, reason))
    return None


def _chapter_id(path: Path) -> str:
    stem = path.name.removesuffix(".md.j2")
    return re.sub(r"^\d+-", "", stem) or stem


def _demote(body: str, levels: int) -> str:
    return re.sub(r"^(#{1,6})(?=\s)", lambda m: "#" * min(6, len(m.group(1)) + levels), body,
                  flags=re.M)


def _index_before_help(chapters: list[Chapter]) -> int:
    for index, chapter in enumerate(chapters):
        if chapter.id in ("what-not-to-touch", "getting-help", "glossary"):
            return index
    return len(chapters)


def _post_type_chapters(names: dict, menu: ClientMenu, strings: dict,
                        book: Handbook) -> list[Chapter]:
    """A chapter per custom content type the client can open; the others are listed as
    left out, with the reason, like template chapters."""
    chapters = []
    for post_type in names["post_types"]:
        slug = f"edit.php?post_type={post_type['name']}"
        if menu.find(slug) is None:
            title = _fmt(strings.get("post_type_title", "{label}"), label=post_type["label"])
            book.dropped.append((str(title), f"{menu.who} cannot open {slug}"))
            continue
        label = as_text(post_type["label"])  # site data: never read as markup
        lines = [_fmt(strings.get("post_type_intro", "{label} ({count})"), label=label,
                      count=int(post_type.get("count", 0)))]
        add_new = f"post-new.php?post_type={post_type['name']}"
        if menu.find(slug, add_new) is not None:
            lines.append(_fmt(strings.get("post_type_add", "{screen}"),
                              screen=names["screen"](slug, add_new)))
        title = _fmt(strings.get("post_type_title", "{label}"), label=post_type["label"])
        chapters.append(Chapter(anchor_id(f"type-{post_type['name']}"), title, "\n\n".join(lines)))
    return chapters


def _extras_chapter(environment, templates: TemplateSet, menu: ClientMenu, names: dict,
                    book: Handbook, strings: dict) -> list[Chapter]:
    parts = []
    for plugin in names["plugins"]:
        folder = plugin["file"].split("/", 1)[0]
        if not plugin.get("active") or folder in OWN_PLUGINS:
            continue
        snippet = templates.snippet(folder)
        if snippet is None:
            continue
        chapter = _chapter(environment, snippet, menu, names, book, demote=2)
        if chapter is not None:
            parts.append(f"### {as_line(chapter.title)}\n\n{chapter.markdown.strip()}")
    if not parts:
        return []
    return [Chapter("extras", str(strings.get("extras_title", "Your site's extras")),
                    "\n\n".join(parts))]


def _appendix(inventory: dict, strings: dict) -> Chapter:
    def row(*cells) -> str:
        return "| " + " | ".join(as_line(cell) for cell in cells) + " |"
    yes, no = strings.get("active", "Active"), strings.get("inactive", "Inactive")
    lines = [row(strings.get("plugin", "Plugin"), strings.get("version", "Version"), yes),
             "|---|---|---|"]
    lines += [row(p["name"], p["version"], yes if p.get("active") else no)
              for p in inventory.get("plugins", [])]
    lines += ["", row(strings.get("theme", "Theme"), strings.get("version", "Version"), yes),
              "|---|---|---|"]
    lines += [row(t["name"], t["version"], yes if t.get("active") else no)
              for t in inventory.get("themes", [])]
    return Chapter("appendix", str(strings.get("appendix_title", "Appendix")), "\n".join(lines))


def _cover(strings: dict, given: BuildInput, site_name: str) -> list[str]:
    client = (given.intake.get("client") or {}).get("name")
    developer = (given.intake.get("developer") or {}).get("name")
    lines = [given.inventory.get("site", {}).get("home_url", "")]
    if client and developer:
        lines.append(_fmt(strings.get("prepared_for", "{client} · {developer}"), client=client,
                          developer=developer))
    when = (given.now or datetime.now(UTC)).date().isoformat()
    lines.append(_fmt(strings.get("generated", "{date}"), date=when))
    return [line for line in lines if line]


def _logo(intake: dict) -> str:
    """The intake's logo as a data: URL, read now: the PDF and the HTML fetch nothing."""
    path = (intake.get("developer") or {}).get("logo")
    if not path:
        return ""
    try:
        media_type, data = read_logo(str(path))
    except ValueError as exc:
        raise InvalidInputError(f"The logo cannot be used: {exc}.",
                                "answer the intake's logo with the full path of a PNG or JPEG "
                                "file of at most 1 MiB, or leave it blank", code="logo") from None
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


def _fmt(pattern: object, **values: object) -> str:
    try:
        return str(pattern).format(**values)
    except (KeyError, IndexError, ValueError):
        return str(pattern)
