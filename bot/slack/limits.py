"""Block Kit limits for outgoing messages and views.

Slack rejects a message or view that breaks one of these limits (``invalid_blocks``,
``msg_too_long``, ``msg_blocks_too_long``, ``invalid_arguments``); checking before sending
turns a late API error into a local one that names the block at fault. The limits are the
documented ones for blocks as sent on the wire (dicts). ``slack_sdk`` validates some of them
in ``to_dict()`` only, and not the per-message block count or the total size, so this
module checks everything in one walk over the dicts. It runs on every outgoing message and
is kept cheap: no schema library, one pass, strings built only for problems and paths.

Each problem is a ``LimitProblem``: a ``str`` (the human message) that also carries the
Slack error ``code`` the API would answer with.
"""

from __future__ import annotations

import json
from typing import Any

# Surfaces.
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_MESSAGE_TEXT = 40_000
# Slack counts every text in the blocks together and answers msg_blocks_too_long at
# about 13k characters even when each block is within its own limit; 12k leaves margin.
MAX_MESSAGE_BLOCKS_TEXT = 12_000
MAX_VIEW_BYTES = 250_000

# Blocks.
MAX_SECTION_TEXT = 3000
MAX_SECTION_FIELDS = 10
MAX_SECTION_FIELD_TEXT = 2000
MAX_HEADER_TEXT = 150
MAX_CONTEXT_ELEMENTS = 10
MAX_ACTIONS_ELEMENTS = 25
MAX_MARKDOWN_TEXT = 12_000
MAX_INPUT_LABEL = 2000
MAX_INPUT_HINT = 2000
MAX_BLOCK_ID = 255

# Elements and composition objects.
MAX_ACTION_ID = 255
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_BUTTON_URL = 3000
MAX_PLACEHOLDER = 150
MAX_TEXT_INPUT_LENGTH = 3000
MAX_OPTION_TEXT = 75
# The SDK validator allows 150, Slack's own type definitions say 75: the lower one is safe.
MAX_OPTION_VALUE = 75
MAX_SELECT_OPTIONS = 100
MAX_SELECT_OPTION_GROUPS = 100
MIN_OVERFLOW_OPTIONS = 1
MAX_OVERFLOW_OPTIONS = 5
MAX_CONFIRM_TITLE = 100
MAX_CONFIRM_TEXT = 300
MAX_CONFIRM_BUTTON = 30

# Views.
MAX_VIEW_TITLE = 24
MAX_VIEW_BUTTON = 24
MAX_PRIVATE_METADATA = 3000
MAX_CALLBACK_ID = 255
MAX_EXTERNAL_ID = 255

# Slack error codes a problem maps to.
INVALID_BLOCKS = "invalid_blocks"
MSG_TOO_LONG = "msg_too_long"
MSG_BLOCKS_TOO_LONG = "msg_blocks_too_long"
NO_TEXT = "no_text"
INVALID_ARGUMENTS = "invalid_arguments"
VIEW_TOO_LARGE = "view_too_large"

_TEXT_OBJECTS = frozenset({"plain_text", "mrkdwn"})
_SELECTS = frozenset({"static_select", "multi_static_select"})
# Elements that may carry a placeholder or a confirm dialog.
_INTERACTIVE = frozenset(
    {
        "button",
        "overflow",
        "checkboxes",
        "radio_buttons",
        "datepicker",
        "timepicker",
        "datetimepicker",
        "plain_text_input",
        "email_text_input",
        "url_text_input",
        "number_input",
        "rich_text_input",
        "file_input",
        "static_select",
        "multi_static_select",
        "external_select",
        "multi_external_select",
        "users_select",
        "multi_users_select",
        "conversations_select",
        "multi_conversations_select",
        "channels_select",
        "multi_channels_select",
    }
)


class LimitProblem(str):
    """A problem message that also knows the Slack error code it would cause."""

    code: str

    def __new__(cls, message: str, code: str = INVALID_BLOCKS) -> LimitProblem:
        obj = super().__new__(cls, message)
        obj.code = code
        return obj


