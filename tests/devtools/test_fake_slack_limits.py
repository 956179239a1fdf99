"""The fake Slack's own table of Slack's documented limits.

Each limit is checked at its value (accepted) and one over (refused with the error code Slack
answers with), so a wrong number in the table fails here, whatever the product's checks say.
"""

from __future__ import annotations

import ast
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.devtools import fake_slack_limits
from bot.devtools.fake_slack import FakeSlack
from bot.devtools.fake_slack_limits import (
    INVALID_ARGUMENTS,
    INVALID_BLOCKS,
    LIMITS,
    MSG_BLOCKS_TOO_LONG,
    MSG_TOO_LONG,
    NO_TEXT,
    VIEW_TOO_LARGE,
    Problem,
    message_problems,
    view_problems,
)

Check = Callable[[int], list[Problem]]


def text(value: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": value}


def section(value: str = "x", **extra: Any) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": value}, **extra}


def button(**extra: Any) -> dict[str, Any]:
    return {"type": "button", "text": text("Go"), "action_id": "go", **extra}


def option(label: str = "o", value: str = "v", **extra: Any) -> dict[str, Any]:
    return {"text": text(label), "value": value, **extra}


def options(n: int) -> list[dict[str, Any]]:
    return [option(value=f"v{i}") for i in range(n)]


def select(**extra: Any) -> dict[str, Any]:
    return {"type": "static_select", "action_id": "pick", "placeholder": text("Pick"), **extra}


def confirm(**extra: Any) -> dict[str, Any]:
    dialog = {
        "title": text("Sure?"),
        "text": text("Really"),
        "confirm": text("Y"),
        "deny": text("N"),
    }
    return dialog | extra


def message(*blocks: dict[str, Any]) -> list[Problem]:
    return message_problems(text="fallback", blocks=list(blocks))


def element(item: dict[str, Any]) -> list[Problem]:
    """A message whose only block is an actions block holding ``item``."""
    return message({"type": "actions", "elements": [item]})


def text_input(**element_extra: Any) -> dict[str, Any]:
    field = {"type": "plain_text_input", "action_id": "name", **element_extra}
    return {"type": "input", "label": text("Name"), "element": field}


def modal(*blocks: dict[str, Any], **extra: Any) -> list[Problem]:
    view = {"type": "modal", "title": text("New release"), "submit": text("Save")}
    return view_problems(view | {"blocks": list(blocks) or [section()]} | extra)


def compact_size(view: dict[str, Any]) -> int:
    return len(json.dumps(view, ensure_ascii=False, separators=(",", ":")).encode())


def home_of_size(size: int) -> list[Problem]:
    """A Home tab whose compact JSON is exactly ``size`` bytes, every block within its limits."""
    view: dict[str, Any] = {"type": "home", "blocks": [section() for _ in range(100)]}
    missing = size - compact_size(view)
    for block in view["blocks"]:
        grow = min(missing, LIMITS["section.text"] - 1)
        block["text"]["text"] += "x" * grow
        missing -= grow
    assert compact_size(view) == size
    return view_problems(view)


# Limit name -> (the number on Slack's page, a check built for n, the code one over it).
# The numbers are written out again here so that a typo in the table cannot move both sides.
CASES: dict[str, tuple[int, Check, str]] = {
    "message.blocks": (50, lambda n: message(*[section() for _ in range(n)]), INVALID_BLOCKS),
    "message.text": (40_000, lambda n: message_problems(text="x" * n, blocks=None), MSG_TOO_LONG),
    "message.blocks_text": (
        13_000,
        lambda n: message(*[section("x" * 3000) for _ in range(4)], section("x" * (n - 12_000))),
        MSG_BLOCKS_TOO_LONG,
    ),
    "markdown.text_total": (
        12_000,
        lambda n: message(
            {"type": "markdown", "text": "x" * 6000}, {"type": "markdown", "text": "x" * (n - 6000)}
        ),
        MSG_BLOCKS_TOO_LONG,
    ),
    "section.text": (3000, lambda n: message(section("x" * n)), INVALID_BLOCKS),
    "section.fields": (
        10,
        lambda n: message({"type": "section", "fields": [text("f") for _ in range(n)]}),
        INVALID_BLOCKS,
    ),
    "section.field_text": (
        2000,
        lambda n: message({"type": "section", "fields": [text("x" * n)]}),
        INVALID_BLOCKS,
    ),
    "header.text": (
        150,
        lambda n: message({"type": "header", "text": text("x" * n)}),
        INVALID_BLOCKS,
    ),
    "context.elements": (
        10,
        lambda n: message({"type": "context", "elements": [text("c") for _ in range(n)]}),
        INVALID_BLOCKS,
    ),
    "actions.elements": (
        25,
        lambda n: message(
            {"type": "actions", "elements": [button(action_id=f"b{i}") for i in range(n)]}
        ),
        INVALID_BLOCKS,
    ),
    "block_id": (255, lambda n: message(section(block_id="b" * n)), INVALID_BLOCKS),
    "action_id": (255, lambda n: element(button(action_id="a" * n)), INVALID_BLOCKS),
    "placeholder": (
        150,
        lambda n: element(select(placeholder=text("x" * n), options=options(1))),
        INVALID_BLOCKS,
    ),
    "button.text": (75, lambda n: element(button(text=text("x" * n))), INVALID_BLOCKS),
    "button.value": (2000, lambda n: element(button(value="x" * n)), INVALID_BLOCKS),
    "button.url": (3000, lambda n: element(button(url="x" * n)), INVALID_BLOCKS),
    "overflow.options": (
        5,
        lambda n: element({"type": "overflow", "action_id": "more", "options": options(n)}),
        INVALID_BLOCKS,
    ),
    "select.options": (100, lambda n: element(select(options=options(n))), INVALID_BLOCKS),
    "select.option_groups": (
        100,
        lambda n: element(
            select(option_groups=[{"label": text("g"), "options": options(1)} for _ in range(n)])
        ),
        INVALID_BLOCKS,
    ),
    "option_group.label": (
        75,
        lambda n: element(select(option_groups=[{"label": text("x" * n), "options": options(1)}])),
        INVALID_BLOCKS,
    ),
    "option_group.options": (
        100,
        lambda n: element(select(option_groups=[{"label": text("g"), "options": options(n)}])),
        INVALID_BLOCKS,
    ),
    "option.text": (75, lambda n: element(select(options=[option(label="x" * n)])), INVALID_BLOCKS),
    "option.value": (
        150,
        lambda n: element(select(options=[option(value="x" * n)])),
        INVALID_BLOCKS,
    ),
    "option.description": (
        75,
        lambda n: element(select(options=[option(description=text("x" * n))])),
        INVALID_BLOCKS,
    ),
    "option.url": (
        3000,
        lambda n: element(
            {"type": "overflow", "action_id": "more", "options": [option(url="x" * n)]}
        ),
        INVALID_BLOCKS,
    ),
    "confirm.title": (
        100,
        lambda n: element(button(confirm=confirm(title=text("x" * n)))),
        INVALID_BLOCKS,
    ),
    "confirm.text": (
        300,
        lambda n: element(button(confirm=confirm(text=text("x" * n)))),
        INVALID_BLOCKS,
    ),
    "confirm.confirm": (
        30,
        lambda n: element(button(confirm=confirm(confirm=text("x" * n)))),
        INVALID_BLOCKS,
    ),
    "confirm.deny": (
        30,
        lambda n: element(button(confirm=confirm(deny=text("x" * n)))),
        INVALID_BLOCKS,
    ),
    "view.blocks": (100, lambda n: modal(*[section() for _ in range(n)]), INVALID_ARGUMENTS),
    "view.bytes": (250_000, home_of_size, VIEW_TOO_LARGE),
    "view.title": (24, lambda n: modal(title=text("x" * n)), INVALID_ARGUMENTS),
    "view.submit": (24, lambda n: modal(submit=text("x" * n)), INVALID_ARGUMENTS),
    "view.close": (24, lambda n: modal(close=text("x" * n)), INVALID_ARGUMENTS),
    "view.private_metadata": (3000, lambda n: modal(private_metadata="x" * n), INVALID_ARGUMENTS),
    "view.callback_id": (255, lambda n: modal(callback_id="x" * n), INVALID_ARGUMENTS),
    "view.external_id": (255, lambda n: modal(external_id="x" * n), INVALID_ARGUMENTS),
    "input.label": (
        2000,
        lambda n: modal(text_input() | {"label": text("x" * n)}),
        INVALID_ARGUMENTS,
    ),
    "input.hint": (
        2000,
        lambda n: modal(text_input() | {"hint": text("x" * n)}),
        INVALID_ARGUMENTS,
    ),
    "plain_text_input.length": (
        3000,
        lambda n: modal(text_input(max_length=n, min_length=n)),
        INVALID_ARGUMENTS,
    ),
}


def test_every_limit_in_the_table_is_exercised() -> None:
    assert set(CASES) == set(LIMITS)


@pytest.mark.parametrize("name", sorted(CASES))
def test_at_the_limit_passes_and_one_over_fails(name: str) -> None:
    documented, check, code = CASES[name]
    assert LIMITS[name] == documented
    assert check(documented) == []
    problems = check(documented + 1)
    assert problems, f"{name}: one over the limit was accepted"
    assert {p.code for p in problems} == {code}
    assert str(documented + 1) in str(problems[0])


def test_arrays_the_docs_require_need_at_least_one_item() -> None:
    for problems in (
        element({"type": "overflow", "action_id": "more", "options": []}),
        message({"type": "actions", "elements": []}),
        message({"type": "context", "elements": []}),
    ):
        assert [p.code for p in problems] == [INVALID_BLOCKS]
    assert element({"type": "overflow", "action_id": "more", "options": options(1)}) == []


def test_required_fields() -> None:
    assert [p.code for p in message({"type": "header"})] == [INVALID_BLOCKS]
    assert [p.code for p in message({"type": "actions"})] == [INVALID_BLOCKS]
    no_element = {"type": "input", "label": text("Name")}
    assert [p.code for p in modal(no_element)] == [INVALID_ARGUMENTS]


def test_section_needs_non_empty_text_or_fields() -> None:
    assert [p.code for p in message(section(""))] == [INVALID_BLOCKS]
    assert [p.code for p in message({"type": "section"})] == [INVALID_BLOCKS]
    assert message({"type": "section", "fields": [text("a")]}) == []


def test_duplicate_block_ids() -> None:
    problems = message(section(block_id="b"), section(block_id="b"))
    assert [p.code for p in problems] == [INVALID_BLOCKS]
    assert "used twice" in str(problems[0])
    assert [p.code for p in modal(section(block_id="b"), section(block_id="b"))] == [
        INVALID_ARGUMENTS
    ]


def test_no_text() -> None:
    assert [p.code for p in message_problems(text="", blocks=None)] == [NO_TEXT]
    assert [p.code for p in message_problems(text=None, blocks=[])] == [NO_TEXT]
    assert message_problems(text="hi", blocks=None) == []
    assert message_problems(text=None, blocks=[section()]) == []


def test_plain_text_input_bounds() -> None:
    assert [p.code for p in modal(text_input(max_length=0))] == [INVALID_ARGUMENTS]
    assert modal(text_input(max_length=1, min_length=0)) == []


def test_modal_rules() -> None:
    no_title = {"type": "modal", "blocks": [section()]}
    assert [p.code for p in view_problems(no_title)] == [INVALID_ARGUMENTS]
    no_submit = {"type": "modal", "title": text("T"), "blocks": [text_input()]}
    [problem] = view_problems(no_submit)
    assert (problem.code, "submit" in str(problem)) == (INVALID_ARGUMENTS, True)
    assert [p.code for p in view_problems({"type": "nope", "blocks": []})] == [INVALID_ARGUMENTS]
    assert [p.code for p in view_problems("not a view")] == [INVALID_ARGUMENTS]


def test_module_imports_only_the_standard_library() -> None:
    tree = ast.parse(Path(fake_slack_limits.__file__).read_text())
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    roots = {name.split(".")[0] for name in imported}
    assert roots <= set(sys.stdlib_module_names) | {"__future__"}


# Through the real slack_sdk WebClient and a started FakeSlack.


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as server:
        server.add_channel("C0RELEASES", "releases")
        yield server


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(token=fake.bot_token, base_url=fake.api_url)


def slack_error(call: Callable[[], Any]) -> SlackApiError:
    with pytest.raises(SlackApiError) as caught:
        call()
    return caught.value


def actions(item: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"type": "actions", "elements": [item]}]


