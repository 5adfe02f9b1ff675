"""Markdown of proposal texts: sanitised on the page, structured in the .docx, downloads named after their title."""
from __future__ import annotations

import io
from urllib.parse import unquote

from docx import Document

from app.web.markdown import add_markdown_to_docx, attachment_disposition, render_markdown


def test_markdown_is_rendered_and_sanitised():
    html = str(render_markdown("## 提案の概要\n\n**重要** な点\n\n- 一\n- 二\n\n<script>alert(1)</script>\n\n"
                               "[x](javascript:alert(1)) <img src=x onerror=alert(1)>"))
    assert "<h2>提案の概要</h2>" in html and "<strong>重要</strong>" in html and "<li>一</li>" in html
    assert "<script" not in html and "&lt;script&gt;" in html  # shown as text, never run
    assert 'href="javascript' not in html and "<img" not in html


def test_a_download_is_named_after_its_title():
    header = attachment_disposition('宇宙関連規制の一括提案/ロケット "A"', "docx", "package-2")
    assert header.startswith('attachment; filename="package-2.docx"; filename*=UTF-8\'\'')
    assert unquote(header.split("UTF-8''", 1)[1]) == "宇宙関連規制の一括提案 ロケット A.docx"
    assert "\r" not in attachment_disposition("a\r\nSet-Cookie: x", "csv", "p") .split("filename*")[1]


def test_the_docx_carries_headings_bold_and_lists():
    document = Document()
    add_markdown_to_docx(document, "## 提案の概要\n\n**重要** な点\n\n- 一\n- 二")
    buffer = io.BytesIO()
    document.save(buffer)
    paragraphs = Document(io.BytesIO(buffer.getvalue())).paragraphs
    assert [(p.style.name, p.text) for p in paragraphs] == [
        ("Heading 3", "提案の概要"), ("Normal", "重要 な点"), ("List Bullet", "一"), ("List Bullet", "二")]
    assert paragraphs[1].runs[0].bold and not paragraphs[1].runs[1].bold
    assert not any("**" in p.text or "##" in p.text for p in paragraphs)