class BlockKitLimitError(ValueError):
    """Raised by ``check_message``/``check_view``; ``problems`` lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("Block Kit limits exceeded: " + "; ".join(self.problems))

    @property
    def codes(self) -> list[str]:
        return [getattr(p, "code", INVALID_BLOCKS) for p in self.problems]


def _text_of(obj: Any) -> str:
    """The string of a text object (or a bare string); ``""`` when absent."""
    if isinstance(obj, dict):
        text = obj.get("text")
        return text if isinstance(text, str) else ""
    return obj if isinstance(obj, str) else ""


class _Walk:
    """One pass over a list of blocks, collecting problems and the total text size."""

    __slots__ = ("block_ids", "code", "has_input", "problems", "text_chars")

    def __init__(self, code: str) -> None:
        self.code = code
        self.problems: list[str] = []
        self.text_chars = 0
        self.block_ids: set[str] = set()
        self.has_input = False

    def add(self, where: str, message: str) -> None:
        self.problems.append(LimitProblem(f"{where}: {message}", self.code))

    def max_len(self, where: str, what: str, value: Any, limit: int) -> None:
        if isinstance(value, str) and len(value) > limit:
            self.add(where, f"{what} is {len(value)} characters; the limit is {limit}")

    def max_count(self, where: str, what: str, items: Any, limit: int, least: int = 0) -> None:
        if not isinstance(items, list):
            return
        if len(items) > limit:
            self.add(where, f"{len(items)} {what}; the limit is {limit}")
        elif len(items) < least:
            self.add(where, f"{len(items)} {what}; at least {least} needed")

    def blocks(self, blocks: list[Any], where: str) -> None:
        for i, block in enumerate(blocks):
            self.block(block, f"{where}[{i}]")

    def block(self, block: Any, where: str) -> None:
        if not isinstance(block, dict):
            self.add(where, "a block must be an object")
            return
        kind = block.get("type")
        if not isinstance(kind, str):
            self.add(where, "a block needs a type")
            return
        where = f"{where} ({kind})"
        block_id = block.get("block_id")
        if isinstance(block_id, str):
            self.max_len(where, "block_id", block_id, MAX_BLOCK_ID)
            if block_id in self.block_ids:
                self.add(where, f"block_id {block_id!r} is used twice")
            self.block_ids.add(block_id)
        if kind == "section":
            self.section(block, where)
        elif kind == "header":
            self.max_len(where, "text", _text_of(block.get("text")), MAX_HEADER_TEXT)
        elif kind == "context":
            self.max_count(where, "elements", block.get("elements"), MAX_CONTEXT_ELEMENTS, 1)
        elif kind == "actions":
            self.max_count(where, "elements", block.get("elements"), MAX_ACTIONS_ELEMENTS, 1)
        elif kind == "input":
            self.has_input = True
            if "label" not in block:
                self.add(where, "an input block needs a label")
            self.max_len(where, "label", _text_of(block.get("label")), MAX_INPUT_LABEL)
            self.max_len(where, "hint", _text_of(block.get("hint")), MAX_INPUT_HINT)
        elif kind == "markdown":
            self.max_len(where, "text", block.get("text"), MAX_MARKDOWN_TEXT)
        self.node(block, where)

    def section(self, block: dict[str, Any], where: str) -> None:
        fields = block.get("fields")
        if "text" in block:
            size = len(_text_of(block["text"]))
            if size == 0:
                self.add(where, "text must not be empty")
            elif size > MAX_SECTION_TEXT:
                self.add(where, f"text is {size} characters; the limit is {MAX_SECTION_TEXT}")
        elif not fields:
            self.add(where, "a section needs text or fields")
        if isinstance(fields, list):
            self.max_count(where, "fields", fields, MAX_SECTION_FIELDS)
            for i, field in enumerate(fields):
                text = _text_of(field)
                self.max_len(where, f"fields[{i}]", text, MAX_SECTION_FIELD_TEXT)

    def node(self, node: dict[str, Any], where: str) -> None:
        """Element checks and the text tally for ``node``, then the same for its children."""
        text = node.get("text")
        if isinstance(text, str):
            self.text_chars += len(text)
        action_id = node.get("action_id")
        if isinstance(action_id, str):
            self.max_len(where, "action_id", action_id, MAX_ACTION_ID)
        kind = node.get("type")
        if kind in _INTERACTIVE:
            self.element(node, kind, where)
        options = node.get("options")
        if isinstance(options, list):
            for i, option in enumerate(options):
                if isinstance(option, dict):
                    at = f"{where}.options[{i}]"
                    self.max_len(at, "text", _text_of(option.get("text")), MAX_OPTION_TEXT)
                    self.max_len(at, "value", option.get("value"), MAX_OPTION_VALUE)
        for key, value in node.items():
            if isinstance(value, dict):
                if value.get("type") in _TEXT_OBJECTS:
                    # Text objects are leaves checked by their parent: only tally them.
                    self.tally(value)
                else:
                    self.node(value, f"{where}.{key}")
            elif isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, dict):
                        if item.get("type") in _TEXT_OBJECTS:
                            self.tally(item)
                        else:
                            self.node(item, f"{where}.{key}[{i}]")

    def tally(self, text_object: dict[str, Any]) -> None:
        text = text_object.get("text")
        if isinstance(text, str):
            self.text_chars += len(text)

    def element(self, el: dict[str, Any], kind: str, where: str) -> None:
        self.max_len(where, "placeholder", _text_of(el.get("placeholder")), MAX_PLACEHOLDER)
        if kind == "button":
            self.max_len(where, "text", _text_of(el.get("text")), MAX_BUTTON_TEXT)
            self.max_len(where, "value", el.get("value"), MAX_BUTTON_VALUE)
            self.max_len(where, "url", el.get("url"), MAX_BUTTON_URL)
        elif kind == "overflow":
            self.max_count(
                where, "options", el.get("options"), MAX_OVERFLOW_OPTIONS, MIN_OVERFLOW_OPTIONS
            )
        elif kind in _SELECTS:
            self.max_count(where, "options", el.get("options"), MAX_SELECT_OPTIONS)
            self.max_count(
                where, "option_groups", el.get("option_groups"), MAX_SELECT_OPTION_GROUPS
            )
        elif kind == "plain_text_input":
            max_length = el.get("max_length")
            if isinstance(max_length, int) and max_length > MAX_TEXT_INPUT_LENGTH:
                self.add(where, f"max_length {max_length} is above {MAX_TEXT_INPUT_LENGTH}")
        confirm = el.get("confirm")
        if isinstance(confirm, dict):
            at = f"{where}.confirm"
            self.max_len(at, "title", _text_of(confirm.get("title")), MAX_CONFIRM_TITLE)
            self.max_len(at, "text", _text_of(confirm.get("text")), MAX_CONFIRM_TEXT)
            self.max_len(at, "confirm", _text_of(confirm.get("confirm")), MAX_CONFIRM_BUTTON)
            self.max_len(at, "deny", _text_of(confirm.get("deny")), MAX_CONFIRM_BUTTON)


def message_problems(*, text: str | None, blocks: list[dict[str, Any]] | None) -> list[str]:
    """Every limit the message breaks; empty when Slack would accept it."""
    problems: list[str] = []
    if text is not None and len(text) > MAX_MESSAGE_TEXT:
        problems.append(
            LimitProblem(
                f"text is {len(text)} characters; the limit is {MAX_MESSAGE_TEXT}", MSG_TOO_LONG
            )
        )
    if blocks is None or (isinstance(blocks, list) and not blocks):
        if not text:
            problems.append(
                LimitProblem("text must not be empty when there are no blocks", NO_TEXT)
            )
        return problems
    if not isinstance(blocks, list):
        problems.append(LimitProblem("blocks must be a list"))
        return problems
    walk = _Walk(INVALID_BLOCKS)
    if len(blocks) > MAX_MESSAGE_BLOCKS:
        walk.add("blocks", f"{len(blocks)} blocks; the limit is {MAX_MESSAGE_BLOCKS}")
    walk.blocks(blocks, "blocks")
    problems.extend(walk.problems)
    if walk.text_chars > MAX_MESSAGE_BLOCKS_TEXT:
        problems.append(
            LimitProblem(
                f"blocks hold {walk.text_chars} characters of text; "
                f"the limit is {MAX_MESSAGE_BLOCKS_TEXT}",
                MSG_BLOCKS_TOO_LONG,
            )
        )
    return problems


def view_problems(view: dict[str, Any]) -> list[str]:
    """Every limit a modal or Home tab view breaks; empty when Slack would accept it."""
    if not isinstance(view, dict):
        return [LimitProblem("view must be an object", INVALID_ARGUMENTS)]
    walk = _Walk(INVALID_ARGUMENTS)
    kind = view.get("type")
    if kind not in ("modal", "home"):
        walk.add("view", f"type must be 'modal' or 'home', not {kind!r}")
    blocks = view.get("blocks")
    if not isinstance(blocks, list):
        walk.add("view", "blocks must be a list")
        blocks = []
    elif len(blocks) > MAX_VIEW_BLOCKS:
        walk.add("view", f"{len(blocks)} blocks; the limit is {MAX_VIEW_BLOCKS}")
    walk.blocks(blocks, "view.blocks")
    if kind == "modal":
        if "title" not in view:
            walk.add("view", "a modal needs a title")
        if walk.has_input and not view.get("submit"):
            walk.add("view", "a modal with an input block needs a submit button")
    walk.max_len("view", "title", _text_of(view.get("title")), MAX_VIEW_TITLE)
    walk.max_len("view", "submit", _text_of(view.get("submit")), MAX_VIEW_BUTTON)
    walk.max_len("view", "close", _text_of(view.get("close")), MAX_VIEW_BUTTON)
    walk.max_len("view", "private_metadata", view.get("private_metadata"), MAX_PRIVATE_METADATA)
    walk.max_len("view", "callback_id", view.get("callback_id"), MAX_CALLBACK_ID)
    walk.max_len("view", "external_id", view.get("external_id"), MAX_EXTERNAL_ID)
    problems = walk.problems
    # Views are sent far less often than messages, so measuring the encoded size is affordable.
    size = len(json.dumps(view, ensure_ascii=False, separators=(",", ":")).encode())
    if size > MAX_VIEW_BYTES:
        problems.append(
            LimitProblem(f"view is {size} bytes; the limit is {MAX_VIEW_BYTES}", VIEW_TOO_LARGE)
        )
    return problems


def check_message(*, text: str | None, blocks: list[dict[str, Any]] | None) -> None:
    """Raise ``BlockKitLimitError`` when the message breaks a limit."""
    problems = message_problems(text=text, blocks=blocks)
    if problems:
        raise BlockKitLimitError(problems)


def check_view(view: dict[str, Any]) -> None:
    """Raise ``BlockKitLimitError`` when the view breaks a limit."""
    problems = view_problems(view)
    if problems:
        raise BlockKitLimitError(problems)
