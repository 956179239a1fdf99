"""Open the database a command runs against: migrate or check the schema, seed, build a runtime."""

from __future__ import annotations

from email.message import EmailMessage

from bot.core.clock import Clock, SystemClock
from bot.core.pacing import ChannelPacer
from bot.core.settings import Settings
from bot.domain.templates import load_templates, stage_days
from bot.mail import transport
from bot.runtime import Mailer, Runtime
from bot.storage.db import Database
from bot.storage.migrate import ensure_schema
from bot.storage.seed import seed


def open_runtime(settings: Settings, *, clock: Clock | None = None) -> Runtime:
    clock = clock or SystemClock()
    templates = load_templates(settings.templates_path)  # a bad file stops start-up early
    plan = stage_days(settings.templates_path)
    db = Database.from_url(settings.database_url)
    ensure_schema(db)
    seed(db, coordinators=settings.coordinators, now=clock.now())
    pacer = ChannelPacer(settings.post_interval)
    return Runtime(
        settings=settings,
        db=db,
        clock=clock,
        templates=templates,
        stage_days=plan,
        pacer=pacer,
        mailer=smtp_mailer(settings),
    )


def smtp_mailer(settings: Settings) -> Mailer | None:
    """Mail through ``SLEEVE_SMTP_URL``'s server, or None when it is unset: nothing is mailed."""
    config = settings.smtp
    if config is None:
        return None

    def send_by_smtp(message: EmailMessage) -> None:
        transport.send(config, message)

    return send_by_smtp
