"""The approval buttons and the request-changes modal.

A click is acknowledged at once; the decision and its Web API calls run after the ack, on
the runtime's executor. The decider is the user Slack signed the request for, never
anything in the button; the button only names the round and department, and must match
both its block and its message.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError as ModelError
from slack_bolt import Ack, App
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from bot.approvals import service as approvals
from bot.approvals.flow import after_decision, roster, with_conditions
from bot.approvals.messages import ApprovalButton, ChangesModalState, request_changes_modal
from bot.core.errors import PermissionDenied, SleeveError
from bot.departments.service import DepartmentView, require_member
from bot.departments.work import WorkOpener
from bot.domain.approvals import Decision, Status
from bot.runtime import Runtime
from bot.slack import ids
from bot.slack.delivery import Held, after_ack, hold, send_held, send_now
from bot.slack.errors import user_message
from bot.slack.groups import UsergroupDirectory
from bot.slack.replies import OpenView, Outgoing

logger = logging.getLogger("sleeve.approvals")


def read_button(action: dict[str, Any]) -> ApprovalButton:
    """The round and department a button names, which must agree with its block_id."""
    try:
        button = ApprovalButton.model_validate_json(str(action.get("value") or ""))
    except ModelError:
        raise PermissionDenied("That button isn't one of Sleeve's; nothing was recorded.") from None
    if action.get("block_id") != ids.approval_block_id(button.r, button.d):
        raise PermissionDenied("That button doesn't belong to this message; nothing was recorded.")
    return button


def click_fields(body: dict[str, Any]) -> dict[str, Any]:
    """What the work after a click's ack reads of its payload, without the clicked message
    (its blocks are most of the payload): a burst of clicks queues one of these each."""
    message = body.get("message")
    return {
        "actions": body.get("actions"),
        "user": body.get("user"),
        "trigger_id": body.get("trigger_id"),
        "container": body.get("container"),
        "channel": body.get("channel"),
        "message": {"ts": message.get("ts")} if isinstance(message, dict) else message,
        "view": {"type": (body.get("view") or {}).get("type")},
    }


def clicked_message(body: dict[str, Any]) -> tuple[str, str] | None:
    """The round's message a button was clicked in; None for a click on the App Home, whose
    buttons name the round alone (its message is read from the database)."""
    container = body.get("container") or {}
    if container.get("type") == "view" and (body.get("view") or {}).get("type") == "home":
        return None
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    ts = container.get("message_ts") or (body.get("message") or {}).get("ts")
    if not channel or not ts:
        raise PermissionDenied("That click came without its message; nothing was recorded.")
    return str(channel), str(ts)


def _tell(
    respond: Respond | None, text: str, client: WebClient | None = None, user: str | None = None
) -> None:
    """Tell the clicker alone: ephemerally where they clicked, or by DM from the App Home
    (a Home click has nowhere to answer ephemerally)."""
    try:
        if respond is not None and respond.response_url:
            respond(text=text, response_type="ephemeral", replace_original=False)
        elif client is not None and user:
            client.chat_postMessage(channel=user, text=text)
    except Exception:
        logger.warning("could not tell the clicker", exc_info=True)


@dataclass(frozen=True)
class Deciders:
    """What the listeners share: the runtime, and who is in each Slack user group."""

    runtime: Runtime
    groups: UsergroupDirectory

    def known_without_slack(self, dept: DepartmentView, user_id: str) -> bool:
        """Whether membership can be checked without a Web API call: an explicit member, a
        department with no user group, or a group whose members are cached."""
        if user_id in dept.members or not dept.usergroup_id:
            return True
        return self.groups.known(dept.usergroup_id) is not None

    def decidable_without_slack(self, choice: Choice) -> bool:
        with self.runtime.db.read() as session:
            dept = roster(session).get(choice.dept_key)
        return dept is None or self.known_without_slack(dept, choice.user_id)

    def warm_groups(self, dept_key: str) -> None:
        """Ask Slack who is in the department's user group now, outside the transaction, so
        the check inside it reads the cache instead of holding the writer on the network."""
        with self.runtime.db.read() as session:
            dept = roster(session).get(dept_key)
        if dept is not None and dept.usergroup_id:
            # When Slack can't say, the check inside the transaction tells the user.
            with contextlib.suppress(SleeveError):
                self.groups.members(dept.usergroup_id)


@dataclass(frozen=True)
class Choice:
    """One decision as a click or the modal asks for it."""

    user_id: str
    request_id: int
    dept_key: str
    decision: Decision
    reason: str | None
    message: tuple[str, str] | None  # (channel, ts) of the round's message; None from Home


def decide(deps: Deciders, choice: Choice, response_url: str | None) -> Held:
    """One member's decision, authorised and recorded in one unit of work with the outbox
    of what it sends to Slack."""
    deps.warm_groups(choice.dept_key)
    with WorkOpener(deps.runtime, choice.user_id).open(write=True) as work:
        depts = roster(work.session)  # read once: the check and the redraw share it
        decided = approvals.decide(
            work.session,
            actor=work.actor,
            request_id=choice.request_id,
            dept_key=choice.dept_key,
            decision=choice.decision,
            reason=choice.reason,
            now=work.now,
            groups=deps.groups.cached(),
            message=choice.message,
            depts=depts,
        )
        quoted: list[Outgoing] = []
        if choice.decision is Decision.APPROVE and choice.reason:
            # Recorded before the card is drawn, so the card lists them.
            quoted = with_conditions(
                work.session,
                decided,
                depts,
                note=choice.reason,
                user_id=choice.user_id,
                now=work.now,
            )
        items = after_decision(deps.runtime, work.session, decided, depts, redraw_card=bool(quoted))
        return hold(deps.runtime, work.session, items + quoted, response_url)


def approve(deps: Deciders, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
    try:
        button = read_button(body["actions"][0])
        choice = Choice(
            body["user"]["id"], button.r, button.d, Decision.APPROVE, None, clicked_message(body)
        )
        held = decide(deps, choice, respond.response_url)
    except Exception as exc:  # every refusal, and any fault, is told to the clicker alone
        _tell(respond, user_message(exc, where="approval.approve"), client, body["user"]["id"])
        return
    send_held(deps.runtime, client, held, respond)


def open_changes(
    deps: Deciders,
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    approving: bool = False,
) -> None:
    """Open the reason form (or, ``approving``, the conditions form) at once: its trigger
    lives three seconds. Membership is checked here only when it is known without asking
    Slack, and always when the form is sent."""
    try:
        button = read_button(body["actions"][0])
        message = clicked_message(body)
        trigger_id = body.get("trigger_id")
        if not isinstance(trigger_id, str) or not trigger_id:
            raise PermissionDenied("That click came without a way to open the form; click again.")
        with deps.runtime.db.read() as session:
            dept = roster(session).get(button.d)
            if dept is None:
                raise PermissionDenied("That department no longer exists; nothing was recorded.")
            if deps.known_without_slack(dept, body["user"]["id"]):
                require_member(dept, body["user"]["id"], deps.groups.cached())
            request = approvals.get_request(session, button.r)
            mismatch = message is not None and (request.channel_id, request.message_ts) != message
            if request is None or mismatch:
                raise PermissionDenied(
                    "That button doesn't belong to this message; nothing was recorded."
                )
            if request.status != Status.PENDING:
                raise SleeveError(f"Nothing to change: {approvals.round_label(request)} is closed.")
            channel, ts = message or (None, None)
            state = ChangesModalState(
                request_id=request.id, dept=button.d, channel=channel, message_ts=ts
            )
            view = request_changes_modal(state, dept.name, request.asset, approving=approving)
    except Exception as exc:
        where = "approval.request_changes"
        _tell(respond, user_message(exc, where=where), client, body["user"]["id"])
        return
    send_now(deps.runtime, client, [OpenView(trigger_id=trigger_id, view=view)], respond)
    deps.warm_groups(button.d)  # while the user types: the submission reads the cache


def _reason(view: dict[str, Any]) -> str:
    values = view.get("state", {}).get("values", {})
    field = values.get(ids.REQUEST_CHANGES_REASON_BLOCK, {}).get(ids.REQUEST_CHANGES_REASON_INPUT)
    return str((field or {}).get("value") or "")


def submit_changes(
    deps: Deciders,
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    client: WebClient,
    approving: bool = False,
) -> None:
    """Errors Sleeve can tell without Slack go back to the form; a decision that needs Slack
    to say who is in a user group is made after the ack, and a refusal is told in the channel.
    ``approving``: the form of "Approve with changes", whose note holds the conditions."""
    reason = _reason(view)
    if not reason.strip():
        said = "Say what must change." if approving else "Say what needs to change."
        ack(response_action="errors", errors={ids.REQUEST_CHANGES_REASON_BLOCK: said})
        return
    try:
        state = ChangesModalState.model_validate_json(view.get("private_metadata") or "")
        choice = Choice(
            body["user"]["id"],
            state.request_id,
            state.dept,
            Decision.APPROVE if approving else Decision.CHANGES,
            reason,
            (state.channel, state.message_ts) if state.channel and state.message_ts else None,
        )
        if not deps.decidable_without_slack(choice):
            ack()
            after_ack(deps.runtime, _decide_later, deps, choice, client)
            return
        held = decide(deps, choice, None)
    except (SleeveError, ModelError) as exc:
        message = exc.message if isinstance(exc, SleeveError) else "This form is out of date."
        ack(response_action="errors", errors={ids.REQUEST_CHANGES_REASON_BLOCK: message})
        return
    ack()
    after_ack(deps.runtime, send_held, deps.runtime, client, held)


def _decide_later(deps: Deciders, choice: Choice, client: WebClient) -> None:
    try:
        held = decide(deps, choice, None)
    except SleeveError as exc:
        with contextlib.suppress(Exception):
            if choice.message is None:  # decided from the App Home
                client.chat_postMessage(channel=choice.user_id, text=exc.message)
            else:
                channel, _ts = choice.message
                client.chat_postEphemeral(channel=channel, user=choice.user_id, text=exc.message)
        return
    send_held(deps.runtime, client, held)


def register(app: App, runtime: Runtime) -> None:
    deps = Deciders(runtime, UsergroupDirectory(app.client))

    def on_approve(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        after_ack(runtime, approve, deps, click_fields(body), client, respond)

    def on_request_changes(
        ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond
    ) -> None:
        ack()
        after_ack(runtime, open_changes, deps, click_fields(body), client, respond)

    def on_submit_changes(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        submit_changes(deps, ack, body, view, client)

    def on_approve_with_changes(
        ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond
    ) -> None:
        ack()
        after_ack(runtime, open_changes, deps, click_fields(body), client, respond, True)

    def on_submit_conditions(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        submit_changes(deps, ack, body, view, client, approving=True)

    app.action(ids.APPROVE)(on_approve)
    app.action(ids.REQUEST_CHANGES)(on_request_changes)
    app.action(ids.APPROVE_WITH_CHANGES)(on_approve_with_changes)
    app.view(ids.REQUEST_CHANGES_VIEW)(on_submit_changes)
    app.view(ids.APPROVE_WITH_CHANGES_VIEW)(on_submit_conditions)
