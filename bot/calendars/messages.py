"""The ephemeral answers of `/digest calendar`: pure text of what they are given."""

from __future__ import annotations

_KEEP_PRIVATE = (
    "Anyone with this link can read the calendar: keep it to yourself. "
    "`/digest calendar reset` replaces it if it gets out."
)


def _shows(coordinator: bool) -> str:
    whose = "every asset" if coordinator else "the assets you own or are assigned to"
    return (
        f"It shows the street date of every release and the due dates of {whose}, "
        "as all-day events."
    )


def feed_text(url: str, *, coordinator: bool, replaced: bool) -> str:
    """The person's calendar URL; ``replaced``: the old one stopped working (a new key)."""
    if replaced:
        opening = (
            "Your calendar has a new link (Sleeve's signing secret changed since the last "
            "one, which no longer works):"
        )
    else:
        opening = "Your Sleeve calendar:"
    return (
        f"{opening} <{url}>\n"
        "Subscribe to it by URL in Google Calendar, Outlook or Apple Calendar. "
        f"{_shows(coordinator)}\n{_KEEP_PRIVATE}"
    )


def reset_text(url: str, *, coordinator: bool) -> str:
    return (
        f"Your old calendar link no longer works. The new one: <{url}>\n"
        "Subscribe to it in your calendar app, and remove the old subscription. "
        f"{_shows(coordinator)}\n{_KEEP_PRIVATE}"
    )


def not_set_up_text(*, reset: bool) -> str:
    """No public address: Sleeve can't say where its feeds are served."""
    done = "Your old calendar link no longer works. " if reset else ""
    return (
        f"{done}Calendar links need the address Sleeve is reached at: an admin must set "
        "`SLEEVE_PUBLIC_URL` (see the admin guide), then `/digest calendar` gives you yours."
    )
