"""Interactive payloads that are malformed, forged or replayed: a refusal or Bolt's 4xx,
never a 500, and the store unchanged."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.devtools.driver import signed_headers
from bot.devtools.workspace import Workspace
from bot.slack import ids
from bot.storage.asset_models import Asset
from bot.storage.audit_models import AuditEntry
from tests.helpers import CORA, ack_text, count, counts, wsgi_post
from tests.interactions.approval_support import approve_payload, decided_steps, open_round

MIA = "U0MIA"
Mutation = Callable[[dict[str, Any]], None]


def _set(path: list[Any], value: Any) -> Mutation:
    def mutate(payload: dict[str, Any]) -> None:
        node = payload
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return mutate


def _drop(path: list[Any]) -> Mutation:
    def mutate(payload: dict[str, Any]) -> None:
        node = payload
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return mutate


def _drop_all(*paths: list[Any]) -> Mutation:
    def mutate(payload: dict[str, Any]) -> None:
        for path in paths:
            _drop(path)(payload)

    return mutate


MUTATIONS: dict[str, Mutation] = {
    "no user": _drop(["user"]),
    "user id a number": _set(["user", "id"], 12345),
    "no actions": _drop(["actions"]),
    "actions not a list": _set(["actions"], {"action_id": ids.APPROVE}),
    "empty actions": _set(["actions"], []),
    "no container and no message": _drop_all(["container"], ["message"]),
    "value a number": _set(["actions", 0, "value"], 7),
    "value huge": _set(["actions", 0, "value"], "x" * 200_000),
    "value forged round": _set(["actions", 0, "value"], json.dumps({"r": 999, "d": "marketing"})),
    "value negative round": _set(["actions", 0, "value"], json.dumps({"r": -1, "d": "marketing"})),
    "value extra fields": _set(
        ["actions", 0, "value"], json.dumps({"r": 1, "d": "marketing", "u": CORA})
    ),
    "block id forged": _set(["actions", 0, "block_id"], "approval:1:legal"),
    "block id missing": _drop(["actions", 0, "block_id"]),
    "unknown action id": _set(["actions", 0, "action_id"], "approval.delete_everything"),
    "message ts of another message": _set(["container", "message_ts"], "1.000001"),
    "channel unknown": _set(["container", "channel_id"], "C0NOWHERE"),
    "type unknown": _set(["type"], "block_actions_v2"),
}


@pytest.fixture
def round_open(workspace: Workspace) -> Workspace:
    open_round(workspace)
    return workspace


def decisions(ws: Workspace) -> tuple[int, int]:
    with ws.runtime.db.read() as session:
        audit = session.scalar(select(func.count()).select_from(AuditEntry))
    return decided_steps(ws), audit or 0


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_a_malformed_click_is_refused_without_a_500(round_open: Workspace, name: str) -> None:
    payload = copy.deepcopy(approve_payload(round_open))
    MUTATIONS[name](payload)
    before = decisions(round_open), counts(round_open)
    response = round_open.driver.dispatch(round_open.driver.interactive_body(payload))
    round_open.settle()
    assert response.status in (200, 400, 401, 404), response.body
    assert "ERR-" not in (response.body or "")
    assert (decisions(round_open), counts(round_open)) == before
    for ephemeral in round_open.fake.ephemerals():
        assert "reference ERR-" not in ephemeral.text, ephemeral.text


@pytest.mark.parametrize(
    "body",
    [
        "payload=not-json",
        "payload=%5B1%2C2%5D",
        "payload=",
        "nothing=here",
        "payload=%7B%7D",
        "payload=" + "%7B" * 5000,
    ],
)
@pytest.mark.parametrize("signed", [True, False])
def test_garbage_bodies_get_a_4xx(round_open: Workspace, body: str, signed: bool) -> None:
    before = decisions(round_open)
    status = wsgi_post(round_open, body, signed=signed)
    round_open.settle()
    assert status in (400, 401, 404)
    assert decisions(round_open) == before


def test_a_replayed_click_decides_once(round_open: Workspace) -> None:
    body = round_open.driver.interactive_body(approve_payload(round_open))
    headers = signed_headers(round_open.driver.secret, body)
    for _ in range(3):
        assert round_open.driver.dispatch(body, headers=headers).status == 200
        round_open.settle()
    assert decisions(round_open)[0] == 1
    assert "Already decided" in round_open.fake.ephemerals(MIA)[-1].text


def test_a_modal_submission_with_forged_state_changes_nothing(round_open: Workspace) -> None:
    state = json.dumps({"request_id": 1, "dept": "legal", "channel": "C0X", "message_ts": "1.2"})
    view = {
        "id": "V1",
        "type": "modal",
        "callback_id": ids.REQUEST_CHANGES_VIEW,
        "private_metadata": state,
        "blocks": [],
        "hash": "h",
    }
    values = {
        ids.REQUEST_CHANGES_REASON_BLOCK: {
            ids.REQUEST_CHANGES_REASON_INPUT: {"type": "plain_text_input", "value": "sneaky"}
        }
    }
    before = decisions(round_open)
    response = round_open.driver.submit(MIA, view, values)
    assert response.status == 200
    assert json.loads(response.body)["response_action"] == "errors"
    assert decisions(round_open) == before


def test_a_command_slack_escaped_past_4000_characters_gets_an_answer_not_an_http_error(
    workspace: Workspace,
) -> None:
    # 810 "&" typed are 4,050 characters once Slack escapes each one as "&amp;".
    escaped = 'new "Poster" kind:poster due:+7d notes:"' + "&amp;" * 810 + '"'
    reply = ack_text(workspace.command(CORA, "/asset", escaped))
    assert "Created" in reply  # 850 typed characters: well within what Slack allows
    too_long = "new " + "x" * 10_000
    answer = ack_text(workspace.command(CORA, "/asset", too_long))
    assert "10,004 characters; Sleeve reads up to 4,000" in answer
    assert count(workspace, Asset) == 1


def test_a_malformed_click_is_401_unsigned_and_400_signed(round_open: Workspace) -> None:
    """The shape check never answers a forger: without the signature it is Bolt's 401."""
    payload = copy.deepcopy(approve_payload(round_open))
    payload["actions"] = "not a list"
    body = round_open.driver.interactive_body(payload)
    assert round_open.driver.dispatch(body).status == 400
    unsigned = {"content-type": "application/x-www-form-urlencoded"}
    assert round_open.driver.dispatch(body, headers=unsigned).status == 401
