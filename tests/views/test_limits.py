from __future__ import annotations

from typing import Any

import pytest
from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    Option,
    SectionBlock,
    StaticSelectElement,
)

from bot.slack import limits
from bot.slack.limits import (
    BlockKitLimitError,
    check_message,
    check_view,
    message_problems,
    view_problems,
)


def pt(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def section(text: str = "hello", **extra: Any) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}, **extra}


def button(text: str = "Go", **extra: Any) -> dict[str, Any]:
    return {"type": "button", "action_id": "go", "text": pt(text), **extra}


def options(n: int, text: str = "o", value: str | None = None) -> list[dict[str, Any]]:
    return [{"text": pt(text), "value": value or f"v{i}"} for i in range(n)]


def modal(blocks: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"type": "modal", "title": pt("Release"), "blocks": blocks, **extra}


def input_block(**extra: Any) -> dict[str, Any]:
    element = {"type": "plain_text_input", "action_id": "title"}
    return {"type": "input", "label": pt("Title"), "element": element, **extra}


def problems_for(block: dict[str, Any]) -> list[str]:
    return message_problems(text="fallback", blocks=[block])


def test_constants_are_exported() -> None:
    assert limits.MAX_MESSAGE_BLOCKS == 50
    assert limits.MAX_VIEW_BLOCKS == 100
    assert limits.MAX_SECTION_TEXT == 3000
    assert limits.MAX_MESSAGE_TEXT == 40_000
    assert limits.MAX_MESSAGE_BLOCKS_TEXT == 12_000
    assert limits.MAX_OPTION_VALUE == 75


def test_valid_message_has_no_problems() -> None:
    blocks = [
        {"type": "header", "text": pt("Spring releases")},
        section("*Album* due Friday", block_id="a", accessory=button(value="x" * 2000)),
        {"type": "divider"},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "by <@U1>"}] * 10},
        {"type": "actions", "block_id": "b", "elements": [button()] * 25},
    ]
    assert message_problems(text="Spring releases", blocks=blocks) == []
    check_message(text="Spring releases", blocks=blocks)


def test_blocks_built_with_slack_sdk_models_pass() -> None:
    confirm = ConfirmObject(title="Sure?", text="Really", confirm="Yes", deny="No")
    blocks = [
        HeaderBlock(text="Release"),
        SectionBlock(text=MarkdownTextObject(text="*Due* Friday"), fields=["a", "b"]),
        ContextBlock(elements=[MarkdownTextObject(text="note")]),
        ActionsBlock(
            elements=[
                ButtonElement(text="Approve", action_id="approve", value="1", confirm=confirm),
                StaticSelectElement(
                    action_id="pick", options=[Option(text="A", value="a")], placeholder="Pick"
                ),
            ]
        ),
    ]
    assert message_problems(text="Release", blocks=[b.to_dict() for b in blocks]) == []


@pytest.mark.parametrize(("count", "ok"), [(50, True), (51, False)])
def test_message_block_count(count: int, ok: bool) -> None:
    problems = message_problems(text="t", blocks=[section() for _ in range(count)])
    assert (problems == []) is ok
    if not ok:
        assert problems[0].code == "invalid_blocks"
        assert "51 blocks" in problems[0]


@pytest.mark.parametrize(("count", "ok"), [(100, True), (101, False)])
def test_view_block_count(count: int, ok: bool) -> None:
    assert (view_problems(modal([section() for _ in range(count)])) == []) is ok


@pytest.mark.parametrize(
    ("block", "fragment"),
    [
        (section("x" * 3001), "text is 3001 characters"),
        (section(""), "must not be empty"),
        ({"type": "section"}, "needs text or fields"),
        ({"type": "section", "fields": [pt("f")] * 11}, "11 fields"),
        ({"type": "section", "fields": [pt("x" * 2001)]}, "fields[0] is 2001"),
        ({"type": "header", "text": pt("x" * 151)}, "limit is 150"),
        ({"type": "context", "elements": [pt("c")] * 11}, "11 elements"),
        ({"type": "actions", "elements": [button()] * 26}, "26 elements"),
        ({"type": "markdown", "text": "x" * 12_001}, "limit is 12000"),
        (section(block_id="b" * 256), "block_id is 256"),
        (section(accessory=button("x" * 76)), "text is 76"),
        (section(accessory=button(value="x" * 2001)), "value is 2001"),
        (section(accessory=button(url="https://x/" + "x" * 2991)), "url is 3001"),
        (section(accessory=button(action_id="a" * 256)), "action_id is 256"),
    ],
)
def test_block_limits(block: dict[str, Any], fragment: str) -> None:
    problems = problems_for(block)
    assert len(problems) >= 1
    assert fragment in problems[0], problems
    assert problems[0].code == "invalid_blocks"


