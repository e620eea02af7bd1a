"""Site and intake text kept as text, and our HTML passed through an allow-list.

A site is an untrusted party: its plugin names, menu titles, labels and health findings reach
the handbook, the handover report and the letters, as do the client's intake answers. Those
documents are Markdown turned into HTML, so such text is escaped for Markdown as well as for
HTML (`as_text`), and the HTML that comes out is cleaned by an allow-list (`sanitize_html`)
before it is written, downloaded, previewed or published: what an escape or a template
misses still cannot become a script, an event handler, a style or a foreign URL scheme.
"""

from __future__ import annotations

import re

import nh3
from markupsafe import Markup, escape

# Markdown that turns text into markup anywhere in a line: links and images ([ ]), attribute
# lists ({ }), emphasis (* _), code (`), table cells (|), and the backslash itself.
_INLINE = str.maketrans({char: "\\" + char for char in "\\`*_[]{}|"})
# What is markup only at the start of a line: headings, lists, rules, setext underlines,
# fences, definitions. Written as character references, which every Markdown reader prints
# as the character (a backslash would print itself before = ~ :).
_LINE_START = re.compile(r"^(?:(\d+)([.)])|()([#+\-=~:]))")
_LINE_BREAKS = re.compile(r"\r\n|\r|\n|\u2028|\u2029")

TAGS = {"a", "abbr", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h1", "h2",
        "h3", "h4", "h5", "h6", "header", "hr", "kbd", "li", "main", "nav", "ol", "p", "pre",
        "section", "span", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead",
        "tr", "ul"}
ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "nav": {"aria-label"},
              "ol": {"start"}, "th": {"align"}, "td": {"align"},
              **{tag: {"id"} for tag in ("h1", "h2", "h3", "h4", "h5", "h6", "section")}}
CLASSES = {"header": {"cover"}, "nav": {"toc"}, "p": {"brand", "meta", "site"},
           "span": {"blank"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# The cover's logo: read by the builder from a checked PNG or JPEG and written inline, so the
# PDF fetches nothing; no other image, and no other kind of image, is ever let through.
LOGO_SRC = re.compile(r"^data:image/(?:png|jpeg);base64,[A-Za-z0-9+/]+=*$")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.I)
_ID = re.compile(r"[^A-Za-z0-9_\-]+")


def _escape_line(line: str) -> str:
    escaped = str(escape(line.translate(_INLINE)))
    return _LINE_START.sub(lambda m: (m.group(1) or "") + f"&#{ord(m.group(2) or m.group(4))};",
                           escaped, count=1)


def as_text(value: object) -> Markup:
    """Data (a site's labels, intake answers) as literal text wherever Markdown puts it.

    Markup is ours (a template helper's output) and passes as it is. Blank lines and
    indentation are dropped: in a client's answer they carry no meaning, and in Markdown they
    would end a list item or a table, or start a code block.
    """
    if isinstance(value, Markup):
        return value
    lines = [line.strip() for line in _LINE_BREAKS.split(str(value))]
    return Markup("\n".join(_escape_line(line) for line in lines if line))


def as_line(value: object) -> Markup:
    """as_text on one line: for a table cell or a heading, which a line break would end."""
    return Markup(" ".join(as_text(value).split("\n")))


def as_code(value: object) -> Markup:
    """Data as inline code; escaped like text (a Markdown code span would print the escapes)."""
    return Markup("<code>") + as_line(value) + Markup("</code>")


def anchor_id(value: object) -> str:
    """An element id (and #fragment) made of letters, digits, _ and - only."""
    return _ID.sub("-", str(value)).strip("-") or "section"


def _allowed(tag: str, attribute: str, value: str) -> str | None:
    """In-page anchors and absolute http(s), mailto and tel links only; plain ids."""
    if attribute == "href":
        link = value.strip()
        scheme = _SCHEME.match(link)
        if link.startswith("#") or (scheme and scheme.group(1).lower() in URL_SCHEMES):
            return value
        return None
    if attribute == "id":
        return anchor_id(value)
    if attribute == "src":
        return value if LOGO_SRC.match(value) else None
    return value


def sanitize_html(html: str, logo: bool = False) -> str:
    """The HTML with only what our templates produce: no script, style, handler or foreign URL.

    `logo` lets one kind of image through, an inline PNG or JPEG: only for the handbook's
    cover, which is cleaned apart from the chapters so that no template can show an image.
    """
    tags, attributes, classes = TAGS, ATTRIBUTES, CLASSES
    if logo:
        tags, attributes = TAGS | {"img"}, {**ATTRIBUTES, "img": {"src", "alt"}}
        classes = {**CLASSES, "img": {"logo"}}
    return nh3.clean(html, tags=tags, attributes=attributes, allowed_classes=classes,
                     url_schemes=URL_SCHEMES | {"data"} if logo else URL_SCHEMES,
                     attribute_filter=_allowed, strip_comments=True,
                     link_rel="noopener noreferrer")
