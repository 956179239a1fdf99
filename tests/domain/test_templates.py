"""Release templates: the shipped numbers, back-scheduling, titles and the file's errors."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.core.errors import ValidationError
from bot.domain.catalog import KINDS
from bot.domain.templates import (
    FormatTemplate,
    PlannedAsset,
    TemplateAsset,
    TemplateError,
    load_templates,
    parse_formats,
    plan_release,
)

STREET = date(2027, 5, 14)
EARLY = date(2026, 1, 4)  # long before any due date: nothing is overdue
TEMPLATES = load_templates()
FORMATS = ["cd", "digipak", "vinyl", "vinyl7", "cassette", "digital", "merch"]
PACKAGED = Path(__file__).resolve().parents[2] / "bot" / "data" / "templates.yaml"

# Every format's assets for a release on Friday 2027-05-14: (kind, title, due).
EXPECTED: dict[str, list[tuple[str, str, date]]] = {
    "cd": [
        ("booklet", "CD booklet", date(2027, 3, 26)),
        ("tray_card", "CD tray card", date(2027, 3, 26)),
        ("disc_label", "CD disc label", date(2027, 3, 26)),
    ],
    "digipak": [
        ("digipak", "Digipak", date(2027, 3, 19)),
        ("booklet", "Digipak booklet", date(2027, 3, 19)),
        ("disc_label", "Digipak disc label", date(2027, 3, 19)),
    ],
    "vinyl": [
        ("jacket", "Vinyl jacket", date(2027, 2, 19)),
        ("inner_sleeve", "Vinyl inner sleeve", date(2027, 2, 19)),
        ("vinyl_label", "Vinyl label — side A", date(2027, 2, 26)),
        ("vinyl_label", "Vinyl label — side B", date(2027, 2, 26)),
    ],
    "vinyl7": [
        ("jacket", '7" picture sleeve', date(2027, 2, 19)),
        ("vinyl_label", '7" label — side A', date(2027, 2, 26)),
        ("vinyl_label", '7" label — side B', date(2027, 2, 26)),
    ],
    "cassette": [
        ("cassette_jcard", "Cassette J-card", date(2027, 3, 19)),
        ("other", "Cassette shell print", date(2027, 3, 19)),
    ],
    "digital": [
        ("social", "Streaming banner", date(2027, 4, 16)),
        ("social", "Social media pack", date(2027, 4, 16)),
    ],
    "merch": [
        ("tshirt", "T-shirt design", date(2027, 4, 2)),
        ("poster", "Release poster", date(2027, 4, 2)),
    ],
}
LEAD_WEEKS = {
    "cd": 7,
    "digipak": 8,
    "vinyl": 12,
    "vinyl7": 12,
    "cassette": 8,
    "digital": 4,
    "merch": 6,
}


def test_the_packaged_templates_cover_every_format_in_order() -> None:
    assert list(TEMPLATES) == FORMATS
    assert {key: t.lead_weeks for key, t in TEMPLATES.items()} == LEAD_WEEKS
    for key, template in TEMPLATES.items():
        assert template.key == key
        assert all(asset.kind in KINDS and asset.kind != "cover" for asset in template.assets)
        # No asset is due before its format's lead time promises.
        assert max(a.days_before for a in template.assets) == template.lead_weeks * 7


def test_an_explicit_path_to_the_packaged_file_reads_the_same() -> None:
    assert load_templates(PACKAGED) == TEMPLATES == load_templates(str(PACKAGED))


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_is_back_scheduled_from_the_street_date(fmt: str) -> None:
    cover, *assets = plan_release([fmt], STREET, EARLY, TEMPLATES)
    assert [(a.kind, a.title, a.due) for a in assets] == EXPECTED[fmt]
    assert all(a.format == fmt and a.overdue_reason is None for a in assets)
    assert cover == PlannedAsset(
        "cover", "Front cover", STREET - timedelta(weeks=LEAD_WEEKS[fmt]), None, None
    )


def test_the_one_cover_comes_first_and_is_due_with_the_earliest_format() -> None:
    plan = plan_release(["digital", "cd", "vinyl"], STREET, EARLY, TEMPLATES)
    assert [p.kind for p in plan].count("cover") == 1
    assert plan[0].kind == "cover" and plan[0].due == date(2027, 2, 19)
    assert [p.format for p in plan[1:3]] == ["digital", "digital"]


def test_the_first_listed_format_sets_the_cover_reason_on_a_tie() -> None:
    plan = plan_release(["vinyl7", "vinyl"], STREET, date(2027, 3, 1), TEMPLATES)
    assert plan[0].overdue_reason == 'street date too close: 7" single needs 12 weeks'


def test_assets_already_due_are_flagged_with_the_lead_time() -> None:
    # 2027-03-20: vinyl art (due February) is late, CD art (due 26 March) is not.
    plan = plan_release(["cd", "vinyl"], STREET, date(2027, 3, 20), TEMPLATES)
    reasons = {p.title: p.overdue_reason for p in plan}
    vinyl_reason = "street date too close: Vinyl needs 12 weeks"
    assert reasons == {
        "Front cover": vinyl_reason,
        "CD booklet": None,
        "CD tray card": None,
        "CD disc label": None,
        "Vinyl jacket": vinyl_reason,
        "Vinyl inner sleeve": vinyl_reason,
        "Vinyl label — side A": vinyl_reason,
        "Vinyl label — side B": vinyl_reason,
    }


def test_an_asset_due_today_is_not_yet_overdue() -> None:
    plan = plan_release(["digital"], STREET, date(2027, 4, 16), TEMPLATES)
    assert all(p.overdue_reason is None for p in plan)
    late = plan_release(["digital"], STREET, date(2027, 4, 17), TEMPLATES)
    assert all(p.overdue_reason == "street date too close: Digital needs 4 weeks" for p in late)


COMBINATIONS = [
    list(combo)
    for size in range(1, len(FORMATS) + 1)
    for combo in itertools.combinations(FORMATS, size)
]


def test_every_combination_of_formats_has_distinct_titles_and_one_cover() -> None:
    assert len(COMBINATIONS) == 2 ** len(FORMATS) - 1  # the empty set is refused below
    for formats in COMBINATIONS:
        plan = plan_release(formats, STREET, EARLY, TEMPLATES)
        titles = [p.title.casefold() for p in plan]
        assert len(titles) == len(set(titles)), formats
        assert [p.kind for p in plan].count("cover") == 1
        assert plan[0].due == min(p.due for p in plan)
        assert len(plan) == 1 + sum(len(TEMPLATES[f].assets) for f in formats)


def test_a_release_needs_a_known_format() -> None:
    with pytest.raises(ValidationError, match="at least one format"):
        plan_release([], STREET, EARLY, TEMPLATES)
    with pytest.raises(ValidationError, match="doesn't know `boxset`"):
        plan_release(["cd", "boxset"], STREET, EARLY, TEMPLATES)


def test_a_street_date_at_the_start_of_the_calendar_is_refused() -> None:
    with pytest.raises(ValidationError, match="too early"):
        plan_release(["vinyl"], date(1, 1, 10), date(1, 1, 1), TEMPLATES)


@pytest.mark.parametrize(
    ("text", "formats"),
    [
        ("cd,vinyl", ["cd", "vinyl"]),
        (" CD , Vinyl ", ["cd", "vinyl"]),
        ("vinyl cd", ["vinyl", "cd"]),
        ("cd,cd,vinyl,CD", ["cd", "vinyl"]),
        ("lp,7inch,tape", ["vinyl", "vinyl7", "cassette"]),
        ("vinyl,lp", ["vinyl"]),
    ],
)
def test_parse_formats(text: str, formats: list[str]) -> None:
    assert parse_formats(text, TEMPLATES) == formats


def test_parse_formats_lists_the_known_formats_for_an_unknown_one() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_formats("cd,vynil,box", TEMPLATES)
    assert caught.value.message == (
        "`format:` doesn't know `vynil`, `box`. Did you mean vinyl? "
        "Formats: cd, digipak, vinyl, vinyl7, cassette, digital, merch."
    )


@pytest.mark.parametrize("text", ["", " , ,"])
def test_parse_formats_needs_one(text: str) -> None:
    with pytest.raises(ValidationError, match="needs at least one format"):
        parse_formats(text, TEMPLATES)


CUSTOM = """\
formats:
  cd:
    label: CD
    lead_weeks: 10
    assets:
      - {kind: booklet, title: Booklet, days_before: 70}
  boxset:
    label: Box set
    lead_weeks: 16
    assets:
      - {kind: booklet, title: Booklet, days_before: 112}
      - {kind: other, title: Slipcase, days_before: 100}
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "templates.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_override_file_replaces_the_templates(tmp_path: Path) -> None:
    templates = load_templates(_write(tmp_path, CUSTOM))
    assert list(templates) == ["cd", "boxset"]
    assert templates["boxset"] == FormatTemplate(
        "boxset",
        "Box set",
        16,
        (TemplateAsset("booklet", "Booklet", 112), TemplateAsset("other", "Slipcase", 100)),
    )
    with pytest.raises(ValidationError, match="Formats: cd, boxset"):
        parse_formats("vinyl", templates)


