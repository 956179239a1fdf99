"""``stage_days:`` in the templates file: the shipped numbers, an override, and its errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.domain.critical_path import PHYSICAL_PATH
from bot.domain.stages import Stage
from bot.domain.templates import (
    FormatTemplate,
    TemplateError,
    load_stage_days,
    load_templates,
    stage_days,
)

FORMATS = """\
formats:
  cd:
    label: CD
    lead_weeks: 7
    assets:
      - {kind: booklet, title: Booklet, days_before: 49}
  lp:
    label: LP
    lead_weeks: 12
    assets:
      - {kind: jacket, title: Jacket, days_before: 84}
"""
DAYS = """\
stage_days:
  brief: 1
  design: 2
  review: 3
  approved: 4
  prepress: 5
  manufacturing: 6
  qc: 7
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "templates.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_days_give_every_format_its_plant_time() -> None:
    shipped = load_stage_days()
    assert dict(shipped.days) == {
        Stage.BRIEF: 5,
        Stage.DESIGN: 14,
        Stage.REVIEW: 5,
        Stage.APPROVED: 2,
        Stage.PREPRESS: 5,
        Stage.MANUFACTURING: 28,
        Stage.QC: 3,
    }
    assert dict(shipped.manufacturing_by_format) == {
        "cd": 21,
        "digipak": 28,
        "vinyl": 56,
        "vinyl7": 56,
        "cassette": 35,
        "digital": 0,
        "merch": 28,
    }
    assert list(shipped.manufacturing_by_format) == list(load_templates())


def test_a_file_without_stage_days_takes_the_shipped_ones(tmp_path: Path) -> None:
    found = load_stage_days(_write(tmp_path, FORMATS))
    assert found.days == load_stage_days().days
    # cd keeps the shipped plant time; lp, unknown to the shipped file, takes the default.
    assert dict(found.manufacturing_by_format) == {"cd": 21, "lp": 28}


def test_a_file_gives_its_own_days_and_plant_times(tmp_path: Path) -> None:
    text = FORMATS + DAYS + "  manufacturing_by_format: {lp: 60}\n"
    found = load_stage_days(_write(tmp_path, text))
    assert [found.days[stage] for stage in PHYSICAL_PATH] == [1, 2, 3, 4, 5, 6, 7]
    assert dict(found.manufacturing_by_format) == {"cd": 6, "lp": 60}
    # The templates themselves load as before.
    templates = load_templates(_write(tmp_path, text))
    assert all(isinstance(t, FormatTemplate) for t in templates.values())
    assert list(templates) == ["cd", "lp"]


def test_stage_days_are_read_once_per_path(tmp_path: Path) -> None:
    path = str(_write(tmp_path, FORMATS + DAYS))
    assert stage_days(path) is stage_days(path)
    assert stage_days(None) is stage_days(None)
    assert stage_days(path).days[Stage.QC] == 7


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        (
            DAYS + "  manufacturing_by_format: {vinyl: 56}\n",
            "stage_days.manufacturing_by_format.vinyl: unknown format; formats: cd, lp",
        ),
        (DAYS.replace("  qc: 7\n", ""), "stage_days.qc: missing"),
        (DAYS.replace("design: 2", "design: -1"), "stage_days.design: input should be greater"),
        (DAYS.replace("review: 3", "review: soon"), "stage_days.review: input should be a valid"),
        (DAYS + "  polish: 3\n", "stage_days.polish: unknown field"),
        (
            DAYS + "  manufacturing_by_format: {lp: 9999}\n",
            "stage_days.manufacturing_by_format.lp: input should be less than or equal to 3650",
        ),
        ("stage_days: 5\n", "stage_days: should be a mapping of fields"),
    ],
)
def test_stage_day_errors_name_the_entry_and_stop_the_templates_too(
    tmp_path: Path, extra: str, fragment: str
) -> None:
    path = _write(tmp_path, FORMATS + extra)
    for load in (load_stage_days, load_templates):
        with pytest.raises(TemplateError) as caught:
            load(path)
        assert str(caught.value).startswith(f"{path}: ")
        assert fragment in str(caught.value)
