"""The PDFs as a reader sees them: a cover with the agency's identity, help near the front,
pages that flow (no near-empty page, no heading alone at a page's foot, no table row cut).

The handbook is built for the fleet's realistic site in every language; the handover report
and letters use the same stylesheet. Rules that concern boxes (headings, rows, page numbers)
are read from WeasyPrint's own layout; emptiness is measured on the pages drawn as PNGs.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from weasyprint import HTML
from weasyprint.formatting_structure import boxes

from handoff.core.intake import intake_problems
from handoff.documents.pdf import PackageAssetFetcher
from handoff.documents.safety import sanitize_html
from handoff.errors import InvalidInputError
from handoff.handbook.build import BuildInput, build_handbook
from tests.hostile_site import hostile_documents

FLEET = Path(__file__).resolve().parent.parent / "fleet" / "answers"
LANGUAGES = ("en", "vi", "zh")
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
DPI = 50
# The page's margins (style.css @page) at DPI: the footer holds only the page number.
TOP_PX, BOTTOM_PX = round(2 / 2.54 * DPI), round(2.2 / 2.54 * DPI)
MOST_EMPTY = 0.8  # a page whose text ends in its top fifth looks unfinished


def plugin(folder: str, name: str) -> dict:
    return {"file": f"{folder}/{folder}.php", "name": name, "version": "1.0", "author": "",
            "plugin_uri": "", "active": True, "must_use": False, "dropin": False,
            "update_available": ""}


def fleet_inventory() -> dict:
    """The fleet's site with its menus, grown by a few plugins that have snippets."""
    inventory = json.loads((FLEET / "inventory.json").read_text(encoding="utf-8"))
    inventory["admin_menu"] = json.loads((FLEET / "admin_menu.json").read_text(encoding="utf-8"))
    inventory["plugins"] += [plugin("contact-form-7", "Contact Form 7"),
                             plugin("wordpress-seo", "Yoast SEO"),
                             plugin("updraftplus", "UpdraftPlus"),
                             plugin("wordfence", "Wordfence Security")]
    return inventory


def intake(language: str, logo: Path | None) -> dict:
    developer = {"name": "Agency Ltd", "contact": "Sam", "email": "help@agency.example",
                 "phone": "+1 555 0100", "website": "https://agency.example"}
    if logo is not None:
        developer["logo"] = str(logo)
    return {"language": language, "handover_date": "2026-12-01",
            "client": {"name": "Sandbox Client Co.", "contact": "Jane Doe",
                       "email": "jane@client.example", "login": "client"},
            "developer": developer,
            "support": {"hours": "Mon–Fri 9:00–17:00", "response_time": "one working day",
                        "channel": "e-mail"},
            "responsibilities": {"client": ["Writing and publishing content",
                                            "Answering form messages"],
                                 "developer": ["Updates of WordPress, themes and plugins",
                                               "Backups", "Security monitoring"]},
            "changes": {"out_of_scope": "Quoted per request at the hourly rate",
                        "hourly_rate": "€80"},
            "backups": {"frequency": "daily", "retention": "30 days",
                        "where": "off-site storage"},
            "updates": {"policy": "Weekly, tested on staging first"}}


def write_logo(path: Path, fmt: str = "PNG") -> Path:
    """An agency logo: a wide coloured mark, as agencies' logos usually are."""
    image = Image.new("RGB", (360, 120), "white")
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((6, 6, 114, 114), radius=18, fill="#2271b1")
    draw.rectangle((135, 35, 350, 60), fill="#1d2327")
    draw.rectangle((135, 72, 290, 88), fill="#50575e")
    image.save(path, fmt)
    return path


# -- reading the layout -------------------------------------------------------------------

@dataclass
class Line:
    """One line of text on a page: its words and the tags of the elements around it."""

    text: str
    tags: tuple[str, ...]


