"""The shell's `upload A-3 FILE`: share a file in the asset's thread as its designer would,
then say where the preflight's preview went and keep a copy of it to look at."""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.devtools.shell import Shell

PREVIEWS = Path("sleeve-previews")
FILES = Path("sleeve-files")  # files Sleeve sends by DM: purchase orders, invoices
MAX_UPLOAD_BYTES = 200 * 1024 * 1024


def upload(shell: Shell, arg: str) -> None:
    match = re.fullmatch(r"[Aa]-?(\d{1,9})\s+(.+)", arg.strip())
    if not match:
        shell.say("Share a file as a proof like `upload A-3 ~/art/booklet.pdf`.")
        return
    asset_id, path = int(match.group(1)), Path(match.group(2).strip()).expanduser()
    if not path.is_file():
        shell.say(f"There is no file at {path}.")
        return
    if path.stat().st_size > MAX_UPLOAD_BYTES:
        shell.say(f"{path.name} is over 200 MB; Slack would take it, preflight would not.")
    before = {f.file["id"] for f in shell.ws.fake.files_in(shell.ws.channel)}
    mimetype = mimetypes.guess_type(path.name)[0]
    try:
        shell.ws.share_proof(
            shell.user.user_id, asset_id, path.name, path.read_bytes(), mimetype=mimetype
        )
    except ValueError as exc:
        shell.say(str(exc))
        return
    shell.show_news()
    for shared in shell.ws.fake.files_in(shell.ws.channel):
        if shared.file["id"] in before or shared.message.user == shell.user.user_id:
            continue
        PREVIEWS.mkdir(exist_ok=True)
        saved = PREVIEWS / str(shared.file.get("name") or f"{shared.file['id']}.png")
        saved.write_bytes(shell.ws.fake.uploaded(shared.file["id"]))
        place = shell.ws.fake.place(shared.message.channel) + " › thread"
        shell.say(f"(preview uploaded to {place}; a copy is at {saved})")


def keep_dm_files(shell: Shell, files: list[dict[str, Any]]) -> None:
    """A copy of each file sent by DM (a PO's PDF), to open with the system's viewer."""
    for file in files:
        try:
            data = shell.ws.fake.uploaded(str(file["id"]))
        except KeyError:
            continue
        FILES.mkdir(exist_ok=True)
        saved = FILES / Path(str(file.get("name") or f"{file['id']}.bin")).name
        saved.write_bytes(data)
        shell.say(f"    (file {saved.name}; a copy is at {saved})")