def test_titles_shared_by_two_formats_take_the_format_label(tmp_path: Path) -> None:
    templates = load_templates(_write(tmp_path, CUSTOM))
    plan = plan_release(["cd", "boxset"], STREET, EARLY, templates)
    assert [(p.title, p.due) for p in plan] == [
        ("Front cover", STREET - timedelta(days=112)),
        ("CD booklet", STREET - timedelta(days=70)),
        ("Box set booklet", STREET - timedelta(days=112)),
        ("Slipcase", STREET - timedelta(days=100)),
    ]
    # Alone, a format keeps the titles it was given.
    assert plan_release(["cd"], STREET, EARLY, templates)[1].title == "Booklet"


def test_a_prefixed_title_that_meets_a_written_one_is_numbered(tmp_path: Path) -> None:
    text = CUSTOM.replace("title: Slipcase", "title: CD booklet")
    plan = plan_release(["cd", "boxset"], STREET, EARLY, load_templates(_write(tmp_path, text)))
    assert [p.title for p in plan] == [
        "Front cover",
        "CD booklet",
        "Box set booklet",
        "CD booklet 2",
    ]


def _asset(**fields: object) -> str:
    """A one-format, one-asset file with the asset's fields replaced."""
    entry = {"kind": "booklet", "title": "Booklet", "days_before": 49} | fields
    body = ", ".join(f"{key}: {value}" for key, value in entry.items())
    return f"formats:\n  cd:\n    label: CD\n    lead_weeks: 7\n    assets:\n      - {{{body}}}\n"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("formats: [cd\n", "not valid YAML at line 2"),
        ("- cd\n- vinyl\n", "expected a mapping with `formats:`"),
        ("", "expected a mapping with `formats:`"),
        ("formats: {}\n", "formats: dictionary should have at least 1 item"),
        ("templates: {}\n", "formats: missing"),
        ("formats: {}\nextra: 1\n", "extra: unknown field"),
        (
            "formats:\n  cd: {label: CD, lead_weeks: 7, assets: []}\n",
            "formats.cd.assets: list should have at least 1 item",
        ),
        (
            "formats:\n  cd: {label: CD, assets: [{kind: booklet, title: B, days_before: 1}]}\n",
            "formats.cd.lead_weeks: missing",
        ),
        (_asset(kind="sleeve"), "formats.cd.assets[0] ('Booklet').kind: unknown kind 'sleeve'"),
        (_asset(kind="cover"), "the front cover is added once per release"),
        (
            "formats:\n  7: {label: CD, lead_weeks: 7, assets: [{kind: cd, title: B}]}\n",
            "formats.7 key: input should be a valid string (got 7)",
        ),
        (
            "formats:\n  cd: {label: CD, lead_weeks: 7, assets: [booklet]}\n",
            "formats.cd.assets[0]: should be a mapping of fields (got 'booklet')",
        ),
        ("formats:\n  cd: 3\n", "formats.cd: should be a mapping of fields (got 3)"),
        (
            _asset(days_before=-3),
            "formats.cd.assets[0] ('Booklet').days_before: input should be greater than or "
            "equal to 0 (got -3)",
        ),
        (_asset(days_before='"49"'), "days_before: input should be a valid integer (got '49')"),
        (_asset(days_before="true"), "days_before: input should be a valid integer (got True)"),
        (_asset(days_before=50), "days_before 50 is more than lead_weeks 7 (49 days)"),
        (_asset(title='"  "'), "title: string should have at least 1 character"),
        (_asset(colour="red"), "formats.cd.assets[0] ('Booklet').colour: unknown field"),
        (
            _asset().replace("lead_weeks: 7\n", "lead_weeks: 7\n    label: Compact disc\n"),
            "line 5",
        ),
        (_asset().replace("  cd:", "  CD-R:"), "formats.CD-R: a format key is lower-case"),
        (
            _asset() + "      - {kind: tray_card, title: booklet, days_before: 49}\n",
            "formats.cd.assets[1] ('booklet'): duplicate title, same as assets[0]",
        ),
        (
            _asset() + "  digipak:\n    label: cd\n    lead_weeks: 8\n"
            "    assets: [{kind: digipak, title: Digipak, days_before: 56}]\n",
            "formats.digipak.label: 'cd' is already the label of cd",
        ),
    ],
)
def test_template_file_errors_name_the_file_and_the_entry(
    tmp_path: Path, text: str, fragment: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(TemplateError) as caught:
        load_templates(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert fragment in message


def test_a_key_given_twice_is_refused_not_silently_replaced(tmp_path: Path) -> None:
    text = _asset() + "  cd:\n    label: CD2\n    lead_weeks: 7\n    assets: []\n"
    with pytest.raises(TemplateError, match="'cd' is given twice"):
        load_templates(_write(tmp_path, text))


def test_many_problems_are_summed_up(tmp_path: Path) -> None:
    entries = "".join(f"      - {{kind: nope{i}, title: T{i}, days_before: 1}}\n" for i in range(8))
    text = f"formats:\n  cd:\n    label: CD\n    lead_weeks: 7\n    assets:\n{entries}"
    with pytest.raises(TemplateError, match=r"…and 3 more$"):
        load_templates(_write(tmp_path, text))


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(TemplateError, match=f"^{missing}: template file not found$"):
        load_templates(missing)


def test_a_directory_or_binary_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="can't read the template file"):
        load_templates(tmp_path)
    binary = tmp_path / "t.yaml"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(TemplateError, match="can't read the template file"):
        load_templates(binary)


def test_template_error_is_a_value_error() -> None:
    assert issubclass(TemplateError, ValueError)
