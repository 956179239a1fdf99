"""The Block Kit limits slack_sdk's models do not check, for outgoing messages and views.

Every block is built with a slack_sdk model, whose ``to_dict()`` checks the block's own
limits (a section's 3000 characters, a header's 150, a button's 75...). What a model cannot
see is the whole message or view: how many blocks it has, and how much text in all. Slack
answers ``invalid_blocks``, ``msg_too_long``, ``msg_blocks_too_long`` or
``view_too_large`` for those; checking before sending turns a late API error into a local
one. Each problem is a ``LimitProblem``: its message, and the Slack error ``code``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_MESSAGE_TEXT = 40_000
# Slack counts every text in the blocks together and answers msg_blocks_too_long at
# about 13k characters even when each block is within its own limit; 12k leaves margin.
MAX_MESSAGE_BLOCKS_TEXT = 12_000
MAX_VIEW_BYTES = 250_000
# Used by builders to cut lists before the model would refuse them.
MAX_SECTION_TEXT = 3000
MAX_BUTTON_VALUE = 2000
MAX_SELECT_OPTIONS = 100

INVALID_BLOCKS = "invalid_blocks"
MSG_TOO_LONG = "msg_too_long"
MSG_BLOCKS_TOO_LONG = "msg_blocks_too_long"
NO_TEXT = "no_text"
VIEW_TOO_LARGE = "view_too_large"


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


def _texts(node: Any) -> Iterator[str]:
    """Every ``text`` string in the blocks: sections, fields, contexts, rich text."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "text" and isinstance(value, str):
                yield value
            else:
                yield from _texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _texts(item)


def message_problems(*, text: str | None, blocks: list[dict[str, Any]] | None) -> list[str]:
    problems: list[str] = []
    if not text and not blocks:
        problems.append(LimitProblem("a message needs text or blocks", NO_TEXT))
    if text is not None and len(text) > MAX_MESSAGE_TEXT:
        problems.append(
            LimitProblem(f"text is {len(text)} characters (max {MAX_MESSAGE_TEXT})", MSG_TOO_LONG)
        )
    if blocks:
        if len(blocks) > MAX_MESSAGE_BLOCKS:
            problems.append(LimitProblem(f"{len(blocks)} blocks (max {MAX_MESSAGE_BLOCKS})"))
        total = sum(len(piece) for piece in _texts(blocks))
        if total > MAX_MESSAGE_BLOCKS_TEXT:
            problems.append(
                LimitProblem(
                    f"the blocks hold {total} characters of text (max {MAX_MESSAGE_BLOCKS_TEXT})",
                    MSG_BLOCKS_TOO_LONG,
                )
            )
    return problems


def view_problems(view: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    blocks = view.get("blocks") or []
    if len(blocks) > MAX_VIEW_BLOCKS:
        problems.append(LimitProblem(f"{len(blocks)} blocks (max {MAX_VIEW_BLOCKS})"))
    size = len(json.dumps(view, ensure_ascii=False).encode())
    if size > MAX_VIEW_BYTES:
        problems.append(
            LimitProblem(f"the view is {size} bytes (max {MAX_VIEW_BYTES})", VIEW_TOO_LARGE)
        )
    return problems


def check_message(*, text: str | None, blocks: list[dict[str, Any]] | None) -> None:
    problems = message_problems(text=text, blocks=blocks)
    if problems:
        raise BlockKitLimitError(problems)


def check_view(view: dict[str, Any]) -> None:
    problems = view_problems(view)
    if problems:
        raise BlockKitLimitError(problems)
