"""Markdown (minutes, agendas, proposal texts): rendered with markdown-it-py and sanitised with nh3 for pages,
as Word paragraphs for exports; and the Content-Disposition of a download named after its title."""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

# Raw HTML is not passed through by the parser, and nh3 removes whatever is left (scripts, handlers).
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "code", "pre",
    "blockquote", "a", "table", "thead", "tbody", "tr", "th", "td",
}


def render_markdown(text: str) -> Markup:
    html = _markdown.render(text or "")
    clean = nh3.clean(html, tags=_ALLOWED_TAGS, attributes={"a": {"href", "title"}}, url_schemes={"http", "https", "mailto"},
                      link_rel="noopener noreferrer nofollow")
    return Markup(clean)  # sanitised by nh3 just above  # noqa: S704  # nosec B704


def _runs(inline_token) -> list[tuple[str, bool, bool]]:
    """(text, bold, italic) pieces of one inline token."""
    pieces, bold, italic = [], False, False
    for child in inline_token.children or []:
        if child.type == "strong_open":
            bold = True
        elif child.type == "strong_close":
            bold = False
        elif child.type == "em_open":
            italic = True
        elif child.type == "em_close":
            italic = False
        elif child.type in ("text", "code_inline") and child.content:
            pieces.append((child.content, bold, italic))
        elif child.type in ("softbreak", "hardbreak"):
            pieces.append(("\n", bold, italic))
    return pieces


def add_markdown_to_docx(document, text: str | None, heading_offset: int = 1) -> None:
    """Headings, paragraphs with bold and italic, bulleted and numbered lists as Word paragraphs."""
    tokens = _markdown.parse(text or "")
    lists: list[str] = []
    heading_level = None
    for token in tokens:
        if token.type in ("bullet_list_open", "ordered_list_open"):
            lists.append("List Bullet" if token.type == "bullet_list_open" else "List Number")
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "heading_open":
            heading_level = min(int(token.tag[1]) + heading_offset, 9)
        elif token.type == "heading_close":
            heading_level = None
        elif token.type == "inline":
            if heading_level is not None:
                document.add_heading(token.content, level=heading_level)
                continue
            paragraph = document.add_paragraph(style=lists[-1] if lists else None)
            for content, bold, italic in _runs(token):
                run = paragraph.add_run(content)
                run.bold, run.italic = bold or None, italic or None
        elif token.type in ("fence", "code_block"):
            document.add_paragraph(token.content.rstrip("\n"))


def attachment_disposition(title: str, extension: str, fallback: str) -> str:
    """A Content-Disposition header naming the download after its title (RFC 6266 / RFC 5987).

    Old clients read the ASCII `filename` (the fallback), current ones the UTF-8 `filename*`.
    """
    name = unicodedata.normalize("NFC", title or "")
    name = re.sub(r'[\x00-\x1f\x7f/\\:*?"<>|\s]+', " ", name).strip(" .")[:150] or fallback
    return f"attachment; filename=\"{fallback}.{extension}\"; filename*=UTF-8''{quote(f'{name}.{extension}', safe='')}"
