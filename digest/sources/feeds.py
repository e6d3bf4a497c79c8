"""RSS 2.0, Atom 1.0 and JSON Feed 1.x (and we-mp-rss's own JSON) -> feed posts.

A feed is recognised by its content, never by its file name: XML whose root is
<rss>, <rdf:RDF> or <feed>, or JSON with a JSON Feed `version` or we-mp-rss's
`{name, link, items: [{… channel_name …}]}`. XML is parsed by defusedxml, so a
document that declares entities (an expansion bomb, an external entity) is
refused as a whole with a reason, and nothing in it is read.

Each item keeps what it has: a body (HTML made into paragraphs), else its
description or summary, marked `description_only`. Times become days in
Asia/Shanghai, whatever zone the feed writes them in.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any, Iterator
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException, EntitiesForbidden, ExternalReferenceForbidden

from ..clock import TIMEZONE
from ..ingest import _aid_from_text, _aid_from_url, _one_line, safe_url
from ..records import Article, Skip
from .html import html_paragraphs, plain_paragraphs

# What fulltext mode writes when it could not fetch the article (wewe-rss).
FETCH_FAILED_BODIES = ("获取全文失败，请重试~",)
# A feed of every account of a WeChat-to-feed server: its title is not an account.
# (Its URL or file name says `all`: /feeds/all.atom, /feed/all.rss.)
_AGGREGATE_PATH = re.compile(r"(?:^|[/\s])all\.(?:rss|atom|json|xml)\b|/feeds?/all/?(?:\s|$)", re.IGNORECASE)
_WECHAT_SHORT = re.compile(r"^/s/([A-Za-z0-9_-]{8,})$")
_TRACKING_KEYS = ("chksm", "scene", "srcid", "sharer_sharetime", "sharer_shareid", "clicktime", "enterid",
                  "from", "isappinstalled", "ascene", "devicetype", "version", "pass_ticket", "exportkey")


class FeedError(ValueError):
    """A document that is not a feed, or a feed that cannot be read; the message is the skip reason."""


@dataclass(frozen=True)
class FeedPost:
    article: Article
    link_key: str  # the canonical link; '' when the item has none
    description_only: bool  # no body in the feed: the article's content is its description or summary
    account_known: bool  # the account came from the item or a per-account feed, not an aggregate's title

    @property
    def content_key(self) -> str:
        """The post by its words: title and text, whitespace aside."""
        if not self.article.content:
            return ""  # a bare title is too little to call two posts the same
        text = "".join(f"{self.article.title}\n{self.article.content}".split())
        return "sha1:" + hashlib.sha1(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ParsedFeed:
    kind: str  # rss | atom | rdf | jsonfeed | we-mp-rss-json
    title: str
    posts: tuple[FeedPost, ...]
    skipped: tuple[Skip, ...]


def sniff(data: bytes) -> str | None:
    """'xml' or 'json' when `data` could be a feed, else None (it is left to the export reader)."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return "xml"
    if head.startswith(b"{"):
        try:
            document = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError):
            return None
        return "json" if _json_feed_kind(document) else None
    return None


def parse_feed(data: bytes, source: str, feed_url: str = "") -> ParsedFeed:
    """Every item of the feed in `data` as a FeedPost; FeedError when the document is refused."""
    if sniff(data) == "json":
        return _parse_json(json.loads(data.decode("utf-8-sig")), source, feed_url)
    if sniff(data) != "xml":
        raise FeedError("not a feed: neither XML nor a JSON feed")
    try:
        root = SafeET.fromstring(data)
    except EntitiesForbidden as exc:
        what = (f"an external entity ({exc.sysid or exc.pubid})" if exc.sysid or exc.pubid
                else "an entity, which could expand without bound")
        raise FeedError(f"refused: the XML declares {what}; nothing in this feed was read") from None
    except ExternalReferenceForbidden:
        raise FeedError("refused: the XML refers to an external resource; nothing in this feed was read") from None
    except DefusedXmlException as exc:
        raise FeedError(f"refused: unsafe XML ({type(exc).__name__})") from None
    except ParseError as exc:
        raise FeedError(f"not well-formed XML: {exc}") from None
    name = _local(root.tag)
    if name == "rss":
        channel = _child(root, "channel")
        if channel is None:
            raise FeedError("RSS document without a <channel>")
        return _parse_rss(channel, channel, "rss", source, feed_url)
    if name == "RDF":  # RSS 1.0: items are siblings of the channel
        channel = _child(root, "channel")
        return _parse_rss(root if channel is None else channel, root, "rdf", source, feed_url)
    if name == "feed":
        return _parse_atom(root, source, feed_url)
    raise FeedError(f"not a feed: the XML root is <{name}>, not <rss> or <feed>")


# RSS -----------------------------------------------------------------------

