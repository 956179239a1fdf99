"""Slack's documented Block Kit and message limits, as the fake Slack Web API enforces them.

Kept apart from the product's own pre-send checks on purpose: if the fake used the product's
numbers, a wrong number in the product could never fail a test. Each number cites the Slack page
it comes from; only the standard library is imported, so no product code can leak in. A
``Problem`` carries the error code the real Web API answers with; its ``str`` is the message.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Final

# Error codes as listed under "errors" in Slack's method reference (slack-api-ref
# methods/chat.postMessage.json, chat.update.json, views.open.json, views.publish.json).
INVALID_BLOCKS: Final = "invalid_blocks"
MSG_TOO_LONG: Final = "msg_too_long"
MSG_BLOCKS_TOO_LONG: Final = "msg_blocks_too_long"
NO_TEXT: Final = "no_text"
INVALID_ARGUMENTS: Final = "invalid_arguments"
VIEW_TOO_LARGE: Final = "view_too_large"

LIMITS: Final[dict[str, int]] = {
    # "Blocks" reference: "up to 50 blocks in each message, and 100 blocks in modals or Home tabs".
    "message.blocks": 50,
    "view.blocks": 100,
    # chat.* reference, warning message_truncated: "no more than 40,000 characters". chat.update's
    # msg_too_long entry says 4,000; the fake keeps the number every chat method states.
    "message.text": 40_000,
    # Undocumented: msg_blocks_too_long comes at "about 13k" of block text in all (FACTS.md §3;
    # bolt-js #2509 measured 13,297 for markdown blocks alone, less once other blocks are added).
    "message.blocks_text": 13_000,
    # "Markdown block" reference: "The cumulative limit for all markdown blocks in a single
    # payload is 12,000 characters". The page names no error code; msg_blocks_too_long is what
    # bolt-js #2509 got for a message of markdown blocks only.
    "markdown.text_total": 12_000,
    # views.open / views.publish / views.update reference, view_too_large: "greater than 250kb".
    "view.bytes": 250_000,
    # "Section block" reference: text 1-3000; fields at most 10 items of at most 2000 each.
    "section.text": 3000,
    "section.fields": 10,
    "section.field_text": 2000,
    # "Header block" reference.
    "header.text": 150,
    # "Context block" reference: "Maximum number of items is 10".
    "context.elements": 10,
    # "Actions block" reference: "a maximum of 25 elements in each action block".
    "actions.elements": 25,
    # "Input block" reference: label and hint text.
    "input.label": 2000,
    "input.hint": 2000,
    # Every block page (block_id); every interactive element page (action_id, placeholder).
    "block_id": 255,
    "action_id": 255,
    "placeholder": 150,
    # "Button element" reference.
    "button.text": 75,
    "button.value": 2000,
    "button.url": 3000,
    # "Overflow menu element" reference: options is required, "an array of up to five".
    "overflow.options": 5,
    # "Select menu element" and "Option group object" references.
    "select.options": 100,
    "select.option_groups": 100,
    "option_group.label": 75,
    "option_group.options": 100,
    # "Option object" reference.
    "option.text": 75,
    "option.value": 150,
    "option.description": 75,
    "option.url": 3000,
    # "Confirmation dialog object" reference.
    "confirm.title": 100,
    "confirm.text": 300,
    "confirm.confirm": 30,
    "confirm.deny": 30,
    # "Plain-text input element" reference: max_length 1-3000, min_length 0-3000.
    "plain_text_input.length": 3000,
    # "Modal views" reference; callback_id and private_metadata hold for Home tabs too.
    "view.title": 24,
    "view.submit": 24,
    "view.close": 24,
    "view.private_metadata": 3000,
    "view.callback_id": 255,
    # views.open reference, usage info: external_id "has a max length of 255 characters".
    "view.external_id": 255,
}

# Per type: (key, limit) for the strings or text objects the references cap.
_LENGTHS: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    "header": (("text", "header.text"),),
    "input": (("label", "input.label"), ("hint", "input.hint")),
    "button": (("text", "button.text"), ("value", "button.value"), ("url", "button.url")),
}
# Per type: (key, fewest items, limit) for arrays the docs cap; fewest 1 where "Required".
_SELECTS: Final = (("options", 0, "select.options"), ("option_groups", 0, "select.option_groups"))
_COUNTS: Final[dict[str, tuple[tuple[str, int, str], ...]]] = {
    "context": (("elements", 1, "context.elements"),),
    "actions": (("elements", 1, "actions.elements"),),
    "overflow": (("options", 1, "overflow.options"),),
    "static_select": _SELECTS,
    "multi_static_select": _SELECTS,
}
# Fields the references mark "Required" whose absence Slack refuses.
_REQUIRED: Final[dict[str, tuple[str, ...]]] = {
    "header": ("text",),
    "input": ("label", "element"),
    "context": ("elements",),
    "actions": ("elements",),
    "overflow": ("options",),
}
_TEXT_OBJECTS: Final = frozenset({"plain_text", "mrkdwn"})


@dataclass(frozen=True)
class Problem:
    """One broken limit: the error ``code`` Slack answers with and a message naming the spot."""

    code: str
    message: str

    def __str__(self) -> str:
        return self.message


def _text(value: Any) -> str | None:
    """The string of a text object, or the value itself when it is a bare string."""
    if isinstance(value, dict):
        value = value.get("text")
    return value if isinstance(value, str) else None


class _Walk:
    """One pass over blocks: collects problems, every text's length and the block_ids seen."""

    def __init__(self, code: str) -> None:
        self.code = code  # messages answer invalid_blocks, views invalid_arguments
        self.problems: list[Problem] = []
        self.text_chars = 0
        self.markdown_chars = 0
        self.block_ids: set[str] = set()
        self.has_input = False

    def add(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.code, f"{where}: {message}"))

    def length(self, where: str, what: str, value: Any, limit: str) -> None:
        text = _text(value)
        if text is not None and len(text) > LIMITS[limit]:
            self.add(where, f"{what} is {len(text)} characters; the limit is {LIMITS[limit]}")

    def count(self, where: str, what: str, items: Any, limit: str, fewest: int = 0) -> None:
        if not isinstance(items, list):
            return
        if len(items) > LIMITS[limit]:
            self.add(where, f"{len(items)} {what}; the limit is {LIMITS[limit]}")
        elif len(items) < fewest:
            self.add(where, f"{len(items)} {what}; at least {fewest} needed")

    def blocks(self, blocks: list[Any], where: str) -> None:
        for i, block in enumerate(blocks):
            at = f"{where}[{i}]"
            if not isinstance(block, dict) or not isinstance(block.get("type"), str):
                self.add(at, "a block must be an object with a type")
                continue
            at = f"{at} ({block['type']})"
            block_id = block.get("block_id")
            if isinstance(block_id, str):
                self.length(at, "block_id", block_id, "block_id")
                if block_id in self.block_ids:
                    self.add(at, f"block_id {block_id!r} is used twice")
                self.block_ids.add(block_id)
            if block["type"] == "section":
                self.section(block, at)
            elif block["type"] == "markdown" and isinstance(block.get("text"), str):
                self.markdown_chars += len(block["text"])
            self.has_input = self.has_input or block["type"] == "input"
            self.node(block, at)

    def section(self, block: dict[str, Any], where: str) -> None:
        fields = block.get("fields")
        if "text" in block:
            text = _text(block["text"]) or ""
            if not text:
                self.add(where, "text must be at least 1 character")
            self.length(where, "text", text, "section.text")
        elif not fields:
            self.add(where, "a section needs text or fields")
        if isinstance(fields, list):
            self.count(where, "fields", fields, "section.fields")
            for i, field in enumerate(fields):
                self.length(where, f"fields[{i}]", field, "section.field_text")

    def node(self, node: dict[str, Any], where: str) -> None:
        """Checks ``node`` by its type, tallies its text, then does the same for its children."""
        # msg_blocks_too_long counts text over the whole message, wherever it sits, so every
        # string under a "text" key counts; text objects have no rules of their own (the parent
        # that holds one knows its cap).
        if isinstance(node.get("text"), str):
            self.text_chars += len(node["text"])
        kind = node.get("type")
        if isinstance(kind, str) and kind not in _TEXT_OBJECTS:
            self.rules(node, kind, where)
        for key, value in node.items():
            children = value if isinstance(value, list) else [value]
            for i, child in enumerate(children):
                if isinstance(child, dict):
                    suffix = f"[{i}]" if isinstance(value, list) else ""
                    self.node(child, f"{where}.{key}{suffix}")

    def rules(self, node: dict[str, Any], kind: str, where: str) -> None:
        for key in _REQUIRED.get(kind, ()):
            if key not in node:
                self.add(where, f"{key} is required")
        for key, limit in _LENGTHS.get(kind, ()):
            self.length(where, key, node.get(key), limit)
        for key, fewest, limit in _COUNTS.get(kind, ()):
            self.count(where, key, node.get(key), limit, fewest)
        self.length(where, "action_id", node.get("action_id"), "action_id")
        self.length(where, "placeholder", node.get("placeholder"), "placeholder")
        if kind == "plain_text_input":
            top = LIMITS["plain_text_input.length"]
            for key, least in (("min_length", 0), ("max_length", 1)):
                value = node.get(key)
                if isinstance(value, int) and not least <= value <= top:
                    self.add(where, f"{key} {value} is outside {least}-{top}")
        if isinstance(node.get("confirm"), dict):
            self.confirm(node["confirm"], f"{where}.confirm")
        self.options(node.get("options"), f"{where}.options")
        for i, group in enumerate(node.get("option_groups") or ()):
            if isinstance(group, dict):
                at = f"{where}.option_groups[{i}]"
                self.length(at, "label", group.get("label"), "option_group.label")
                self.count(at, "options", group.get("options"), "option_group.options")
                self.options(group.get("options"), f"{at}.options")

    def options(self, options: Any, where: str) -> None:
        for i, option in enumerate(options if isinstance(options, list) else ()):
            if isinstance(option, dict):
                for key in ("text", "value", "description", "url"):
                    self.length(f"{where}[{i}]", key, option.get(key), f"option.{key}")

    def confirm(self, dialog: dict[str, Any], where: str) -> None:
        for key in ("title", "text", "confirm", "deny"):
            self.length(where, key, dialog.get(key), f"confirm.{key}")