@dataclass
class Pages:
    """A rendered document: WeasyPrint's pages, and the same pages drawn as images."""

    document: object
    images: list

    def flow(self, number: int) -> list:
        """The page's boxes outside its margins (the page number lives in the margins)."""
        page = self.document.pages[number - 1]._page_box
        return [child for child in page.children if not isinstance(child, boxes.MarginBox)]

    def lines(self, number: int) -> list[Line]:
        found: list[Line] = []
        for child in self.flow(number):
            _collect_lines(child, (), found)
        return found

    def margin_text(self, number: int) -> str:
        page = self.document.pages[number - 1]._page_box
        words: list[str] = []
        for child in page.children:
            if isinstance(child, boxes.MarginBox):
                words += [box.text for box in child.descendants()
                          if isinstance(box, boxes.TextBox)]
        return "".join(words).strip()

    def text(self, number: int) -> str:
        return " ".join(line.text for line in self.lines(number))

    def rows(self, number: int) -> list:
        """The body rows of tables on the page (a repeated header row is not a split row)."""
        found = []
        for child in self.flow(number):
            for box in child.descendants():
                if isinstance(box, boxes.TableRowGroupBox) and box.element_tag != "thead":
                    found += [row for row in box.children if isinstance(row, boxes.TableRowBox)]
        return found

    def images_on(self, number: int) -> list:
        return [box for child in self.flow(number) for box in child.descendants()
                if isinstance(box, boxes.ReplacedBox)]

    def page_of(self, anchor: str) -> int:
        for number, page in enumerate(self.document.pages, start=1):
            if anchor in page.anchors:
                return number
        raise AssertionError(f"no #{anchor} in the document")

    def filled(self, number: int) -> float:
        """How far down the page body the ink goes (0: blank, 1: to the bottom margin)."""
        image = self.images[number - 1]
        width, height = image.size
        body = image.crop((0, TOP_PX, width, height - BOTTOM_PX))
        pixels = body.load()
        inked = [y for y in range(body.size[1])
                 if any(pixels[x, y] < 160 for x in range(body.size[0]))]
        return (inked[-1] + 1) / body.size[1] if inked else 0.0


def _collect_lines(box, tags: tuple[str, ...], found: list[Line]) -> None:
    tag = getattr(box, "element_tag", None)
    tags = (*tags, tag) if tag else tags
    if isinstance(box, boxes.LineBox):
        text = "".join(b.text for b in box.descendants() if isinstance(b, boxes.TextBox))
        inline = tuple(b.element_tag for b in box.descendants() if b is not box)
        if text.strip():
            found.append(Line(text.strip(), tags + inline))
        return
    for child in getattr(box, "children", []):
        _collect_lines(child, tags, found)


def render(html: str, tmp_path: Path) -> Pages:
    """Lay the document out once, as render_pdf does, and draw its pages at DPI."""
    document = HTML(string=html, url_fetcher=PackageAssetFetcher()).render()
    pdf = tmp_path / "document.pdf"
    pdf.write_bytes(document.write_pdf())
    subprocess.run(["pdftoppm", "-gray", "-png", "-r", str(DPI), str(pdf),
                    str(tmp_path / "page")], check=True)
    images = [Image.open(io.BytesIO(path.read_bytes())).convert("L")
              for path in sorted(tmp_path.glob("page-*.png"), key=_page_number)]
    assert len(images) == len(document.pages)
    return Pages(document, images)


def _page_number(path: Path) -> int:
    return int(re.search(r"-(\d+)\.png$", path.name).group(1))


def headings_at_the_foot(pages: Pages) -> list[tuple[int, str]]:
    """Pages (but the last) whose last line of text is a heading's."""
    found = []
    for number in range(1, len(pages.document.pages)):
        lines = pages.lines(number)
        if lines and HEADINGS & set(lines[-1].tags):
            found.append((number, lines[-1].text))
    return found


def split_rows(pages: Pages) -> list[tuple[int, str]]:
    """Table rows that start on one page and go on on the next."""
    seen: dict[int, int] = {}
    split = []
    for number in range(1, len(pages.document.pages) + 1):
        for row in pages.rows(number):
            key = id(row.element)
            if key in seen and seen[key] != number:
                words = "".join(b.text for b in row.descendants()
                                if isinstance(b, boxes.TextBox))
                split.append((number, words[:60]))
            seen.setdefault(key, number)
    return split