def _parse_rss(channel: Element, holder: Element, kind: str, source: str, feed_url: str) -> ParsedFeed:
    title = _text(_child(channel, "title"))
    aggregate = _is_aggregate(feed_url, _text(_child(channel, "link")), title)
    items = [(number, item) for number, item in enumerate(_children(holder, "item"), start=1)]
    posts, skipped = [], []
    for number, item in items:
        link = _text(_child(item, "link")) or _permalink_guid(item)
        author = _text(_child(item, "author")) or _text(_child(item, "creator"))
        fields = dict(
            title=_text(_child(item, "title")), link=link, guid=_text(_child(item, "guid")) or _text(_child(item, "id")),
            body=_text(_child(item, "encoded")),
            description=_text(_child(item, "description")),
            time=_text(_child(item, "pubDate")) or _text(_child(item, "date")) or _text(_child(item, "updated")),
            author=_author_name(author),
        )
        _collect(posts, skipped, fields, title, aggregate, source, number)
    return ParsedFeed(kind, title, tuple(posts), tuple(skipped))


def _permalink_guid(item: Element) -> str:
    guid = _child(item, "guid")
    return _text(guid) if guid is not None and guid.get("isPermaLink", "true") != "false" else ""


def _author_name(text: str) -> str:
    """RSS authors are often 'mail@example.org (Name)'."""
    match = re.fullmatch(r"\s*\S+@\S+\s*\((.+)\)\s*", text)
    return match[1] if match else ("" if "@" in text and " " not in text.strip() else text)


# Atom ----------------------------------------------------------------------

def _parse_atom(root: Element, source: str, feed_url: str) -> ParsedFeed:
    title = _text(_child(root, "title"))
    links = " ".join(link.get("href", "") for link in _children(root, "link"))
    aggregate = _is_aggregate(feed_url, f"{_text(_child(root, 'id'))} {links}", title)
    posts, skipped = [], []
    for number, entry in enumerate(_children(root, "entry"), start=1):
        content = _child(entry, "content")
        fields = dict(
            title=_text(_child(entry, "title")), link=_atom_link(entry), guid=_text(_child(entry, "id")),
            body=_text(_child(entry, "encoded")) or (_text(content) if content is not None else ""),
            body_is_text=content is not None and content.get("type", "text") == "text",
            description=_text(_child(entry, "summary")),
            time=_text(_child(entry, "published")) or _text(_child(entry, "updated")),
            author=_atom_author(entry),
        )
        _collect(posts, skipped, fields, title, aggregate, source, number)
    return ParsedFeed("atom", title, tuple(posts), tuple(skipped))


def _atom_link(entry: Element) -> str:
    links = list(_children(entry, "link"))
    for link in links:
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link.get("href", "")
    return ""


def _atom_author(entry: Element) -> str:
    author = _child(entry, "author")
    if author is None:
        return ""
    # we-mp-rss writes the account as the <author>'s own text, with no <name>.
    return _text(_child(author, "name")) or _text(author)


# JSON ----------------------------------------------------------------------

def _json_feed_kind(document: Any) -> str | None:
    if not isinstance(document, dict) or not isinstance(document.get("items"), list):
        return None
    if str(document.get("version", "")).startswith("https://jsonfeed.org/version/"):
        return "jsonfeed"
    items = [i for i in document["items"] if isinstance(i, dict)]
    if ("name" in document or "link" in document) and any("channel_name" in i or "updated" in i for i in items):
        return "we-mp-rss-json"
    return None


def _parse_json(document: dict, source: str, feed_url: str) -> ParsedFeed:
    kind = _json_feed_kind(document) or "jsonfeed"
    title = _scalar(document.get("title") if kind == "jsonfeed" else document.get("name"))
    where = " ".join(_scalar(document.get(k)) for k in ("feed_url", "home_page_url", "link"))
    aggregate = _is_aggregate(feed_url, where, title)
    posts, skipped = [], []
    for number, item in enumerate(document["items"], start=1):
        if not isinstance(item, dict):
            skipped.append(Skip(reason=f"feed item is a JSON {type(item).__name__}, not an object",
                                file=source, position=number))
            continue
        if kind == "jsonfeed":
            authors = item.get("authors") or [item.get("author")]
            author = next((_scalar(a.get("name")) for a in authors if isinstance(a, dict) and a.get("name")), "")
            fields = dict(
                title=_scalar(item.get("title")), link=_scalar(item.get("url")), guid=_scalar(item.get("id")),
                body=_scalar(item.get("content_html")), description=_scalar(item.get("summary")),
                text=_scalar(item.get("content_text")),
                time=_scalar(item.get("date_published")) or _scalar(item.get("date_modified")), author=author,
            )
        else:
            feed = item.get("feed") if isinstance(item.get("feed"), dict) else {}
            fields = dict(
                title=_scalar(item.get("title")), link=_scalar(item.get("link")), guid=_scalar(item.get("id")),
                body=_scalar(item.get("content")), description=_scalar(item.get("description")),
                time=_scalar(item.get("updated")) or _scalar(item.get("publish_time")),
                author=_scalar(item.get("channel_name")) or _scalar(feed.get("name")),
            )
        _collect(posts, skipped, fields, title, aggregate, source, number)
    return ParsedFeed(kind, title, tuple(posts), tuple(skipped))


