"""/vendor: the plants, printers and merch makers the label orders from. Coordinators and
management only; every reply is the ephemeral ack."""

from __future__ import annotations

from bot.commands.dispatch import Handler, Invocation
from bot.core.errors import UsageError, echo
from bot.departments.work import Work
from bot.purchasing import messages as views
from bot.purchasing import vendors
from bot.slack.replies import Reply


def _vendor_id(invocation: Invocation) -> int:
    if not invocation.args:
        raise UsageError(f"Which vendor? Usage: `{invocation.usage()}`")
    if len(invocation.args) > 1:
        raise UsageError(
            f"`{invocation.usage()}`: {echo(invocation.args[1])} isn't understood; values go "
            "in key:value, quoted when they have spaces."
        )
    return vendors.parse_vendor_id(invocation.args[0])


def add(work: Work, invocation: Invocation) -> Reply:
    if not invocation.args:
        raise UsageError(f"A vendor needs a name. Usage: `{invocation.usage()}`")
    vendor = vendors.add_vendor(
        work.session,
        actor=work.actor,
        name=" ".join(invocation.args),
        options=invocation.options,
        now=work.now,
    )
    return Reply(text=f"Added {views.vendor_detail(vendor)}")


def list_(work: Work, invocation: Invocation) -> Reply:
    unknown = [word for word in invocation.args if word.lower() != "all"]
    if unknown:
        raise UsageError(f"`/vendor list` doesn't understand {echo(unknown[0])}; try `all`.")
    found = vendors.list_vendors(work.session, actor=work.actor, active_only=not invocation.args)
    text, blocks = views.listing(
        "Vendors", [views.vendor_line(v) for v in found], "No vendors yet: `/vendor add`."
    )
    return Reply(text=text, blocks=blocks)


def show(work: Work, invocation: Invocation) -> Reply:
    vendor = vendors.show_vendor(work.session, actor=work.actor, vendor_id=_vendor_id(invocation))
    return Reply(text=views.vendor_detail(vendor))


def edit(work: Work, invocation: Invocation) -> Reply:
    vendor, changed = vendors.edit_vendor(
        work.session,
        actor=work.actor,
        vendor_id=_vendor_id(invocation),
        changes=invocation.options,
        now=work.now,
    )
    if not changed:
        return Reply(text=f"{vendor.label}: nothing changed.")
    return Reply(text=f"{vendor.label}: updated {', '.join(changed)}.")


def archive(work: Work, invocation: Invocation) -> Reply:
    vendor = vendors.set_active(
        work.session, actor=work.actor, vendor_id=_vendor_id(invocation), active=False, now=work.now
    )
    return Reply(text=f"Archived {vendor.label} {vendor.name}: it takes no new orders.")


def restore(work: Work, invocation: Invocation) -> Reply:
    vendor = vendors.set_active(
        work.session, actor=work.actor, vendor_id=_vendor_id(invocation), active=True, now=work.now
    )
    return Reply(text=f"Restored {vendor.label} {vendor.name}.")


HANDLERS: dict[str, Handler] = {
    "add": add,
    "list": list_,
    "show": show,
    "edit": edit,
    "archive": archive,
    "restore": restore,
}
