"""Report texts as Markdown: parsed with markdown-it-py, sanitised with an nh3 allow-list.

Coordinators write paragraphs, headings, lists, tables with a header row, links and footnotes.
The result is one HTML fragment that serves both the browser and WeasyPrint:

- headings start at ``heading`` (h3 under a section's h2) and never go deeper than h5;
- a table's header cells get ``scope="col"``; a body row whose first cell is all bold gets a
  ``<th scope="row">``; a paragraph "Tabell 1. …" (or "Tabell 1 – …", "Tabell 1: …") right
  before a table becomes its ``<caption>``;
- links only for http, https and mailto; raw HTML and images are never parsed;
- each footnote is written twice: inline after its reference (``span.fn-body``, which the PDF
  stylesheet floats to the page foot) and as an end note list (``div.endnotes``, shown on
  screen only). ``number_from`` continues the numbering across several texts of one document and
  ``prefix`` keeps their ids unique.

Hostile input is bounded: control characters are dropped, the text is cut at ``MAX_CHARS`` and
markdown-it's ``maxNesting`` caps nested lists.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any, cast

import nh3
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.footnote import footnote_plugin

MAX_CHARS = 60_000
MAX_NESTING = 12
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
CAPTION_RE = re.compile(r"^Tabell\s+\d+\s*(?:[.:–—-]|$)")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e]")
_PREFIX_RE = re.compile(r"[^a-z0-9-]+")

ALLOWED_TAGS = {
    "p",
    "br",
    "h3",
    "h4",
    "h5",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "a",
    "sup",
    "span",
    "div",
    "table",
    "caption",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
INLINE_TAGS = {"br", "strong", "em", "a", "sup", "span"}
_PARAGRAPH_END_RE = re.compile(r"\s*</p>\s*(?=.)", re.S)
_BLOCK_END_RE = re.compile(r"\s*</(?:li|h[1-6]|tr|caption)>\s*")
ALLOWED_ATTRIBUTES = {
    "a": {"href", "id", "aria-label"},
    "th": {"scope"},
    "ol": {"start"},
    "li": {"id", "value"},
    "div": {"role", "aria-label"},
    "span": {"id", "role", "aria-label"},
}
ALLOWED_CLASSES = {
    "sup": {"fn-ref"},
    "span": {"fn-body", "endnotes", "endnote"},
    "a": {"fn-back"},
    "div": {"endnotes"},
    "ol": {"footnotes"},
    "th": {"num", "center"},
    "td": {"num", "center"},
    "table": {"data", "user-table"},
}


def _validate_link(url: str) -> bool:
    scheme, sep, _rest = url.strip().partition(":")
    return bool(sep) and scheme.lower() in LINK_SCHEMES


def _shift_headings(state: StateCore) -> None:
    base = state.env.get("heading_base", 3)
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(5, base + int(token.tag[1]) - 1)
            token.tag = f"h{level}"


def _table_cells(state: StateCore) -> None:
    """scope on header cells, row headers from an all-bold first cell, classes for alignment
    (an inline style would break the Content-Security-Policy)."""
    tokens = state.tokens
    in_body = False
    for i, token in enumerate(tokens):
        if token.type == "tbody_open":
            in_body = True
        elif token.type == "tbody_close":
            in_body = False
        elif token.type == "table_open":
            token.attrSet("class", "data user-table")
        elif token.type in ("th_open", "td_open"):
            style = str(token.attrGet("style") or "")
            token.attrs.pop("style", None)
            if "right" in style:
                token.attrSet("class", "num")
            elif "center" in style:
                token.attrSet("class", "center")
            if token.type == "th_open":
                token.attrSet("scope", "col")
            elif in_body and tokens[i - 1].type == "tr_open" and _all_bold(tokens[i + 1]):
                _to_row_header(token, tokens[i + 1], tokens, i)


def _all_bold(inline: Token) -> bool:
    children = [c for c in inline.children or [] if c.type != "text" or c.content.strip()]
    return (
        len(children) >= 3
        and children[0].type == "strong_open"
        and children[-1].type == "strong_close"
        and all(c.type != "strong_close" for c in children[1:-1])
    )


def _to_row_header(open_token: Token, inline: Token, tokens: list[Token], i: int) -> None:
    open_token.type, open_token.tag = "th_open", "th"
    open_token.attrSet("scope", "row")
    children = [c for c in inline.children or [] if c.type != "text" or c.content.strip()]
    inline.children = children[1:-1]
    for token in tokens[i + 2 :]:
        if token.type == "td_close":
            token.type, token.tag = "th_close", "th"
            break


def _captions(state: StateCore) -> None:
    """A paragraph "Tabell N. …" directly before a table becomes the table's caption."""
    tokens = state.tokens
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        if (
            i + 3 < len(tokens)
            and tokens[i].type == "paragraph_open"
            and tokens[i + 3].type == "table_open"
            and tokens[i].level == tokens[i + 3].level
            and CAPTION_RE.match(tokens[i + 1].content)
        ):
            caption_open = Token("caption_open", "caption", 1)
            caption_close = Token("caption_close", "caption", -1)
            out.extend([tokens[i + 3], caption_open, tokens[i + 1], caption_close])
            i += 4
            continue
        out.append(tokens[i])
        i += 1
    state.tokens = out


class _Markdown(MarkdownIt):
    def validateLink(self, url: str) -> bool:  # noqa: N802 (markdown-it's name)
        return _validate_link(url)