# One item -> FeedPost ------------------------------------------------------

def _collect(posts: list, skipped: list, fields: dict, feed_title: str, aggregate: bool,
             source: str, number: int) -> None:
    try:
        posts.append(_post(fields, feed_title, aggregate, source, number))
    except ValueError as exc:
        published = None
        try:
            published = parse_time(fields.get("time", "")).date()
        except ValueError:
            pass
        aid = _post_aid(safe_url(fields.get("link", "")), fields.get("guid", ""), "", "")
        skipped.append(Skip(reason=str(exc), aid=aid or None, file=source, position=number, published=published))


def _post(fields: dict, feed_title: str, aggregate: bool, source: str, number: int) -> FeedPost:
    title = _one_line(fields["title"])
    url = safe_url(fields["link"])
    published = parse_time(fields["time"])
    body = fields["body"]
    if body.strip() in FETCH_FAILED_BODIES:
        body = ""
    paragraphs = plain_paragraphs(body) if fields.get("body_is_text") else html_paragraphs(body)
    if _only_the_title(paragraphs, title):
        paragraphs = []
    description_only = not paragraphs
    if description_only:
        paragraphs = plain_paragraphs(fields.get("text", "")) or plain_paragraphs(fields["description"])
        if _only_the_title(paragraphs, title):
            paragraphs = []
    if not paragraphs and not title:
        raise ValueError("feed item has no title and no text")
    # A title alone is kept for now: another feed may carry the post's text (merge_copies decides).
    content = "\n".join(paragraphs)
    account = _one_line(fields["author"]) or ("" if aggregate else _one_line(feed_title))
    article = Article(
        aid=_post_aid(url, fields["guid"], title, content),
        title=title,
        url=url,
        published=published.date(),
        account=account,
        content=content,
        source_file=source,
        position=number,
    )
    return FeedPost(article, canonical_link(url), description_only, account_known=bool(account))


def _only_the_title(paragraphs: list[str], title: str) -> bool:
    squeeze = lambda text: "".join(text.split())  # noqa: E731
    return bool(title) and len(paragraphs) == 1 and squeeze(paragraphs[0]) == squeeze(title)


def _post_aid(url: str, guid: str, title: str, content: str) -> str:
    """The export's aid where the link carries it (mid_idx), else the short link id, the item id, a hash of the words."""
    if aid := _aid_from_url(url):
        return aid
    if url and (short := _WECHAT_SHORT.match(re.sub(r"^https?://[^/]+", "", url.split("?")[0].split("#")[0]))):
        return short[1]
    guid = _one_line(guid)
    if guid and not re.match(r"(?i)^(https?:|urn:|tag:)", guid):
        return guid
    return _aid_from_text(title, content)  # as for an export record without an aid


def canonical_link(url: str) -> str:
    """One spelling per post: https, lower-case host, no fragment, no tracking or share parameters.

    A WeChat link keeps only the keys that name the post (__biz, mid, idx, sn).
    """
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    url = safe_url(url)
    if not url:
        return ""
    parts = urlsplit(url)
    host = parts.hostname.lower() if parts.hostname else ""
    query = parse_qsl(parts.query, keep_blank_values=True)
    if host == "mp.weixin.qq.com":
        scheme = "https"
        query = [(k, v) for k, v in query if k in ("__biz", "mid", "idx", "sn")]
    else:
        scheme = parts.scheme.lower()
        query = [(k, v) for k, v in query if k not in _TRACKING_KEYS and not k.startswith("utm_")]
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(sorted(query)), ""))


def _is_aggregate(feed_url: str, links: str, title: str) -> bool:
    return bool(_AGGREGATE_PATH.search(f"{feed_url} {links}")) or title.strip().endswith((" All", "全部文章"))


def parse_time(text: str) -> dt.datetime:
    """An RFC 822 or ISO 8601 time, as an aware datetime in Asia/Shanghai (a zone-less time is taken as local)."""
    text = (text or "").strip()
    if not text:
        raise ValueError("feed item has no publication time")
    parsed: dt.datetime | None = None
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            parsed = None
    if parsed is None:
        raise ValueError(f"unreadable publication time: {text!r}")
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=TIMEZONE)
    return parsed.astimezone(TIMEZONE)


# XML helpers ---------------------------------------------------------------

def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(parent: Element, name: str) -> Iterator[Element]:
    return (child for child in parent if _local(child.tag) == name)


def _child(parent: Element, name: str) -> Element | None:
    return next(_children(parent, name), None)


def _text(element: Element | None) -> str:
    return "".join(element.itertext()).strip() if element is not None else ""


def _scalar(value: Any) -> str:
    return "" if value is None or isinstance(value, (dict, list, bool)) else str(value).strip()
