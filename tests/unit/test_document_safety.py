"""Site and intake text is text in every document, and building a PDF fetches nothing."""

from __future__ import annotations

import base64
import json
import logging
import re
import subprocess
import threading
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from xmlrpc.server import SimpleXMLRPCRequestHandler, SimpleXMLRPCServer

import markdown
import pytest

from handoff.documents.safety import as_line
from handoff.handbook.build import BuildInput, build_handbook
from handoff.handbook.context import as_text
from tests.helpers import QuietHTTPServer
from tests.hostile_site import EVERY_PAYLOAD, PAYLOADS, hostile_documents, hostile_inventory

FORBIDDEN_TAGS = {"script", "style", "iframe", "object", "embed", "form", "svg", "img",
                  "math", "base", "link", "meta", "input", "button", "frame", "frameset"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcset", "poster"}
SAFE_URL = re.compile(r"^(#|https?:|mailto:|tel:)", re.I)
# A 1×1 transparent PNG: a real image, so a fetcher that serves it is seen serving it.
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNk"
                       "YAAAAAYAAjCB0C8AAAAASUVORK5CYII=")


class Body(HTMLParser):
    """The body of an HTML document or fragment: its elements, attributes and text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.words: list[str] = []
        start = html.find("<body")
        self.feed(html[start:] if start >= 0 else html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))

    def handle_data(self, data):
        self.words.append(data)

    @property
    def text(self) -> str:
        return collapse("".join(self.words))

    def links(self) -> list[str]:
        return [attrs["href"] for tag, attrs in self.elements if tag == "a" and "href" in attrs]


def collapse(text: str) -> str:
    return " ".join(text.split())


def assert_text_only(html: str, payload: str, where: str) -> Body:
    """No element, attribute or URL came from the payload, and the payload reads as text."""
    body = Body(html)
    for tag, attrs in body.elements:
        assert tag not in FORBIDDEN_TAGS, (where, tag, attrs)
        for name, value in attrs.items():
            assert not name.startswith("on") and name != "style", (where, tag, name, value)
            if name in URL_ATTRIBUTES:
                assert SAFE_URL.match(value.strip()), (where, tag, name, value)
    assert "__pwned" not in "".join(str(attrs) for _, attrs in body.elements), where
    assert collapse(payload) in body.text, (where, collapse(payload))
    return body


@pytest.fixture(scope="module")
def documents():
    """Every document, built once per payload."""
    return {name: hostile_documents(text) for name, text in PAYLOADS.items()}


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
@pytest.mark.parametrize("context", ["{}", "- {}", "**{}**", "| a | b |\n|---|---|\n| {} | x |",
                                     "## {}", "x\n{}\n\ny"])
def test_as_text_reads_as_itself_wherever_markdown_puts_it(payload, context):
    source = context.format(as_line(payload) if "|" in context else as_text(payload))
    html = markdown.markdown(source, extensions=["tables", "sane_lists", "attr_list"])
    body = assert_text_only(html, payload, context)
    assert not [tag for tag, _ in body.elements if tag in ("a", "code", "pre", "h1", "hr")]


@pytest.mark.parametrize("name", PAYLOADS.keys())
def test_site_and_intake_text_stays_text_in_every_html_document(documents, name):
    hostile = documents[name]
    outputs = {"handbook": hostile.book.html_document(),
               "published handbook": hostile.book.body_html(),
               "report": hostile.report_file("html").decode(),
               "handover letter": hostile.letter("html").decode(),
               "parting letter": hostile.letter("html", parting=True).decode()}
    for where, html in outputs.items():
        body = assert_text_only(html, PAYLOADS[name], where)
        assert all(link.startswith("#") for link in body.links()
                   if "client.example" not in link), (where, body.links())


@pytest.mark.parametrize("name", PAYLOADS.keys())
def test_markdown_files_render_site_text_as_text_even_with_attribute_lists(documents, name):
    hostile = documents[name]
    outputs = {"handbook": hostile.book.markdown(),
               "report": hostile.report_file("md").decode(),
               "handover letter": hostile.letter("md").decode(),
               "parting letter": hostile.letter("md", parting=True).decode()}
    for where, text in outputs.items():
        # A reader's Markdown renderer may well have attribute lists on: still text.
        html = markdown.markdown(text, extensions=["tables", "sane_lists", "attr_list"])
        assert_text_only(html, PAYLOADS[name], where)


def test_the_report_as_json_keeps_site_text_verbatim(documents):
    hostile = documents["script"]
    data = json.loads(hostile.report_file("json"))
    details = [item["detail"] for item in data["items"]]
    assert any(PAYLOADS["script"] in detail for detail in details)
    assert data["completed"]["note"] == PAYLOADS["script"]


def pdf_text(data: bytes, tmp_path: Path, name: str) -> tuple[str, str]:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    urls = subprocess.run(["pdfinfo", "-url", str(path)], check=True, capture_output=True,
                          text=True).stdout
    return "".join(text.split()), urls


def test_pdfs_print_site_text_literally_and_link_nowhere_it_names(tmp_path):
    hostile = hostile_documents(EVERY_PAYLOAD)
    for name, data in (("handbook", hostile.book.pdf()), ("report", hostile.report_file("pdf"))):
        text, urls = pdf_text(data, tmp_path, name)
        for payload in PAYLOADS.values():
            # Lines wrap anywhere in a PDF (and pdftotext spaces glyphs): compare without blanks.
            assert "".join(payload.split()) in text, (name, payload)
        assert "javascript" not in urls.lower() and "127.0.0.2" not in urls, (name, urls)


def test_a_templates_own_markup_is_sanitized_before_it_is_written_or_published(tmp_path):
    chapter = tmp_path / "templates" / "en" / "chapters" / "999-extra.md.j2"
    chapter.parent.mkdir(parents=True)
    chapter.write_text(
        "---\ntitle: Extra\n---\n"
        "## Section {: onclick=\"window.__pwned=1\" }\n\n"
        "<script>window.__pwned=1</script><p style=\"color:red\" onclick=\"x\">styled</p>\n\n"
        "<iframe src=\"https://evil.example\"></iframe><form action=\"https://evil.example\">"
        "<input name=q></form><object data=\"x\"></object><embed src=\"x\">\n\n"
        "[bad](javascript:window.__pwned=1) [data](data:text/html,x) [vb](vbscript:x) "
        "<a href=\" &#106;avascript:x\">entity</a> [rel](relative/path)\n\n"
        "[web](https://wordpress.org/) [mail](mailto:help@agency.example) "
        "[phone](tel:+15550100) [back](#extra) `code`\n\n"
        "| a | b |\n|:--|--:|\n| 1 | 2 |\n", encoding="utf-8")
    book = build_handbook(BuildInput(
        hostile_inventory("Shop"), {"developer": {"name": "Agency"}}, "en",
        client_login="client", templates_dir=tmp_path / "templates", allow_blanks=True))
    for where, html in (("document", book.html_document()), ("published", book.body_html())):
        body = assert_text_only(html, "styled", where)
        links = body.links()
        assert {"https://wordpress.org/", "mailto:help@agency.example", "tel:+15550100",
                "#extra"} <= set(links), links
        assert not [link for link in links if not SAFE_URL.match(link)], links
        assert {"table", "code", "h2"} <= {tag for tag, _ in body.elements}
        assert [a for tag, a in body.elements if tag == "h2" and a.get("id") == "extra"]


def test_the_sanitizer_keeps_what_templates_produce_and_drops_the_rest():
    from handoff.documents.safety import sanitize_html

    kept = ('<header class="cover"><h1>T</h1><p class="meta">m</p></header>'
            '<nav class="toc" aria-label="Contents"><ol start="2"><li><a href="#a">A</a></li>'
            '</ol></nav><h2 id="a">A</h2><p><strong>b</strong> <em>i</em> <code>c</code></p>'
            '<pre><code>x</code></pre><blockquote><p>q</p></blockquote><hr>'
            '<table><thead><tr><th align="left">h</th></tr></thead><tbody><tr><td>d</td></tr>'
            '</tbody></table><ul><li>l</li></ul><p><a href="https://x.example/">w</a> '
            '<a href="mailto:a@x.example">m</a> <a href="tel:+1">t</a></p>')
    clean = sanitize_html(kept)
    for piece in ('class="cover"', 'class="meta"', 'aria-label="Contents"', 'start="2"',
                  'href="#a"', 'id="a"', 'align="left"', 'href="https://x.example/"',
                  'href="mailto:a@x.example"', 'href="tel:+1"', "<table>", "<pre>",
                  "<blockquote>", "<code>"):
        assert piece in clean, piece
    hostile = ('<a href="javascript:alert(1)" onclick="alert(1)">j</a>'
               '<a href="data:text/html,x">d</a><a href="vbscript:x">v</a>'
               '<a href="//evil.example/">r</a><img src=x onerror=alert(1)>'
               '<svg onload=alert(1)></svg><script>alert(1)</script><style>p{}</style>'
               '<iframe src="https://evil.example"></iframe><object data="x"></object>'
               '<embed src="x"><form action="https://evil.example"><input></form>'
               '<p style="color:red" class="evil">s</p>')
    assert_text_only(sanitize_html(hostile), "jdvrs", "sanitizer")
    assert "evil" not in sanitize_html(hostile) and "alert" not in sanitize_html(hostile)


class RecordingHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(PNG)

    def log_message(self, *args):
        pass


@pytest.fixture
def listener():
    """A loopback HTTP server that records every request made to it."""
    server = QuietHTTPServer(("127.0.0.1", 0), RecordingHandler)
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_building_pdfs_fetches_nothing_a_site_names(listener, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG)
    base = f"http://127.0.0.1:{listener.server_address[1]}"
    label = (f"![x]({base}/markdown.png) <img src=\"{base}/raw.png\"> "
             f"![f]({secret.as_uri()}) <link rel=stylesheet href=\"{base}/s.css\">")
    hostile = hostile_documents(label)
    hostile.book.pdf()
    hostile.report_file("pdf")
    assert listener.requests == []


def test_the_pdf_fetcher_refuses_and_logs_every_url_but_packaged_assets_and_data(
        listener, tmp_path, caplog):
    from handoff.documents.pdf import PackageAssetFetcher, render_pdf

    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG)
    base = f"http://127.0.0.1:{listener.server_address[1]}"
    package_css = Path(__file__).resolve().parents[2] / "backend/handoff/handbook/style.css"
    package_code = package_css.with_name("build.py")
    refused = [f"{base}/a.png", f"{base}/s.css", secret.as_uri(), package_code.as_uri(),
               f"{package_css.parent.as_uri()}/../../../tests/unit/{Path(__file__).name}"]
    data_url = "data:image/png;base64," + base64.b64encode(PNG).decode()
    html = (f'<html><head><link rel="stylesheet" href="{refused[1]}">'
            f'<link rel="stylesheet" href="{package_css.as_uri()}">'
            f'<link rel="stylesheet" href="{refused[3]}"></head><body><p>x</p>'
            f'<img src="{refused[0]}"><img src="{refused[2]}"><img src="{refused[4]}">'
            f'<img src="{data_url}"></body></html>')
    with caplog.at_level(logging.WARNING, logger="handoff.documents"):
        assert render_pdf(html).startswith(b"%PDF")
    assert listener.requests == []
    warned = " ".join(r.getMessage() for r in caplog.records if r.name == "handoff.documents")
    for url in refused:
        assert url.split("/../")[-1] in warned, url
    assert package_css.as_uri() not in warned and "data:" not in warned
    fetcher = PackageAssetFetcher()
    assert fetcher.fetch(package_css.as_uri()).read() == package_css.read_bytes()
    assert fetcher.fetch(data_url).read() == PNG
    with pytest.raises(ValueError):
        fetcher.fetch(refused[0])


def test_publishing_as_a_private_page_sends_sanitized_html_and_a_text_title():
    from handoff.wordpress.pages import publish_private_page

    received = []

    class Handler(SimpleXMLRPCRequestHandler):
        rpc_paths = ("/xmlrpc.php",)

        def log_message(self, *args):
            pass

    server = SimpleXMLRPCServer(("127.0.0.1", 0), requestHandler=Handler, logRequests=False)
    methods = {"mt.supportedMethods": lambda: ["wp.newPost"],
               "wp.newPost": lambda blog, user, password, post: received.append(post) or "7"}
    server._dispatch = lambda method, params: methods[method](*params)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/xmlrpc.php"
        page_id = publish_private_page(
            url, "editor", "pw", "<script>alert(1)</script> Shop",
            '<h2 id="a" onclick="alert(1)">A</h2><a href="javascript:alert(1)">x</a>'
            "<script>alert(1)</script><p>kept</p>")
    finally:
        server.shutdown()
        server.server_close()
    assert page_id == 7
    content, title = received[0]["post_content"], received[0]["post_title"]
    assert "<script" not in content and "onclick" not in content and "javascript" not in content
    assert '<h2 id="a">A</h2>' in content and "<p>kept</p>" in content
    assert "<script>" not in title and "Shop" in title


def test_a_list_a_template_prints_whole_is_text_too(tmp_path):
    chapter = tmp_path / "templates" / "en" / "chapters" / "999-extra.md.j2"
    chapter.parent.mkdir(parents=True)
    chapter.write_text("---\ntitle: Extra\n---\nYou do: {{ intake.responsibilities.client }}\n",
                       encoding="utf-8")
    payload = PAYLOADS["attr-list"]
    book = build_handbook(BuildInput(
        hostile_inventory("Shop"), {"responsibilities": {"client": [payload]}}, "en",
        client_login="client", templates_dir=tmp_path / "templates", allow_blanks=True))
    extra = next(c for c in book.chapters if c.id == "extra")
    html = markdown.markdown(extra.markdown, extensions=["tables", "attr_list"])
    assert_text_only(html, payload, "list")