def near_empty(pages: Pages, exempt: set[int]) -> list[tuple[int, float]]:
    return [(number, round(pages.filled(number), 2))
            for number in range(1, len(pages.images) + 1)
            if number not in exempt and pages.filled(number) < 1 - MOST_EMPTY]


# -- the documents ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def logo(tmp_path_factory) -> Path:
    return write_logo(tmp_path_factory.mktemp("logo") / "agency-logo.png")


@pytest.fixture(scope="module", params=LANGUAGES)
def handbook(request, logo, tmp_path_factory):
    language = request.param
    book = build_handbook(BuildInput(fleet_inventory(), intake(language, logo), language,
                                     client_login="client"))
    return book, render(book.html_document(), tmp_path_factory.mktemp(f"book-{language}"))


@pytest.fixture(scope="module")
def handover(tmp_path_factory):
    """The report and the (draft) letters of a realistic handover with many open items."""
    documents = hostile_documents("Checked on the live site by Sam on 1 December")
    rendered = {}
    for name, html in (("report", documents.report_file("html")),
                       ("letter", documents.letter("html")),
                       ("parting", documents.letter("html", parting=True))):
        rendered[name] = render(html.decode(), tmp_path_factory.mktemp(name))
    return rendered


# -- the handbook -------------------------------------------------------------------------

def test_the_cover_shows_the_agency_logo_the_agency_and_the_client(handbook):
    book, pages = handbook
    cover = pages.text(1)
    assert "Agency Ltd" in cover and "Sandbox Client Co." in cover
    assert book.title.replace(" ", "") in cover.replace(" ", "")
    images = pages.images_on(1)
    assert len(images) == 1, "the agency's logo, once, on the cover"
    assert not any(pages.images_on(number) for number in range(2, len(pages.images) + 1))
    assert pages.filled(1) > 0.5, "the cover's lines spread over the page"


def test_getting_help_is_the_first_chapter_right_after_the_contents(handbook):
    book, pages = handbook
    assert book.chapters[0].id == "getting-help"
    assert pages.page_of("getting-help") == pages.page_of("contents") + 1
    # The post type chapters and the extras still come before what not to touch.
    ids = [chapter.id for chapter in book.chapters]
    assert ids.index("type-portfolio") < ids.index("what-not-to-touch")
    assert ids.index("extras") < ids.index("what-not-to-touch") < ids.index("glossary")
    assert ids[-1] == "appendix"


def test_no_page_of_the_handbook_ends_with_a_heading(handbook):
    assert headings_at_the_foot(handbook[1]) == []


def test_no_table_row_of_the_handbook_is_split_across_pages(handbook):
    pages = handbook[1]
    assert any(pages.rows(number) for number in range(1, len(pages.images) + 1))
    assert split_rows(pages) == []


def test_no_page_of_the_handbook_is_near_empty_but_the_cover_and_the_last(handbook):
    pages = handbook[1]
    assert near_empty(pages, exempt={1, len(pages.images)}) == []


def test_pages_are_numbered_and_the_contents_give_each_chapter_its_page(handbook):
    book, pages = handbook
    assert pages.margin_text(1) == ""
    for number in range(2, len(pages.images) + 1):
        assert pages.margin_text(number) == str(number)
    contents = [line.text for number in range(2, pages.page_of(book.chapters[0].id))
                for line in pages.lines(number) if {"nav", "a"} <= set(line.tags)]
    assert len(contents) == len(book.chapters)
    for line, chapter in zip(contents, book.chapters, strict=True):
        assert line.endswith(str(pages.page_of(chapter.id))), (line, chapter.id)


