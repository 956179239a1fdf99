"""YAML data files that ship with Sleeve and that an admin's file can replace (release
templates, print specs): read, parsed with a safe loader that refuses a key given twice,
and every problem one line naming the file."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml


class UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses a key given twice instead of keeping the last one."""


def _mapping_without_duplicates(loader: UniqueKeyLoader, node: yaml.MappingNode) -> Any:
    seen: set[Any] = set()
    for key_node, _value in node.value:
        key = loader.construct_object(key_node)
        try:
            duplicate = key in seen
            seen.add(key)
        except TypeError:  # an unhashable key: construct_mapping reports it
            continue
        if duplicate:
            raise yaml.constructor.ConstructorError(
                None, None, f"{key!r} is given twice", key_node.start_mark
            )
    return loader.construct_mapping(node)


UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates
)


def read_data_file(
    path: str | Path | None, *, packaged: str, what: str, error: type[Exception]
) -> tuple[str, str]:
    """(name for messages, text) of ``bot/data/<packaged>``, or of ``path`` when given;
    ``what`` names the file in messages ("template file"), raised as ``error``."""
    if path is None or path == "":
        text = resources.files("bot").joinpath("data").joinpath(packaged).read_text("utf-8")
        return f"bot/data/{packaged}", text
    name = str(path)
    try:
        return name, Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{name}: {what} not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise error(f"{name}: can't read the {what}: {reason}") from None


def load_yaml(name: str, text: str, *, error: type[Exception]) -> Any:
    """The parsed document; invalid YAML raises ``error`` naming the line and column."""
    try:
        return yaml.load(text, Loader=UniqueKeyLoader)  # a SafeLoader: no arbitrary objects
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise error(f"{name}: not valid YAML{at}: {problem}") from None
