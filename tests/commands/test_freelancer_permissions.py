"""Who may run each freelancer verb, as one table: a coordinator, a
department member and a guest (the freelancer herself), on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.devtools.workspace import Workspace
from tests.helpers import CORA, FAY, MIA, ack, ack_text, counts

COORDINATOR, MEMBER, GUEST = CORA, MIA, FAY
EVERYONE = frozenset({COORDINATOR, MEMBER, GUEST})
COORDINATORS = frozenset({COORDINATOR})
# A-1 below is owned by the member, so the member may assign it.
OWNER_OR_COORDINATOR = frozenset({COORDINATOR, MEMBER})
ONLY_COORDINATORS = "Only coordinators can"


@dataclass(frozen=True)
class Case:
    command: str
    text: str
    allowed: frozenset[str]
    done: str  # what the reply says when it is allowed
    refused: str = ONLY_COORDINATORS


MATRIX = (
    Case("/freelancer", "list", EVERYONE, "Fay Moreau"),
    Case("/freelancer", "list all skill:layout", EVERYONE, "Ola Berg"),
    # Contact details depend on who asks: tests/commands/test_freelancer_reach.py.
    Case("/freelancer", "show F-1", EVERYONE, "Fay Moreau"),
    Case("/freelancer", 'add "Nia Cole" email:nia@example.com', COORDINATORS, "Added *F-3*"),
    Case("/freelancer", 'edit F-1 phone:"+44 20 7946 0958"', COORDINATORS, "updated phone"),
    Case("/freelancer", "rate F-1 500", COORDINATORS, "recorded 500.00 GBP per asset"),
    Case("/freelancer", "archive F-1", COORDINATORS, "Archived *F-1*"),
    Case("/freelancer", "restore F-2", COORDINATORS, "Restored *F-2*"),
    Case(
        "/asset",
        "assign A-1 F-1",
        OWNER_OR_COORDINATOR,
        "A-1 is now assigned to *F-1*",
        refused="Only its owner <@U0MIA> or a coordinator can assign",
    ),
)


def setup(ws: Workspace) -> None:
    ack(ws.command(CORA, "/freelancer", 'add "Ola Berg" email:ola@example.com skills:layout'))
    ack(ws.command(CORA, "/freelancer", "archive F-2"))
    ack(ws.command(MIA, "/asset", 'new "Banner" kind:social due:+7d'))


@pytest.mark.parametrize(
    "who", [COORDINATOR, MEMBER, GUEST], ids=["coordinator", "member", "guest"]
)
@pytest.mark.parametrize(
    "case", MATRIX, ids=[f"{c.command[1:]} {c.text.split()[0]}" for c in MATRIX]
)
def test_permission_matrix(workspace: Workspace, case: Case, who: str) -> None:
    setup(workspace)
    before, messages = counts(workspace), len(workspace.fake.messages())
    text = ack_text(workspace.command(who, case.command, case.text))
    if who in case.allowed:
        assert case.done in text, text
    else:
        assert case.refused in text, text
        assert counts(workspace) == before  # nothing written, not even to the audit log
        assert len(workspace.fake.messages()) == messages
