"""Regenerate ``slack_methods.json``, the Web API facts the fake Slack checks calls against.

Run by hand, never at run time, with the folder of per-method JSON files from the
``slack-api-ref`` scrape of docs.slack.dev (MIT licensed)::

    python -m bot.devtools.gen_slack_methods /path/to/slack-api-ref/docs.slack.dev/methods

It writes ``bot/devtools/slack_methods.json`` next to this file (or ``--out PATH``). For each
method the fake serves it keeps the HTTP method, the required arguments except ``token``
(which is checked from the Authorization header or the ``token`` field), the documented
error codes and the rate tier.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

METHODS: tuple[str, ...] = (
    "auth.test",
    "chat.postMessage",
    "chat.update",
    "chat.postEphemeral",
    "chat.getPermalink",
    "views.open",
    "views.update",
    "views.publish",
    "users.info",
    "conversations.open",
    "usergroups.list",
    "usergroups.users.list",
    "apps.connections.open",
    "files.info",
    "files.getUploadURLExternal",
    "files.completeUploadExternal",
)

# Arguments where one of several is needed. The scrape's schemas cannot say "one of", so
# these come from the argument descriptions on the method pages.
ONE_OF: dict[str, list[list[str]]] = {
    "views.open": [["trigger_id", "interactivity_pointer"]],
    "views.update": [["view_id", "external_id"]],
    "conversations.open": [["channel", "users"]],
}

# Errors Slack lists on every method page; the scrape keeps only the method-specific ones.
COMMON_ERRORS: tuple[str, ...] = (
    "access_denied",
    "account_inactive",
    "deprecated_endpoint",
    "enterprise_is_restricted",
    "fatal_error",
    "internal_error",
    "invalid_arg_name",
    "invalid_arguments",
    "invalid_array_arg",
    "invalid_auth",
    "invalid_charset",
    "invalid_form_data",
    "invalid_post_type",
    "method_deprecated",
    "missing_post_type",
    "missing_scope",
    "no_permission",
    "not_allowed_token_type",
    "not_authed",
    "ratelimited",
    "request_timeout",
    "service_unavailable",
    "team_added_to_org",
    "token_expired",
    "token_revoked",
    "two_factor_setup_required",
    "unknown_method",
)

# The scrape writes Slack's "Special" rate tier as t5.
TIERS: dict[str, str] = {"t1": "tier1", "t2": "tier2", "t3": "tier3", "t4": "tier4"}
SPECIAL_TIER = "special"


def method_entry(doc: dict[str, Any], name: str) -> dict[str, Any]:
    """The facts kept for one method, from its docs.slack.dev JSON."""
    required = [a for a in doc.get("args", {}).get("required", []) if a != "token"]
    tier = doc.get("rate_limits")
    return {
        "http_method": doc["http_method"],
        "required": sorted(required),
        "one_of": ONE_OF.get(name, []),
        "errors": sorted(doc.get("errors", {})),
        "rate_tier": TIERS.get(tier, SPECIAL_TIER if tier == "t5" else str(tier)),
    }


def build(methods_dir: Path) -> dict[str, Any]:
    methods = {}
    for name in METHODS:
        doc = json.loads((methods_dir / f"{name}.json").read_text(encoding="utf-8"))
        methods[name] = method_entry(doc, name)
    return {
        "source": (
            "docs.slack.dev/reference/methods/<method>.json via the slack-api-ref scrape "
            "(MIT, Daniel Doubrovkine, Artsy and contributors); regenerate with "
            "python -m bot.devtools.gen_slack_methods <methods dir>"
        ),
        "common_errors": sorted(COMMON_ERRORS),
        "methods": methods,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("methods_dir", type=Path, help="folder holding <method>.json files")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("slack_methods.json"))
    args = parser.parse_args(argv)
    data = build(args.methods_dir)
    args.out.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    print(f"wrote {len(data['methods'])} methods to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