@pytest.mark.parametrize(
    ("block", "ok"),
    [
        (section("x" * 3000), True),
        ({"type": "section", "fields": [pt("x" * 2000)] * 2}, True),
        ({"type": "header", "text": pt("x" * 150)}, True),
        (section(accessory=button("x" * 75, url="https://x/" + "x" * 2990)), True),
        ({"type": "section", "fields": [pt("f")]}, True),
    ],
)
def test_values_at_the_limit_pass(block: dict[str, Any], ok: bool) -> None:
    assert (problems_for(block) == []) is ok


def test_problems_name_the_block() -> None:
    problems = message_problems(text="t", blocks=[section(), section(), section("x" * 3001)])
    assert problems[0].startswith("blocks[2] (section): ")


def test_block_ids_must_be_unique() -> None:
    problems = message_problems(text="t", blocks=[section(block_id="a"), section(block_id="a")])
    assert problems == ["blocks[1] (section): block_id 'a' is used twice"]


def test_option_limits() -> None:
    select = {"type": "static_select", "action_id": "s", "options": options(1, text="x" * 76)}
    assert "text is 76" in problems_for(section(accessory=select))[0]
    select["options"] = options(1, value="v" * 76)
    assert "value is 76" in problems_for(section(accessory=select))[0]
    select["options"] = options(100)
    assert problems_for(section(accessory=select)) == []
    select["options"] = options(101)
    assert "101 options" in problems_for(section(accessory=select))[0]


def test_option_groups_are_checked() -> None:
    groups = [{"label": pt("g"), "options": options(1, text="x" * 76)}]
    select = {"type": "static_select", "action_id": "s", "option_groups": groups}
    assert "option_groups[0].options[0]: text is 76" in problems_for(section(accessory=select))[0]
    select["option_groups"] = [{"label": pt("g"), "options": options(1)}] * 101
    assert "101 option_groups" in problems_for(section(accessory=select))[0]


@pytest.mark.parametrize(("count", "ok"), [(0, False), (1, True), (5, True), (6, False)])
def test_overflow_takes_one_to_five_options(count: int, ok: bool) -> None:
    overflow = {"type": "overflow", "action_id": "more", "options": options(count)}
    assert (problems_for(section(accessory=overflow)) == []) is ok


@pytest.mark.parametrize(
    ("field", "size", "limit"),
    [("title", 101, 100), ("text", 301, 300), ("confirm", 31, 30), ("deny", 31, 30)],
)
def test_confirm_dialog_limits(field: str, size: int, limit: int) -> None:
    confirm = {"title": pt("t"), "text": pt("x"), "confirm": pt("y"), "deny": pt("n")}
    confirm[field] = pt("x" * size)
    problems = problems_for(section(accessory=button(confirm=confirm)))
    assert problems == [
        f"blocks[0] (section).accessory.confirm: {field} is {size} characters; the limit is {limit}"
    ]


def test_input_limits() -> None:
    view = modal([input_block(label=pt("x" * 2001))], submit=pt("Save"))
    assert "label is 2001" in view_problems(view)[0]
    view = modal([input_block(hint=pt("x" * 2001))], submit=pt("Save"))
    assert "hint is 2001" in view_problems(view)[0]
    element = {"type": "plain_text_input", "action_id": "t", "placeholder": pt("x" * 151)}
    view = modal([input_block(element=element)], submit=pt("Save"))
    assert "placeholder is 151" in view_problems(view)[0]
    element = {"type": "plain_text_input", "action_id": "t", "max_length": 3001}
    view = modal([input_block(element=element)], submit=pt("Save"))
    assert "max_length 3001" in view_problems(view)[0]
    element["max_length"] = 3000
    assert view_problems(modal([input_block(element=element)], submit=pt("Save"))) == []