def _parser() -> MarkdownIt:
    md = _Markdown(
        "commonmark", {"html": False, "breaks": True, "linkify": False, "maxNesting": MAX_NESTING}
    )
    md.enable("table").disable("image").use(footnote_plugin, inline=False)
    md.core.ruler.push("kv_headings", _shift_headings)
    md.core.ruler.push("kv_tables", _table_cells)
    md.core.ruler.push("kv_captions", _captions)
    md.add_render_rule("footnote_ref", _render_footnote_ref)
    return md


def _render_footnote_ref(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    meta = tokens[idx].meta
    number = env["number_from"] + meta["id"]
    prefix = env["prefix"]
    sub = meta.get("subId", 0)
    anchor = f"fnref-{prefix}-{number}" + (f"-{sub}" if sub else "")
    call = (
        f'<sup class="fn-ref"><a href="#fn-{prefix}-{number}" id="{anchor}" '
        f'aria-label="{escape(env["label"] % {"n": number})}">{number}</a></sup>'
    )
    if sub:
        return call
    return call + f'<span class="fn-body">{env["bodies"].get(meta["id"], "")}</span>'


@dataclass(frozen=True)
class RichText:
    html: str
    footnotes: int


_MD = _parser()
_RENDERER = cast(RendererHTML, _MD.renderer)


def clean_source(text: str) -> str:
    """The text the parser sees: no control characters, unified line ends, bounded length."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_RE.sub("", text)[:MAX_CHARS]


def _split_footnotes(
    tokens: list[Token], env: dict[str, Any]
) -> tuple[list[Token], dict[int, str], dict[int, str]]:
    """(main tokens, inline bodies by footnote id, block bodies by footnote id)."""
    try:
        start = next(i for i, t in enumerate(tokens) if t.type == "footnote_block_open")
    except StopIteration:
        return tokens, {}, {}
    inline: dict[int, str] = {}
    block: dict[int, str] = {}
    current: list[Token] = []
    fid = -1
    for token in tokens[start + 1 :]:
        if token.type == "footnote_open":
            fid, current = token.meta["id"], []
        elif token.type == "footnote_close":
            block[fid] = _MD.renderer.render(current, _MD.options, env)
            inline[fid] = " ".join(
                _RENDERER.renderInline(t.children or [], _MD.options, env)
                for t in current
                if t.type == "inline"
            )
        elif token.type != "footnote_anchor":
            current.append(token)
    return tokens[:start], inline, block


def _endnotes(block: dict[int, str], env: dict[str, Any], label: str, back: str) -> str:
    prefix, first = env["prefix"], env["number_from"]
    items = []
    for fid in sorted(block):
        n = first + fid
        items.append(
            f'<li id="fn-{prefix}-{n}" value="{n}">{block[fid]}'
            f'<a class="fn-back" href="#fnref-{prefix}-{n}" '
            f'aria-label="{escape(back % {"n": n})}">↩</a></li>'
        )
    return (
        f'<div class="endnotes" role="note" aria-label="{escape(label)}">'
        f'<ol class="footnotes" start="{first}">{"".join(items)}</ol></div>'
    )


def render_markdown(
    text: str,
    *,
    prefix: str = "t",
    number_from: int = 1,
    heading: int = 3,
    labels: dict[str, str] | None = None,
    inline: bool = False,
) -> RichText:
    """Markdown → sanitised HTML. ``labels`` holds the (translated) accessible names:
    ``ref`` and ``back`` with ``%(n)s``, and ``notes`` for the end note list.

    ``inline`` gives phrasing content only, for a text that sits inside a paragraph (an
    activity's description): paragraphs and list items become line breaks, other blocks their
    text, and the end notes a list of spans."""
    labels = {
        "ref": "Fotnot %(n)s",
        "back": "Tillbaka till fotnot %(n)s i texten",
        "notes": "Fotnoter",
        **(labels or {}),
    }
    env: dict[str, Any] = {
        "prefix": _PREFIX_RE.sub("-", prefix.lower()).strip("-") or "t",
        "number_from": max(1, number_from),
        "heading_base": min(5, max(3, heading)),
        "label": labels["ref"],
        "bodies": {},
    }
    tokens = _MD.parse(clean_source(text), env)
    main, bodies, block = _split_footnotes(tokens, env)
    env["bodies"] = bodies
    html = _MD.renderer.render(main, _MD.options, env)
    if inline:
        html = _PARAGRAPH_END_RE.sub("<br><br>", html.strip())
        html = re.sub(r"(?:<br>|</[a-z]+>|\s)+$", "", _BLOCK_END_RE.sub("<br>", html))
        if block:
            html += _inline_endnotes(bodies, env, labels["notes"], labels["back"])
        return RichText(html=sanitise(html, tags=INLINE_TAGS), footnotes=len(block))
    if block:
        html += _endnotes(block, env, labels["notes"], labels["back"])
    return RichText(html=sanitise(html), footnotes=len(block))


def _inline_endnotes(bodies: dict[int, str], env: dict[str, Any], label: str, back: str) -> str:
    prefix, first = env["prefix"], env["number_from"]
    items = "".join(
        f'<span class="endnote" id="fn-{prefix}-{first + fid}">{first + fid}. {bodies[fid]}'
        f'<a class="fn-back" href="#fnref-{prefix}-{first + fid}" '
        f'aria-label="{escape(back % {"n": first + fid})}">↩</a></span>'
        for fid in sorted(bodies)
    )
    return f'<span class="endnotes" role="note" aria-label="{escape(label)}">{items}</span>'


def sanitise(html: str, *, tags: set[str] = ALLOWED_TAGS) -> str:
    return nh3.clean(
        html,
        tags=tags,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(LINK_SCHEMES),
        allowed_classes=ALLOWED_CLASSES,
        link_rel="noopener noreferrer",
    )
