"""Block Kit as terminal text, for the shell: mentions resolved, buttons numbered."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.markup import escape as escape_markup

_CONTROL = re.compile(r"<([@#!])([^>|]+)(?:\|([^>]*))?>|<(https?://[^>|]+)(?:\|([^>]*))?>")


@dataclass(frozen=True)
class Button:
    label: str
    action_id: str
    block_id: str
    value: str


Namer = Callable[[str], str | None]


def mrkdwn_to_text(text: str, *, user_name: Namer, channel_name: Namer, group_name: Namer) -> str:
    def replace(match: re.Match[str]) -> str:
        sigil, target, label, url, url_label = match.groups()
        if url:
            return f"{url_label} ({url})" if url_label else url
        if sigil == "@":
            return "@" + (user_name(target) or label or target)
        if sigil == "#":
            return "#" + (channel_name(target) or label or target)
        if target.startswith("subteam^"):
            group = target.split("^", 1)[1]
            return "@" + (group_name(group) or (label or group).lstrip("@"))
        return f"@{target}"  # <!here>, <!channel>

    # Control sequences first, then Slack's three entities: "&lt;!channel&gt;" stays literal.
    shown = _CONTROL.sub(replace, text)
    return shown.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


_BOLD = re.compile(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])")
_ITALIC = re.compile(r"(?<![\w_])_([^_\n]+)_(?![\w_])")
_STRIKE = re.compile(r"(?<![\w~])~([^~\n]+)~(?![\w~])")


def rich_markup(line: str) -> str:
    """A line of the shell's text as rich markup: mrkdwn's *bold*, _italics_ and ~strike~
    styled, everything else (brackets included) shown as it is; emoji codes are rich's."""
    shown = escape_markup(line)
    shown = _BOLD.sub(r"[bold]\1[/bold]", shown)
    shown = _ITALIC.sub(r"[italic]\1[/italic]", shown)
    return _STRIKE.sub(r"[strike]\1[/strike]", shown)


def render_blocks(
    blocks: list[dict[str, Any]], *, text: Callable[[str], str], add_button: Callable[[Button], int]
) -> list[str]:
    lines: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            lines.append(f"== {block['text']['text']} ==")
        elif kind == "section":
            if block.get("text"):
                lines.extend(_text_lines(block["text"], text))
            for item in block.get("fields") or []:
                lines.extend("  " + line for line in _text_lines(item, text))
            accessory = block.get("accessory")
            if accessory and accessory.get("type") == "button":
                lines.append(_buttons([accessory], block, add_button))
        elif kind == "context":
            parts = [_plain(el, text) for el in block.get("elements", []) if "text" in el]
            lines.append("  · " + " ".join(parts))
        elif kind == "divider":
            lines.append("  ---")
        elif kind == "actions":
            lines.append(_buttons(block.get("elements", []), block, add_button))
        elif kind == "input":
            label = block.get("label", {}).get("text", "")
            optional = " (optional)" if block.get("optional") else ""
            lines.append(f"  [{block.get('block_id')}] {label}{optional}")
        elif kind == "markdown":
            lines.extend(text(block.get("text", "")).splitlines())
    return lines


def _plain(obj: dict[str, Any], text: Callable[[str], str]) -> str:
    return text(obj["text"]) if obj.get("type") == "mrkdwn" else str(obj.get("text", ""))


def _text_lines(obj: dict[str, Any], text: Callable[[str], str]) -> list[str]:
    return _plain(obj, text).splitlines() or [""]


def _buttons(
    elements: list[dict[str, Any]], block: dict[str, Any], add_button: Callable[[Button], int]
) -> str:
    shown = []
    for element in elements:
        if element.get("type") != "button":
            continue
        button = Button(
            label=element["text"]["text"],
            action_id=element.get("action_id", ""),
            block_id=block.get("block_id", ""),
            value=element.get("value", ""),
        )
        shown.append(f"[{add_button(button)}] {button.label}")
    return "    " + "  ".join(shown)