def test_modal_limits() -> None:
    assert view_problems(modal([section()], close=pt("Cancel"))) == []
    assert "title is 25" in view_problems(modal([], title=pt("x" * 25)))[0]
    assert "submit is 25" in view_problems(modal([], submit=pt("x" * 25)))[0]
    assert "close is 25" in view_problems(modal([], close=pt("x" * 25)))[0]
    assert "private_metadata is 3001" in view_problems(modal([], private_metadata="x" * 3001))[0]
    assert "callback_id is 256" in view_problems(modal([], callback_id="x" * 256))[0]
    assert view_problems(modal([], private_metadata="x" * 3000, callback_id="x" * 255)) == []


def test_modal_with_input_needs_submit() -> None:
    problems = view_problems(modal([input_block()]))
    assert problems == ["view: a modal with an input block needs a submit button"]
    assert problems[0].code == "invalid_arguments"
    assert view_problems(modal([input_block()], submit=pt("Save"))) == []


def test_home_view() -> None:
    assert view_problems({"type": "home", "blocks": [section()] * 100}) == []
    assert "type must be" in view_problems({"type": "sheet", "blocks": []})[0]


def test_view_over_250_kb_is_too_large() -> None:
    blocks = [section(accessory=button(value="x" * 2000), block_id=str(i)) for i in range(100)]
    view = {"type": "home", "blocks": blocks}
    assert view_problems(view) == []
    view["blocks"] = [
        {"type": "actions", "block_id": str(i), "elements": [button(value="x" * 2000)] * 2}
        for i in range(70)
    ]
    problems = view_problems(view)
    assert [p.code for p in problems] == ["view_too_large"]


def test_message_text_limits() -> None:
    assert message_problems(text="x" * 40_000, blocks=None) == []
    problems = message_problems(text="x" * 40_001, blocks=None)
    assert [p.code for p in problems] == ["msg_too_long"]
    assert [p.code for p in message_problems(text="", blocks=None)] == ["no_text"]
    assert [p.code for p in message_problems(text=None, blocks=[])] == ["no_text"]
    # With blocks the text is only a fallback and may be left out.
    assert message_problems(text=None, blocks=[section()]) == []


def test_total_block_text_is_limited() -> None:
    blocks = [section("x" * 2400) for _ in range(5)]
    assert message_problems(text="t", blocks=blocks) == []
    blocks.append(section("x" * 1))
    problems = message_problems(text="t", blocks=blocks)
    assert [p.code for p in problems] == ["msg_blocks_too_long"]
    assert "12001 characters" in problems[0]


def test_total_counts_fields_elements_and_rich_text() -> None:
    rich = {
        "type": "rich_text",
        "elements": [{"type": "rich_text_section", "elements": [{"type": "text", "text": "x"}]}],
    }
    blocks = [
        {"type": "section", "fields": [pt("x" * 2000)] * 5},
        {"type": "context", "elements": [pt("x" * 1000)] * 2},
        rich,
    ]
    assert [p.code for p in message_problems(text="t", blocks=blocks)] == ["msg_blocks_too_long"]


def test_malformed_blocks() -> None:
    assert message_problems(text="t", blocks=["nope"])[0] == (
        "blocks[0]: a block must be an object"
    )
    assert "needs a type" in message_problems(text="t", blocks=[{}])[0]
    assert "must be a list" in message_problems(text="t", blocks="[]")[0]  # type: ignore[arg-type]


def test_check_functions_raise_with_every_problem() -> None:
    with pytest.raises(BlockKitLimitError) as caught:
        check_message(text="x" * 40_001, blocks=[section("x" * 3001)])
    err = caught.value
    assert isinstance(err, ValueError)
    assert len(err.problems) == 2
    assert set(err.codes) == {"invalid_blocks", "msg_too_long"}
    assert "text is 3001 characters" in str(err)
    with pytest.raises(BlockKitLimitError, match="submit button"):
        check_view(modal([input_block()]))
    check_view(modal([input_block()], submit=pt("Save")))
