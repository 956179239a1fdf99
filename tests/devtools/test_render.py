"""The shell shows mrkdwn styled at a terminal, and plain in a script's output."""

from __future__ import annotations

import io

from rich.console import Console

from bot.devtools.render import rich_markup


def test_mrkdwn_becomes_rich_markup_and_brackets_stay_literal() -> None:
    assert rich_markup("*A-9* Tour poster") == "[bold]A-9[/bold] Tour poster"
    assert rich_markup("_Signed off by phone_") == "[italic]Signed off by phone[/italic]"
    assert rich_markup("~old~ new") == "[strike]old[/strike] new"
    assert rich_markup("2*3*4 and snake_case_name") == "2*3*4 and snake_case_name"


def test_a_terminal_gets_bold_and_emoji() -> None:
    out = io.StringIO()
    console = Console(
        file=out, force_terminal=True, color_system="standard", emoji=True, highlight=False
    )
    console.print(rich_markup("*A-9* approved :white_check_mark: [1] Approve [bold] x"))
    shown = out.getvalue()
    assert "\x1b[1mA-9\x1b[0m" in shown and "✅" in shown
    assert "[1] Approve [bold] x" in shown  # brackets a user typed are shown, never markup