def _over(code: str, what: str, size: int, limit: str, unit: str = "characters") -> list[Problem]:
    """The problem, in a list, when a whole-payload ``size`` is above ``LIMITS[limit]``."""
    if size <= LIMITS[limit]:
        return []
    return [Problem(code, f"{what} {size} {unit}; the limit is {LIMITS[limit]}")]


def message_problems(*, text: str | None, blocks: Any) -> list[Problem]:
    """Every limit a chat.postMessage/chat.update/response_url message breaks; [] if none."""
    problems = _over(MSG_TOO_LONG, "text is", len(text or ""), "message.text")
    if blocks is None or blocks == []:
        if not text:
            problems.append(Problem(NO_TEXT, "text is required when there are no blocks"))
        return problems
    if not isinstance(blocks, list):
        return [*problems, Problem(INVALID_BLOCKS, "blocks must be an array")]
    walk = _Walk(INVALID_BLOCKS)
    walk.count("blocks", "blocks", blocks, "message.blocks")
    walk.blocks(blocks, "blocks")
    problems += walk.problems
    chars, markdown = walk.text_chars, walk.markdown_chars
    problems += _over(MSG_BLOCKS_TOO_LONG, "markdown blocks hold", markdown, "markdown.text_total")
    return problems + _over(MSG_BLOCKS_TOO_LONG, "blocks hold", chars, "message.blocks_text")


