"""Asset kinds, departments and default approval routes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    physical: bool  # printed items go through prepress, manufacturing and QC


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind("cover", "Front cover", True),
        Kind("back_cover", "Back cover", True),
        Kind("booklet", "CD booklet", True),
        Kind("tray_card", "Tray card", True),
        Kind("disc_label", "Disc label", True),
        Kind("digipak", "Digipak", True),
        Kind("obi", "Obi strip", True),
        Kind("jacket", "Vinyl jacket", True),
        Kind("vinyl_label", "Vinyl label", True),
        Kind("inner_sleeve", "Inner sleeve", True),
        Kind("cassette_jcard", "Cassette J-card", True),
        Kind("tshirt", "T-shirt", True),
        Kind("poster", "Poster", True),
        Kind("promo", "Tour / festival promo", True),
        Kind("social", "Social media art", False),
        Kind("other", "Other", False),
    )
}


@dataclass(frozen=True)
class DepartmentSeed:
    key: str
    name: str


DEPARTMENTS: tuple[DepartmentSeed, ...] = (
    DepartmentSeed("coordinators", "Production coordinators"),
    DepartmentSeed("ar", "A&R"),
    DepartmentSeed("marketing", "Marketing"),
    DepartmentSeed("promotions", "Promotions"),
    DepartmentSeed("label_copy", "Label copy"),
    DepartmentSeed("legal", "Legal"),
    DepartmentSeed("merch", "Merchandise"),
    DepartmentSeed("manufacturing", "Manufacturing"),
    DepartmentSeed("management", "Artist management"),
)

COORDINATORS = "coordinators"

_PACKAGING = ("ar", "marketing", "management")
_COPY = ("label_copy", "legal", "ar")
_LABELS = ("label_copy", "manufacturing")
_MERCH = ("merch", "marketing", "management")

DEFAULT_ROUTES: dict[str, tuple[str, ...]] = {
    "cover": _PACKAGING,
    "jacket": _PACKAGING,
    "digipak": _PACKAGING,
    "back_cover": _COPY,
    "booklet": _COPY,
    "tray_card": _COPY,
    "cassette_jcard": _COPY,
    "inner_sleeve": _COPY,
    "disc_label": _LABELS,
    "vinyl_label": _LABELS,
    "obi": _LABELS,
    "tshirt": _MERCH,
    "poster": _MERCH,
    "promo": ("promotions", "marketing"),
    "social": ("marketing",),
    "other": (),  # the request must name the departments
}

# Who receives an approved proof, by kind: print art goes to manufacturing (it orders the
# run), covers and promo art to marketing too, merch to merchandise.
_PRINT = ("manufacturing",)
DEFAULT_DELIVERIES: dict[str, tuple[str, ...]] = {
    "cover": ("marketing", "manufacturing"),
    "jacket": ("marketing", "manufacturing"),
    "digipak": ("marketing", "manufacturing"),
    "back_cover": _PRINT,
    "booklet": _PRINT,
    "tray_card": _PRINT,
    "cassette_jcard": _PRINT,
    "inner_sleeve": _PRINT,
    "disc_label": _PRINT,
    "vinyl_label": _PRINT,
    "obi": _PRINT,
    "tshirt": ("merch",),
    "poster": ("merch", "marketing"),
    "promo": ("promotions", "marketing"),
    "social": ("marketing",),
    "other": (),
}
