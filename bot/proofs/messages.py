"""What proofs say in Slack: the preflight findings, a version's line, a delivery notice.
Pure builders: they read what they are given and return text and blocks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field
from slack_sdk.models.blocks import InputBlock, PlainTextInputElement
from slack_sdk.models.views import View

from bot.approvals.messages import asset_title, proof_link
from bot.domain.catalog import KINDS
from bot.slack import ids
from bot.slack.blocks import Blocks, context, line_sections, section, to_dicts
from bot.slack.text import fit, mention

if TYPE_CHECKING:
    from bot.storage.asset_models import Asset
    from bot.storage.proof_models import Proof

MARKS = {"pass": ":white_check_mark:", "warn": ":warning:", "fail": ":x:"}
STATUS_WORDS = {
    "pending": "preflight running",
    "pass": "preflight passed",
    "warn": "preflight: warnings",
    "fail": "preflight: problems",
    "not_checked": "not checked",
}
_MEASURE_CHARS = 300  # measured values can quote the file (font names): user text


def summary(checks: Sequence[dict[str, Any]], status: str) -> str:
    """``2 problems, 1 warning`` / ``no problems`` / ``not checked``."""
    if status == "not_checked":
        return "not checked"
    problems = sum(1 for c in checks if c.get("status") == "fail")
    warnings = sum(1 for c in checks if c.get("status") == "warn")
    parts = [_count(problems, "problem")] if problems else []
    parts += [_count(warnings, "warning")] if warnings else []
    return ", ".join(parts) or "no problems"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def check_line(check: dict[str, Any]) -> str:
    mark = MARKS.get(str(check.get("status")), ":grey_question:")
    name = fit(str(check.get("name", "check")), 60)
    measured = fit(str(check.get("measured", "")), _MEASURE_CHARS)
    expected = fit(str(check.get("expected", "")), _MEASURE_CHARS)
    line = f"{mark} *{name}*: {measured}"
    if expected and check.get("status") != "pass":
        line += f" — expected {expected}"
    return line


def findings_message(asset: Asset, proof: Proof) -> tuple[str, Blocks]:
    """``Preflight A-3 v2: 2 problems``, each problem and warning, then what passed."""
    checks = list(proof.checks or [])
    said = summary(checks, proof.preflight)
    heading = f"Preflight A-{asset.id} {proof.label}: {said}"
    blocks: list[Any] = [section(f"*{heading}*")]
    spec = f"against the {fit(proof.spec, 120)} spec" if proof.spec else "no print spec"
    blocks.append(context(f"{proof_link(proof)} · {KINDS[asset.kind].label} · {spec}"))
    if proof.preflight == "not_checked":
        blocks.append(
            section(f":grey_question: {fit(proof.reason or 'It could not be read.', 1500)}")
        )
        return heading, to_dicts(blocks)
    flagged = [check_line(c) for c in checks if c.get("status") == "fail"]
    flagged += [check_line(c) for c in checks if c.get("status") == "warn"]
    if flagged:
        blocks.extend(line_sections(flagged, budget=6000, max_sections=4))
    passed = [fit(str(c.get("name", "")), 60) for c in checks if c.get("status") == "pass"]
    if passed:
        blocks.append(context(fit("Passed: " + ", ".join(passed), 2000)))
    if proof.reason:
        blocks.append(context(fit(proof.reason, 1000)))
    return heading, to_dicts(blocks)


def preview_comment(asset: Asset, proof: Proof) -> str:
    return f"Preview of A-{asset.id} {proof.label}: the trim line, and the bleed area shaded."


def version_line(proof: Proof) -> str:
    """``• v2 booklet.pdf — preflight: problems (2 problems) · by @mia``."""
    status = STATUS_WORDS.get(proof.preflight, proof.preflight)
    if proof.preflight in ("fail", "warn"):
        status += f" ({summary(proof.checks or [], proof.preflight)})"
    return f"• {proof_link(proof)} — {status} · by {mention(proof.shared_by)}"


def version_lines(proofs: Sequence[Proof]) -> list[str]:
    return [version_line(p) for p in proofs]


def recorded_text(asset: Asset, proof: Proof, *, new: bool, reopened_round: int | None) -> str:
    """The sharer's ephemeral answer."""
    if not new:
        return f"{fit(proof.name, 120)} is already {asset_title(asset)} {proof.label}."
    text = f"Recorded {fit(proof.name, 120)} as {asset_title(asset)} {proof.label}; "
    text += "the preflight follows in the thread."
    if reopened_round is not None:
        text += f" Approval round {reopened_round} now asks about {proof.label}."
    return text


def reopened_reply(asset: Asset, proof: Proof, old_round: int, new_round: int) -> str:
    return (
        f"New proof {proof.label} for A-{asset.id}: round {old_round} no longer counts; "
        f"round {new_round} asks the same departments about {proof.label}."
    )


class AttachState(BaseModel):
    """The "Attach as proof…" modal's private_metadata: where the message is, its files."""

    model_config = ConfigDict(extra="forbid")

    c: str = Field(max_length=32)  # channel
    t: str | None = Field(default=None, max_length=32)  # thread the message is in
    f: list[str] = Field(min_length=1, max_length=10)  # Slack file ids


def attach_modal(state: AttachState, names: Sequence[str], suggested: str | None) -> dict[str, Any]:
    shown = ", ".join(fit(name, 60) for name in names[:3])
    if len(names) > 3:
        shown += f" and {len(names) - 3} more"
    view = View(
        type="modal",
        callback_id=ids.PROOF_ATTACH_VIEW,
        title="Attach as proof",
        submit="Attach",
        close="Cancel",
        private_metadata=state.model_dump_json(),
        blocks=[
            section(f"New proof version from {shown}."),
            InputBlock(
                block_id=ids.PROOF_ASSET_BLOCK,
                label="Which asset?",
                hint="Its id, like A-3 (`/asset list` shows them).",
                element=PlainTextInputElement(
                    action_id=ids.PROOF_ASSET_INPUT,
                    initial_value=suggested,
                    placeholder="A-3",
                    max_length=20,
                ),
            ),
        ],
    )
    return view.to_dict()
