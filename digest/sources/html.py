"""HTML bodies of feed items -> clean paragraphs, one per line.

The parsing is BeautifulSoup's (with the standard library's parser, so no
compiled dependency): block elements and <br> end a paragraph, scripts, styles,
images and other embedded media are dropped, and the lines WeChat puts around
every post (关注我们, 二维码, 点击蓝字, 阅读原文, 编辑/审核/校对) are left out.
The text that remains goes through the clean stage like an export's.
"""

from __future__ import annotations

import re
import warnings

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, NavigableString

# Never text: their content is code, media or metadata.
DROPPED_TAGS = ("script", "style", "noscript", "template", "head", "title", "meta", "link", "img", "picture",
                "svg", "video", "audio", "iframe", "object", "embed", "canvas", "map", "button", "input",
                "select", "textarea", "form", "mpvoice", "mpvideo", "mp-miniprogram", "qqmusic")
# Each of these starts and ends a paragraph.
BLOCK_TAGS = ("p", "div", "section", "article", "header", "footer", "aside", "nav", "main", "blockquote",
              "pre", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "table",
              "thead", "tbody", "tfoot", "tr", "figure", "figcaption", "hr", "address", "center")

# A WeChat furniture line: short, and made of these calls to action. A long
# line that merely mentions 二维码 (a news sentence about a QR-code service) stays.
_FURNITURE = re.compile(
    r"关注我们|关注.{0,8}公众号|点击蓝字|点击上方|点击下方|长按(?:识别|扫描|关注)|二维码|扫码关注|"
    r"阅读原文|点个?[“\"]?在看|分享.{0,4}点赞|点赞.{0,4}在看|转发.{0,4}收藏|↓|▼"
)
_FURNITURE_MAX_CHARS = 30
# 编辑/审核/校对 credit lines (the export keeps them and the clean stage files them as credits).
_CREDIT = re.compile(r"^[（(]?\s*(?:责任编辑|编辑|责编|审核|审校|校对|初审|复审|终审|监制|统筹|排版)\s*[:：丨|｜]")


def html_paragraphs(html: str) -> list[str]:
    """The paragraphs of an HTML fragment or page, in order, furniture and credits left out."""
    if not html or not html.strip():
        return []
    with warnings.catch_warnings():
        # A body that is only a URL or a file name is still a body.
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(DROPPED_TAGS):
        tag.decompose()
    for tag in soup.find_all("br"):
        tag.replace_with(NavigableString("\n"))
    for tag in soup.find_all(BLOCK_TAGS):
        tag.insert_before(NavigableString("\n"))
        tag.insert_after(NavigableString("\n"))
    lines = (" ".join(line.split()) for line in soup.get_text().split("\n"))
    return [line for line in lines if line and not is_furniture(line)]


def is_furniture(line: str) -> bool:
    """A line a reader of the briefing never needs: follow-us calls, QR codes, credits."""
    if _CREDIT.match(line):
        return True
    return len(line) <= _FURNITURE_MAX_CHARS and bool(_FURNITURE.search(line))


def looks_like_html(text: str) -> bool:
    """Whether a feed's text field holds markup (descriptions are often plain text)."""
    return bool(re.search(r"<\s*(?:p|br|div|section|span|img|strong|a|h\d|ul|li|table)\b", text, re.IGNORECASE))


def plain_paragraphs(text: str) -> list[str]:
    """Plain text (a description, a JSON item's text) as paragraphs; markup, where there is any, parsed."""
    if looks_like_html(text):
        return html_paragraphs(text)
    lines = (" ".join(line.split()) for line in text.splitlines())
    return [line for line in lines if line and not is_furniture(line)]