def view_problems(view: Any) -> list[Problem]:
    """Every limit a views.open/update/push/publish view breaks; [] if none."""
    if not isinstance(view, dict):
        return [Problem(INVALID_ARGUMENTS, "view must be an object")]
    walk = _Walk(INVALID_ARGUMENTS)
    kind = view.get("type")
    if kind not in ("modal", "home"):
        walk.add("view", f"type must be 'modal' or 'home', not {kind!r}")
    blocks = view.get("blocks")
    if isinstance(blocks, list):
        walk.count("view", "blocks", blocks, "view.blocks")
        walk.blocks(blocks, "view.blocks")
    else:
        walk.add("view", "blocks must be an array")
    if kind == "modal":
        if "title" not in view:
            walk.add("view", "a modal needs a title")
        if walk.has_input and not view.get("submit"):
            walk.add("view", "a modal with an input block needs a submit button")
    for key in ("title", "submit", "close", "private_metadata", "callback_id", "external_id"):
        walk.length("view", key, view.get(key), f"view.{key}")
    # Slack measures the payload; the compact encoding is the smallest a client can send, so the
    # fake refuses a view for size only when Slack would refuse it however it was encoded.
    size = len(json.dumps(view, ensure_ascii=False, separators=(",", ":")).encode())
    return walk.problems + _over(VIEW_TOO_LARGE, "view is", size, "view.bytes", "bytes")
