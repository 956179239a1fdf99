"""The command grammar: nouns, verbs, usage and options.

One source for help text, the parser's option keys, and manifest.yml (a test keeps the
manifest in step with this file).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Verbs that only read: running one twice does no harm, so they skip the replay check.
READ_ONLY_VERBS = frozenset(
    {"list", "show", "pending", "status", "routes", "preview", "settings", "costs"}
)


@dataclass(frozen=True)
class Verb:
    name: str
    usage: str  # without the leading "/noun "
    summary: str
    options: frozenset[str] = field(default_factory=frozenset)

    @property
    def changes_things(self) -> bool:
        return self.name not in READ_ONLY_VERBS


@dataclass(frozen=True)
class Noun:
    name: str
    description: str  # shown in Slack's command picker
    usage_hint: str
    verbs: dict[str, Verb]

    @property
    def command(self) -> str:
        return f"/{self.name}"


def _noun(name: str, description: str, usage_hint: str, *verbs: Verb) -> Noun:
    return Noun(name, description, usage_hint, {verb.name: verb for verb in verbs})


def _opts(*keys: str) -> frozenset[str]:
    return frozenset(keys)


NOUNS: dict[str, Noun] = {
    noun.name: noun
    for noun in (
        _noun(
            "release",
            "Releases: create from a template, list, show, move the street date, edit, cancel",
            "new | list | show SLV-014 | move SLV-014 date:2027-06-01 | edit | cancel | help",
            Verb(
                "new",
                'new "Midnight Tapes" artist:"The Vels" date:2027-05-14 format:cd,vinyl '
                "catno:SLV-014 [upc:…] [channel:#…]",
                "create a release and its assets from the format templates",
                _opts("artist", "date", "format", "catno", "upc", "channel"),
            ),
            Verb("list", "list", "releases by street date"),
            Verb("show", "show SLV-014", "a release with its assets"),
            Verb(
                "move",
                "move SLV-014 date:2027-06-01",
                "move the street date; open assets move with it",
                _opts("date"),
            ),
            Verb(
                "edit",
                'edit SLV-014 [title:"…"] [artist:"…"] [upc:…] [format:+cd,-vinyl] [channel:#…]',
                "change a release's details; add or drop formats",
                _opts("title", "artist", "upc", "format", "channel"),
            ),
            Verb(
                "cancel",
                'cancel SLV-014 reason:"…"',
                "cancel a release and its open assets",
                _opts("reason"),
            ),
            Verb("budget", "budget SLV-014 4500 GBP", "set a release's budget in a currency"),
            Verb("costs", "costs SLV-014", "budget, committed, invoiced and paid, per currency"),
        ),
        _noun(
            "asset",
            "Art assets: create, list, show, move through stages, assign, link, deliver, hold, cancel",
            "new | list | show A-3 | move A-3 stage:prepress | due | assign | unassign | edit | "
            "owner | link | conditions A-3 | deliver A-3 | hold | cancel | help",
            Verb(
                "new",
                'new "Front cover" kind:cover due:2027-01-10 [release:SLV-014] [owner:@u] '
                '[freelancer:F-2] [priority:high] [notes:"…"]',
                "create an asset (no arguments opens a form)",
                _opts("kind", "due", "release", "owner", "freelancer", "priority", "notes"),
            ),
            Verb(
                "list",
                "list [release:SLV-014] [stage:design] [kind:…] [overdue] [mine] [all] [dept:legal]",
                "assets by due date, filtered (done and cancelled ones with `all`)",
                _opts("release", "stage", "kind", "dept", "page"),
            ),
            Verb("show", "show A-3", "one asset with its history"),
            Verb(
                "move", "move A-3 stage:prepress", "move an asset to another stage", _opts("stage")
            ),
            Verb("due", "due A-3 2027-02-01", "change the due date"),
            Verb("assign", "assign A-3 F-2", "assign a freelancer"),
            Verb("unassign", "unassign A-3", "take the freelancer off an asset"),
            Verb(
                "edit",
                'edit A-3 [title:"…"] [kind:poster] [priority:high] [notes:"…"]',
                "change the title, kind, priority or notes",
                _opts("title", "kind", "priority", "notes"),
            ),
            Verb("owner", "owner A-3 @u", "change the owner"),
            Verb("link", 'link A-3 https://… ["label"]', "attach a link or file"),
            Verb(
                "conditions",
                "conditions A-3 [done:1,2]",
                "an approval's open conditions; tick them off with done:",
                _opts("done"),
            ),
            Verb(
                "deliver",
                "deliver A-3 [to:marketing,manufacturing]",
                "announce the approved proof in the departments' channels",
                _opts("to"),
            ),
            Verb("hold", "hold A-3", "put an asset on hold"),
            Verb("cancel", 'cancel A-3 reason:"…"', "cancel an asset", _opts("reason")),
        ),
        _noun(
            "freelancer",
            "Freelance designers: contacts, rate agreements, workload",
            "add | list | show F-2 | edit F-2 key:value | rate F-2 60 per:hour | archive | "
            "restore | help",
            Verb(
                "add",
                'add "Jane Doe" email:jane@example.com [phone:"…"] [slack:@jane] '
                "[skills:illustration,layout] [rate:450] [per:asset] [currency:GBP] "
                '[portfolio:https://…] [notes:"…"]',
                "add a freelancer to the directory",
                _opts(
                    "email",
                    "phone",
                    "slack",
                    "skills",
                    "rate",
                    "per",
                    "currency",
                    "portfolio",
                    "notes",
                    "from",
                ),
            ),
            Verb("list", "list [skill:layout] [all]", "freelancers by workload", _opts("skill")),
            Verb("show", "show F-2", "contacts, agreements and assignments"),
            Verb(
                "edit",
                "edit F-2 key:value…",
                "change contact details, skills or notes",
                _opts("name", "email", "phone", "slack", "skills", "portfolio", "notes")
                | _opts("email_notices"),
            ),
            Verb(
                "rate",
                "rate F-2 60 per:hour currency:EUR [from:…]",
                "record a new rate agreement",
                _opts("per", "currency", "from", "note"),
            ),
            Verb("archive", "archive F-2", "take a freelancer out of the lists"),
            Verb("restore", "restore F-2", "bring an archived freelancer back"),
        ),
        _noun(
            "approval",
            "Approvals: request sign-off from departments in the asset's thread",
            "request A-3 [depts:marketing,legal] | pending [mine] | status A-3 | cancel A-3 | "
            "override | help",
            Verb(
                "request",
                'request A-3 [depts:marketing,legal] [proof:v2] [due:+2d] [note:"…"]',
                "ask the departments on the route to approve (the latest proof by default)",
                _opts("depts", "proof", "due", "note"),
            ),
            Verb("pending", "pending [mine]", "approvals still waiting"),
            Verb("status", "status A-3", "where an asset's approval stands"),
            Verb(
                "cancel",
                'cancel A-3 [reason:"…"]',
                "end an open round without a decision (owner or coordinator)",
                _opts("reason"),
            ),
            Verb(
                "override",
                'override A-3 dept:legal reason:"…"',
                "approve for a department (coordinators, audited)",
                _opts("dept", "reason"),
            ),
        ),
        _noun(
            "dept",
            "Departments, their members, approval routes and who receives approved art",
            "list | show legal | set legal members:@a,@b | route cover ar,marketing | routes | "
            "deliver cover marketing | help",
            Verb("list", "list", "departments and who is in them"),
            Verb("show", "show legal", "one department"),
            Verb(
                "set",
                'set legal [name:"…"] [members:@a,@b] [group:@legal-team] [channel:#legal]',
                "configure a department",
                _opts("name", "members", "group", "channel"),
            ),
            Verb(
                "route", "route cover ar,marketing,management", "set the approval route of a kind"
            ),
            Verb("routes", "routes", "every kind's approval route"),
            Verb(
                "deliver",
                "deliver [cover marketing,manufacturing]",
                "which departments' channels receive approved art of a kind",
            ),
        ),
        _noun(
            "digest",
            "Daily digest of what is late, due soon, waiting and on hold",
            "schedule 09:00 [channel:#…] [tz:…] [days:weekdays] | off | now | preview | settings | "
            "me on|off | calendar [reset]",
            Verb(
                "schedule",
                "schedule 09:00 [channel:#production] [tz:Europe/London] [days:weekdays|daily]",
                "post the digest every day at a time",
                _opts("channel", "tz", "days"),
            ),
            Verb("off", "off [channel:#…]", "stop a channel's digest", _opts("channel")),
            Verb("now", "now [channel:#…]", "post the digest now", _opts("channel")),
            Verb("preview", "preview", "see the digest, only you"),
            Verb("settings", "settings", "every channel's schedule, and whether you get yours"),
            Verb("me", "me on|off", "a personal digest by DM"),
            Verb(
                "calendar",
                "calendar [reset]",
                "your private calendar link (reset: a new one; the old one stops working)",
            ),
        ),
        _noun(
            "labelcopy",
            "Label copy: the tracklist and credits proofs are checked against",
            'show SLV-014 | edit SLV-014 | lock SLV-014 | unlock SLV-014 reason:"…" | help',
            Verb("show", "show SLV-014", "a release's label copy, its tracklist and side lengths"),
            Verb("edit", "edit SLV-014", "edit it in a form (one track a line)"),
            Verb("lock", "lock SLV-014", "freeze it as the reference (label copy department)"),
            Verb(
                "unlock",
                'unlock SLV-014 reason:"…"',
                "unfreeze it, saying why (label copy department)",
                _opts("reason"),
            ),
        ),
        _noun(
            "vendor",
            "Vendors: pressing plants, printers, merch makers (coordinators and management)",
            'add "Optimal Media" kind:plant currency:EUR | list | show V-1 | edit V-1 | archive '
            "V-1 | restore V-1 | help",
            Verb(
                "add",
                'add "Optimal Media" kind:plant currency:EUR [terms:30] [email:…] [phone:…] '
                '[tax:…] [address:"…"] [notes:"…"]',
                "add a vendor",
                _opts("kind", "email", "phone", "currency", "terms", "tax", "address", "notes"),
            ),
            Verb("list", "list [all]", "active vendors (all: archived too)"),
            Verb("show", "show V-1", "a vendor's details"),
            Verb(
                "edit",
                "edit V-1 key:value…",
                "change a vendor's details",
                _opts("name", "kind", "email", "phone", "currency", "terms", "tax", "address")
                | _opts("notes"),
            ),
            Verb("archive", "archive V-1", "take a vendor out of use"),
            Verb("restore", "restore V-1", "bring an archived vendor back"),
        ),
        _noun(
            "order",
            "Purchase orders to vendors and freelancers (coordinators and management)",
            "new V-1 item:… qty:… price:… | add | issue | receive | cancel | list | show | help",
            Verb(
                "new",
                'new V-1 item:"LP pressing 140g" qty:500 price:2.15 [release:SLV-014] [due:…] '
                "| new F-2 asset:A-3 [hours:12|days:3]",
                "draft an order (a freelancer's is priced from their rate agreement)",
                _opts("item", "qty", "price", "currency", "release", "due", "asset", "hours")
                | _opts("days"),
            ),
            Verb(
                "add",
                "add PO-2027-0001 item:… qty:… price:…",
                "add a line to a draft",
                _opts("item", "qty", "price"),
            ),
            Verb("issue", "issue PO-2027-0001", "issue it: its PDF comes to you by DM"),
            Verb("receive", "receive PO-2027-0001", "the goods (or the work) arrived"),
            Verb(
                "cancel",
                'cancel PO-2027-0001 reason:"…"',
                "cancel it (it keeps its number)",
                _opts("reason"),
            ),
            Verb("list", "list [open|all]", "orders, open ones by default"),
            Verb("show", "show PO-2027-0001", "an order with its lines"),
        ),
        _noun(
            "invoice",
            "Invoices: match against orders, approve, pay, issue (coordinators and management)",
            'record PO-… number:"…" amount:… | paid | issue V-3 … | list [unpaid] [overdue] | help',
            Verb(
                "record",
                'record PO-2027-0001 number:"OM-7781" amount:1075.00 [currency:EUR] [due:…] '
                "[date:…]",
                "record a supplier's invoice and match it against the order",
                _opts("number", "amount", "currency", "due", "date"),
            ),
            Verb(
                "paid",
                "paid OM-7781 [date:…] [order:PO-…]",
                "mark an invoice paid",
                _opts("date", "order"),
            ),
            Verb(
                "issue",
                'issue V-3 item:"LP stock" qty:200 price:9.50 [currency:…]',
                "issue the label's own invoice: its PDF comes to you by DM",
                _opts("item", "qty", "price", "currency"),
            ),
            Verb("list", "list [unpaid] [overdue]", "invoices by due date"),
        ),
    )
}
