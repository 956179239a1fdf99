"""A whole Sleeve in one process: fake Slack, database, Bolt app and a signed-request driver.

The shell runs on it and so do the tests, so both exercise the same path as production:
signed requests through Bolt's verification, and real Web API calls over HTTP.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from slack_bolt import App, BoltResponse

from bot.app import build_app
from bot.assets.service import home_thread
from bot.bootstrap import open_runtime
from bot.core.clock import Clock
from bot.core.settings import Settings
from bot.devtools import demo
from bot.devtools.driver import SlackDriver
from bot.devtools.fake_mail import FakeMailbox
from bot.devtools.fake_slack import FakeSlack
from bot.runtime import Runtime
from bot.storage.asset_models import Asset
from bot.storage.db import Database
from bot.storage.migrate import upgrade


@dataclass
class Workspace:
    fake: FakeSlack
    runtime: Runtime
    app: App
    driver: SlackDriver
    channel: str = demo.PRODUCTION
    # Mail handed over with no mail server (SLEEVE_SMTP_URL unset): the shell prints it.
    mailbox: FakeMailbox | None = None
    _closed: bool = field(default=False, repr=False)

    @classmethod
    def start(
        cls,
        *,
        database_url: str,
        clock: Clock | None = None,
        fake_ts_base: float | None = None,
        fake_mail: bool = True,
        **settings: Any,
    ) -> Workspace:
        """``fake_ts_base``: where the fake Slack's message timestamps start (the shell uses
        the time now, so one session's messages never share a ts with an earlier one's)."""
        fake = FakeSlack(
            bot_token="xoxb-" + secrets.token_hex(12),
            team_name=demo.TEAM_NAME,
            **({"ts_base": fake_ts_base} if fake_ts_base else {}),
        )
        fake.start()
        demo.install_directory(fake)
        signing_secret = secrets.token_hex(16)
        config = Settings(
            slack_bot_token=fake.bot_token,
            slack_signing_secret=signing_secret,
            slack_api_url=fake.api_url,
            database_url=database_url,
            coordinators=(demo.COORDINATOR.user_id,),
            # The fake Slack takes any pace unless told to limit it.
            # Preflights on a thread of this process: no worker processes to start.
            # The demo label, printed on its purchase orders and invoices.
            **(
                {
                    "post_interval": 0,
                    "preflight_workers": 0,
                    "label_name": demo.TEAM_NAME,
                    "label_address": demo.LABEL_ADDRESS,
                    "mail_from": demo.MAIL_FROM,
                }
                | settings
            ),
        )
        # Like an operator running `python -m bot migrate` before starting a replica.
        migrator = Database.from_url(database_url)
        upgrade(migrator)
        migrator.dispose()
        runtime = open_runtime(config, clock=clock)
        mailbox = FakeMailbox() if fake_mail and runtime.mailer is None else None
        if mailbox is not None:
            runtime.mailer = mailbox
        demo.install_members(runtime.db, now=runtime.now())
        app = build_app(runtime)
        driver = SlackDriver(app, signing_secret=signing_secret, fake=fake)
        return cls(fake=fake, runtime=runtime, app=app, driver=driver, mailbox=mailbox)

    def settle(self, timeout: float = 15.0) -> None:
        """Wait until the work after every ack (Web API calls) has finished."""
        if not self.runtime.executor.wait_idle(timeout):
            raise TimeoutError("work after the ack did not finish in time")

    def command(
        self, user_id: str, command: str, text: str = "", *, channel_id: str | None = None
    ) -> BoltResponse:
        response = self.driver.command(
            user_id, command, text, channel_id=channel_id or self.channel
        )
        self.settle()
        return response

    def share_proof(
        self,
        user_id: str,
        asset_id: int,
        name: str,
        content: bytes,
        *,
        text: str | None = None,
        mimetype: str | None = None,
    ) -> tuple[dict[str, Any], BoltResponse]:
        """``user_id`` shares a file in the asset's home thread, its message naming the asset
        (``A-3 booklet.pdf``): the Events API event Slack sends, and Sleeve's answer."""
        with self.runtime.db.read() as session:
            asset = session.get(Asset, asset_id)
            channel, thread = home_thread(asset) if asset is not None else (None, None)
        if channel is None or thread is None:
            raise ValueError(f"A-{asset_id} has no thread to share a file in")
        file = self.fake.add_file(user_id, name, content, mimetype=mimetype)
        said = f"A-{asset_id} {name}" if text is None else text
        _, event = self.fake.share_file(channel, user_id, file, text=said, thread_ts=thread)
        response = self.driver.event(event)
        self.settle(60)
        return event, response

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        preflight = self.runtime.shared.get("preflight")
        if preflight is not None:
            preflight.shutdown()
        self.runtime.executor.shutdown(wait=True)
        self.runtime.db.dispose()
        self.fake.stop()
