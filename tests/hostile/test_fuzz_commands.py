"""Every command's text, fuzzed: a clear answer or a refusal, never a 500 or an internal error,
and a refusal changes nothing."""

from __future__ import annotations

import json
import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.commands.catalog import NOUNS
from bot.devtools.workspace import Workspace
from tests.helpers import CORA, counts

WORDS = st.sampled_from(
    [
        "A-1",
        "a-1",
        "A-0",
        "A-99999999999",
        "SLV-1",
        "F-1",
        "legal",
        "marketing",
        "cover",
        "kind:poster",
        "kind:",
        "due:+3d",
        "due:2027-02-30",
        "due:fri",
        "date:2027-05-14",
        "format:cd,vinyl",
        "catno:SLV-9",
        "upc:036000241457",
        "stage:design",
        "stage:approved",
        "depts:marketing",
        "dept:legal",
        'reason:"x"',
        "page:2",
        "page:0",
        "overdue",
        "mine",
        "members:<@U0MIA|mia>",
        "group:<!subteam^S1|@t>",
        "channel:<#C1|x>",
        "owner:<@U1>",
        "&lt;!channel&gt;",
        "<!channel>",
        "<@U0CORA|cora>",
        "“quoted words”",
        '"open',
        "x:y:z",
        "https://evil.example/x",
        "09:00",
        "\u202eevil",
        "🎛️",
        "\x00",
        "\\",
        "''",
        "",
    ]
)
TEXT = st.one_of(
    st.text(max_size=200),
    st.lists(WORDS, max_size=8).map(" ".join),
    st.tuples(
        st.sampled_from(["new", "list", "show", "move", "due", "set", "request", "help"]),
        st.lists(WORDS, max_size=6),
    ).map(lambda t: " ".join([t[0], *t[1]])),
)
# Replies that say something changed; every other reply must have changed nothing.
SUCCESS = re.compile(
    r"Created|Updated|Asked|Approved|Linked|Approval route|Cancelled round"
    r"|A-\d+(: \w+ is now | is now owned| has no freelancer now|: updated)"
)
COMMANDS = st.sampled_from(sorted(noun.command for noun in NOUNS.values()))
USERS = st.sampled_from([CORA, "U0MIA", "U0SAM", "U0FAY"])


@settings(
    max_examples=1500,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(command=COMMANDS, text=TEXT, user=USERS)
@example(command="/release", text="SHOW \x00", user=CORA)  # PostgreSQL refuses NUL in text
def test_any_command_text_gets_a_clear_answer(
    workspace: Workspace, command: str, text: str, user: str
) -> None:
    before = counts(workspace)
    response = workspace.driver.command(user, command, text, channel_id=workspace.channel)
    assert response.status == 200
    body = json.loads(response.body) if response.body else {}
    shown = body.get("text", "")
    assert "Traceback" not in shown and "reference ERR-" not in shown, shown
    if body and not SUCCESS.match(shown):
        assert counts(workspace) == before, (command, text, shown)
