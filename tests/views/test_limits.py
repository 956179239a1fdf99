"""What the models cannot see — block counts, total text, view size — is checked by
``bot.slack.limits``; what they can see, the slack_sdk models refuse as they build."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.slack import blocks as kit
from bot.slack import limits
from bot.slack.limits import (
    BlockKitLimitError,
    check_message,
    check_view,
    message_problems,
    view_problems,
)


def section(text: str = "hello") -> dict[str, Any]:
    return kit.section(text).to_dict()


def modal(blocks: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "modal", "title": {"type": "plain_text", "text": "Release"}, "blocks": blocks}


def test_constants_are_slacks() -> None:
    assert (limits.MAX_MESSAGE_BLOCKS, limits.MAX_VIEW_BLOCKS) == (50, 100)
    assert (limits.MAX_MESSAGE_TEXT, limits.MAX_MESSAGE_BLOCKS_TEXT) == (40_000, 12_000)
    assert limits.MAX_VIEW_BYTES == 250_000


def test_a_message_built_with_the_models_passes() -> None:
    built = [
        HeaderBlock(text="Spring releases"),
        SectionBlock(text=MarkdownTextObject(text="*Album* due Friday"), fields=["a", "b"]),
        ContextBlock(elements=[MarkdownTextObject(text="by <@U1>")] * 10),
        ActionsBlock(elements=[ButtonElement(text="Go", action_id=f"go{i}") for i in range(25)]),
    ]
    blocks = kit.to_dicts(built)
    assert message_problems(text="Spring releases", blocks=blocks) == []
    check_message(text="Spring releases", blocks=blocks)


@pytest.mark.parametrize(
    "build",
    [
        lambda: kit.section("x" * 3001),
        lambda: kit.header("x" * 151),
        lambda: kit.fields_section(["x"] * 11),
        lambda: SectionBlock(text=PlainTextObject(text="a"), block_id="b" * 256),
        lambda: ButtonElement(text="x" * 76, action_id="go"),
        lambda: ActionsBlock(elements=[ButtonElement(text="Go", action_id="go")] * 26),
    ],
)
def test_the_models_refuse_a_block_over_its_own_limits(build: Any) -> None:
    with pytest.raises(SlackObjectFormationError):
        build().to_dict()


@pytest.mark.parametrize(("count", "ok"), [(50, True), (51, False)])
def test_message_block_count(count: int, ok: bool) -> None:
    problems = message_problems(text="t", blocks=[section() for _ in range(count)])
    assert (problems == []) is ok
    if not ok:
        assert problems[0].code == "invalid_blocks" and "51 blocks" in problems[0]


@pytest.mark.parametrize(("count", "ok"), [(100, True), (101, False)])
def test_view_block_count(count: int, ok: bool) -> None:
    assert (view_problems(modal([section() for _ in range(count)])) == []) is ok


def test_view_over_250_kb_is_too_large() -> None:
    assert view_problems(modal([section("x" * 2400) for _ in range(100)])) == []
    buttons = ActionsBlock(
        elements=[ButtonElement(text="Go", action_id=f"go{i}", value="x" * 2000) for i in range(2)]
    )
    view = modal([buttons.to_dict() for _ in range(70)])
    assert [p.code for p in view_problems(view)] == ["view_too_large"]


def test_message_text_limits() -> None:
    assert message_problems(text="x" * 40_000, blocks=None) == []
    assert [p.code for p in message_problems(text="x" * 40_001, blocks=None)] == ["msg_too_long"]
    assert [p.code for p in message_problems(text="", blocks=None)] == ["no_text"]
    assert [p.code for p in message_problems(text=None, blocks=[])] == ["no_text"]
    # With blocks the text is only a fallback and may be left out.
    assert message_problems(text=None, blocks=[section()]) == []


def test_total_block_text_is_limited() -> None:
    blocks = [section("x" * 2400) for _ in range(5)]
    assert message_problems(text="t", blocks=blocks) == []
    blocks.append(section("x"))
    problems = message_problems(text="t", blocks=blocks)
    assert [p.code for p in problems] == ["msg_blocks_too_long"]
    assert "12001 characters" in problems[0]


def test_total_counts_fields_contexts_and_rich_text() -> None:
    rich = {
        "type": "rich_text",
        "elements": [{"type": "rich_text_section", "elements": [{"type": "text", "text": "x"}]}],
    }
    blocks = [
        kit.fields_section(["x" * 2000] * 5).to_dict(),
        kit.context("x" * 1000).to_dict(),
        kit.context("x" * 1000).to_dict(),
        rich,
    ]
    assert [p.code for p in message_problems(text="t", blocks=blocks)] == ["msg_blocks_too_long"]


def test_check_functions_raise_with_every_problem() -> None:
    with pytest.raises(BlockKitLimitError) as caught:
        check_message(text="x" * 40_001, blocks=[section() for _ in range(51)])
    err = caught.value
    assert isinstance(err, ValueError) and len(err.problems) == 2
    assert set(err.codes) == {"invalid_blocks", "msg_too_long"}
    with pytest.raises(BlockKitLimitError, match="101 blocks"):
        check_view(modal([section() for _ in range(101)]))