def test_a_chapter_starts_a_page_only_when_the_page_before_is_full(handbook):
    pages = handbook[1]
    starts = [number for number in range(4, len(pages.images) + 1)
              if "h2" in pages.lines(number)[0].tags]
    assert [(number - 1, round(pages.filled(number - 1), 2)) for number in starts
            if pages.filled(number - 1) < 0.75] == []


# -- the report and the letters share the stylesheet --------------------------------------

@pytest.mark.parametrize("name", ["report", "letter", "parting"])
def test_no_page_of_the_report_or_a_letter_ends_with_a_heading(handover, name):
    assert headings_at_the_foot(handover[name]) == []


def test_no_row_of_the_report_is_split_and_no_page_is_near_empty(handover):
    pages = handover["report"]
    assert split_rows(pages) == []
    assert near_empty(pages, exempt={len(pages.images)}) == []


@pytest.mark.parametrize("name", ["letter", "parting"])
def test_a_letter_ends_with_its_closing_lines_together(handover, name):
    pages = handover[name]
    last = pages.lines(len(pages.images))
    assert len(last) >= 3, [line.text for line in last]


# -- the logo answer ----------------------------------------------------------------------

def test_a_png_or_jpeg_logo_is_a_valid_answer(tmp_path):
    for fmt, suffix in (("PNG", "png"), ("JPEG", "jpg")):
        path = write_logo(tmp_path / f"logo.{suffix}", fmt)
        assert intake_problems({"developer": {"logo": str(path)}}) == []


@pytest.mark.parametrize("case, words", [
    ("missing", "no such file"),
    ("large", "larger than 1 MiB"),
    ("not_image", "not a PNG or JPEG image"),
    ("svg", "must be the full path of a PNG or JPEG file"),
    ("relative", "must be the full path of a PNG or JPEG file"),
    ("folder", "no such file"),
])
def test_a_logo_that_cannot_be_used_is_refused_with_the_reason(tmp_path, case, words):
    paths = {"missing": tmp_path / "gone.png", "large": tmp_path / "large.png",
             "not_image": tmp_path / "notes.png", "svg": tmp_path / "logo.svg",
             "relative": Path("logo.png"), "folder": tmp_path / "folder.png"}
    write_logo(paths["large"])
    with paths["large"].open("ab") as file:
        file.write(b"\0" * (1024 * 1024))
    paths["not_image"].write_text("just text", encoding="utf-8")
    paths["svg"].write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    paths["folder"].mkdir()
    problems = intake_problems({"developer": {"logo": str(paths[case])}})
    assert len(problems) == 1 and problems[0].startswith("developer/logo: ")
    assert words in problems[0]


def test_a_logo_gone_since_the_intake_stops_the_build_saying_which(tmp_path):
    logo = write_logo(tmp_path / "logo.png")
    answers = intake("en", logo)
    logo.unlink()
    with pytest.raises(InvalidInputError) as caught:
        build_handbook(BuildInput(fleet_inventory(), answers, "en", client_login="client"))
    assert caught.value.code == "logo" and str(logo) in caught.value.cause


def test_the_logo_is_embedded_and_no_other_image_passes(tmp_path):
    book = build_handbook(BuildInput(fleet_inventory(), intake("en", write_logo(
        tmp_path / "logo.jpg", "JPEG")), "en", client_login="client"))
    html = book.html_document()
    assert html.count("<img") == 1 and 'src="data:image/jpeg;base64,' in html
    assert "<img" not in book.body_html()  # the Site Handbook screen has no cover
    data = "data:image/png;base64,iVBORw0KGgo="
    for fragment in (f'<p><img src="{data}"></p>', f'<header class="cover"><img src="{data}" '
                     'onerror="x()"></header>'):
        assert "<img" not in sanitize_html(fragment)
    for url in ("http://169.254.169.254/logo.png", "data:image/svg+xml;base64,PHN2Zz4=",
                "file:///etc/logo.png"):
        kept = sanitize_html(f'<img class="logo" src="{url}">', logo=True)
        assert url not in kept
    kept = sanitize_html(f'<img class="logo" src="{data}" alt="Agency">', logo=True)
    assert f'src="{data}"' in kept
