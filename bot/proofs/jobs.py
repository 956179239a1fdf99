"""One preflight, as a worker process runs it: download the file, check it, draw the
preview. Plain data in and out, so it crosses a process boundary; a hostile file can at
worst take its worker process down, never the one that answers Slack.
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bot.proofs.download import DownloadError, download
from bot.proofs.preflight.spec import PrintSpec

if TYPE_CHECKING:
    from bot.proofs.preflight.copycheck import CopyReference

PREVIEW_QUALITY = 85


@dataclass(frozen=True)
class Job:
    url: str | None
    token: str
    hosts: tuple[str, ...]
    name: str
    size: int | None
    spec: PrintSpec | None
    # The release's locked label copy, for text-bearing art: the proof's text is checked too.
    reference: CopyReference | None = None


@dataclass(frozen=True)
class JobResult:
    status: str  # pass | warn | fail | not_checked
    spec: str | None
    checks: list[dict[str, str]] = field(default_factory=list)
    reason: str | None = None
    sha256: str | None = None
    preview_jpeg: bytes | None = None


def run(job: Job) -> JobResult:
    # Heavy (Pillow, pdfplumber, PDFium): imported only where files are checked.
    from bot.proofs.preflight.copycheck import preflight_with_copy

    if not job.url:
        return JobResult("not_checked", None, reason="Slack gave no download address for it.")
    with tempfile.TemporaryDirectory(prefix="sleeve-proof-") as folder:
        path = Path(folder) / "proof"
        try:
            with path.open("wb") as into:
                _, sha256 = download(
                    job.url, job.token, into, hosts=job.hosts, expected_size=job.size
                )
        except DownloadError as exc:
            return JobResult("not_checked", None, reason=f"Not checked: {exc}")
        findings = preflight_with_copy(path, job.name, job.spec, job.reference)
    status = findings.status if findings.checked else "not_checked"
    reason = findings.reason
    if findings.notes:
        reason = " ".join(filter(None, [reason, *findings.notes]))
    return JobResult(
        status=status.replace(" ", "_"),
        spec=job.spec.label if job.spec else None,
        checks=[check.as_dict() for check in findings.checks],
        reason=reason,
        sha256=sha256,
        preview_jpeg=compact(findings.preview_png),
    )


def compact(png: bytes | None) -> bytes | None:
    """The preview as a JPEG: a photographic page is 2–3 MB as PNG and a tenth of that
    as JPEG, and it rides in an outbox row until Slack has it."""
    if png is None:
        return None
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        out = io.BytesIO()
        image.convert("RGB").save(out, "JPEG", quality=PREVIEW_QUALITY, optimize=True)
    return out.getvalue()