def test_web_client_gets_invalid_blocks(fake: FakeSlack, client: WebClient) -> None:
    ok = client.chat_postMessage(
        channel="C0RELEASES", text="t", blocks=actions(button(text=text("x" * 75)))
    )
    assert ok["ok"]
    # A 150-character option value is within Slack's documented limit: the fake takes it.
    wide = client.chat_postMessage(
        channel="C0RELEASES", text="t", blocks=actions(select(options=[option(value="v" * 150)]))
    )
    assert wide["ok"]
    err = slack_error(
        lambda: client.chat_postMessage(
            channel="C0RELEASES", text="t", blocks=actions(button(text=text("x" * 76)))
        )
    )
    assert err.response["error"] == "invalid_blocks"
    assert "76 characters" in err.response["response_metadata"]["messages"][0]
    assert len(fake.messages("C0RELEASES")) == 2


def test_block_errors_win_over_size_errors(client: WebClient) -> None:
    blocks = [section("x" * 3001)]
    err = slack_error(
        lambda: client.chat_postMessage(channel="C0RELEASES", text="x" * 40_001, blocks=blocks)
    )
    assert err.response["error"] == "invalid_blocks"


def test_web_client_gets_invalid_arguments_for_a_view(fake: FakeSlack, client: WebClient) -> None:
    view = {"type": "modal", "title": text("x" * 24), "blocks": [section()]}
    assert client.views_open(trigger_id=fake.new_trigger_id(), view=view)["ok"]
    too_long = view | {"title": text("x" * 25)}
    err = slack_error(lambda: client.views_open(trigger_id=fake.new_trigger_id(), view=too_long))
    assert err.response["error"] == "invalid_arguments"
    assert "title is 25 characters" in err.response["response_metadata"]["messages"][0]
