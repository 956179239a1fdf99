"""Every action_id, block_id prefix and callback_id the app uses, in one place.

The approval ids are part of the product's contract with its users (docs/guide.md): keep
them as they are.
"""

from __future__ import annotations

# Approvals
APPROVAL_BLOCK_PREFIX = "approval"  # block_id "approval:<request id>:<dept key>"
APPROVE = "approval.approve"
REQUEST_CHANGES = "approval.request_changes"
REQUEST_CHANGES_VIEW = "approval.request_changes"
APPROVE_WITH_CHANGES = "approval.approve_with_changes"
APPROVE_WITH_CHANGES_VIEW = "approval.approve_with_changes"
REQUEST_CHANGES_REASON_BLOCK = "reason"
REQUEST_CHANGES_REASON_INPUT = "reason_input"

# Assets
ASSET_NEW_VIEW = "asset.new"
ASSET_NEW_SHORTCUT = "asset.new"  # global shortcut (manifest.yml)
ASSET_FROM_MESSAGE = "asset.from_message"  # message shortcut (manifest.yml)


def approval_block_id(request_id: int, dept_key: str) -> str:
    return f"{APPROVAL_BLOCK_PREFIX}:{request_id}:{dept_key}"


ASSET_TITLE_BLOCK, ASSET_TITLE_INPUT = "title", "title_input"
ASSET_KIND_BLOCK, ASSET_KIND_INPUT = "kind", "kind_select"
ASSET_RELEASE_BLOCK, ASSET_RELEASE_INPUT = "release", "release_select"
ASSET_DUE_BLOCK, ASSET_DUE_INPUT = "due", "due_picker"
ASSET_OWNER_BLOCK, ASSET_OWNER_INPUT = "owner", "owner_select"
ASSET_NOTES_BLOCK, ASSET_NOTES_INPUT = "notes", "notes_input"
ASSET_CHANNEL_BLOCK, ASSET_CHANNEL_INPUT = "channel", "channel_select"

# Proofs
PROOF_ATTACH = "proof.attach"  # message shortcut "Attach as proof…" (manifest.yml)
PROOF_ATTACH_VIEW = "proof.attach"
PROOF_ASSET_BLOCK, PROOF_ASSET_INPUT = "asset", "asset_input"

# Label copy
LABELCOPY_EDIT_VIEW = "labelcopy.edit"
LABELCOPY_TRACKS_BLOCK, LABELCOPY_TRACKS_INPUT = "tracks", "tracks_input"
# (block id, action id, label, max length) of the modal's one-line fields, in order.
LABELCOPY_FIELDS = (
    ("title", "Title", 200),
    ("version", "Version", 200),
    ("artist", "Artist", 200),
    ("label", "Label", 200),
    ("p_line", "(P) line", 300),
    ("c_line", "(C) line", 300),
    ("distributor", "Distributor", 200),
    ("legal", "Legal lines", 2000),
)

# Invoices over the approval limit: a DM to each management member.
INVOICE_APPROVE = "invoice.approve"
INVOICE_REJECT = "invoice.reject"
INVOICE_REJECT_VIEW = "invoice.reject"
INVOICE_REASON_BLOCK, INVOICE_REASON_INPUT = "reason", "reason_input"


def invoice_block_id(invoice_id: int) -> str:
    return f"invoice:{invoice_id}"
