"""Reader of skills-library files (``docs/talent.md`` describes the format), refusing bad input by path.

Only parses and checks; ``services.import_library`` writes, atomically. Every problem is a
``LibraryError`` naming the offending entry, e.g. ``library.categories[2].skills[0].urn``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from steward.talent.choices import MAX_LEVEL, MIN_LEVEL

MAX_BYTES = 8 * 1024 * 1024
LIBRARY_KEYS = {"urn", "name", "version", "publisher", "description", "levels", "categories"}
LEVEL_KEYS = {"level", "urn", "name", "description"}
CATEGORY_KEYS = {"urn", "name", "description", "skills"}
SKILL_KEYS = {"urn", "name", "code", "description"}


class LibraryError(ValueError):
    """A skills library file is malformed; ``path`` names the entry, nothing was imported."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path, self.message = path, message


@dataclass
class Entry:
    urn: str
    name: str
    description: str = ""
    code: str = ""
    level: int = 0
    category_urn: str = ""


@dataclass
class LibraryData:
    urn: str
    name: str
    version: str
    publisher: str = ""
    description: str = ""
    levels: list[Entry] = field(default_factory=list)
    categories: list[Entry] = field(default_factory=list)
    skills: list[Entry] = field(default_factory=list)


def _obj(value: Any, path: str, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise LibraryError(path, "expected a mapping.")
    unknown = set(value) - allowed
    if unknown:
        raise LibraryError(
            f"{path}.{sorted(unknown)[0]}", f"unknown key (allowed: {', '.join(sorted(allowed))})."
        )
    return value


def _list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise LibraryError(path, "a non-empty list is required.")
    return value


def _text(parent: dict[str, Any], key: str, path: str, *, required: bool = True, limit: int = 200) -> str:
    value = parent.get(key)
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise LibraryError(f"{path}.{key}", "a non-empty text is required." if required else "expected text.")
    if len(value) > limit:
        raise LibraryError(f"{path}.{key}", f"at most {limit} characters.")
    return value.strip()


def _urn(parent: dict[str, Any], path: str, seen: dict[str, str]) -> str:
    urn = _text(parent, "urn", path)
    if not urn.startswith("urn:") or any(c.isspace() for c in urn):
        raise LibraryError(f"{path}.urn", f"{urn!r} is not a URN (urn:… without spaces).")
    if urn in seen:
        raise LibraryError(f"{path}.urn", f"the URN {urn!r} is used twice (first at {seen[urn]}).")
    seen[urn] = f"{path}.urn"
    return urn


def load(text: str | bytes) -> Any:
    if len(text) > MAX_BYTES:
        raise LibraryError("$", f"the file is larger than {MAX_BYTES // 1024 // 1024} MB.")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise LibraryError(
                "$", f"the file is not UTF-8 text ({exc.reason} at byte {exc.start})."
            ) from None
    try:
        return yaml.safe_load(text)  # JSON is YAML too
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise LibraryError("$", f"invalid YAML{where}.") from None


def parse(text: str | bytes) -> LibraryData:
    """Check a whole library file and return its content; the first problem raises ``LibraryError``."""
    doc = load(text)
    if not isinstance(doc, dict) or "library" not in doc:
        raise LibraryError("$", "expected a top-level 'library' key.")
    root = _obj(doc["library"], "library", LIBRARY_KEYS)
    seen: dict[str, str] = {}
    data = LibraryData(
        urn=_urn(root, "library", seen), name=_text(root, "name", "library"),
        version=_text(root, "version", "library", limit=50),
        publisher=_text(root, "publisher", "library", required=False),
        description=_text(root, "description", "library", required=False, limit=5000),
    )  # fmt: skip
    levels = _list(root.get("levels"), "library.levels")
    for i, raw in enumerate(levels):
        path = f"library.levels[{i}]"
        node = _obj(raw, path, LEVEL_KEYS)
        number = node.get("level")
        if isinstance(number, bool) or not isinstance(number, int) or not MIN_LEVEL <= number <= MAX_LEVEL:
            raise LibraryError(
                f"{path}.level", f"a whole number from {MIN_LEVEL} to {MAX_LEVEL} is required."
            )
        if number != i + 1:
            raise LibraryError(f"{path}.level", f"levels are listed in order from 1; expected {i + 1}.")
        data.levels.append(
            Entry(urn=_urn(node, path, seen), name=_text(node, "name", path, limit=100), level=number,
                  description=_text(node, "description", path, required=False, limit=5000))
        )  # fmt: skip
    if len(data.levels) != MAX_LEVEL:
        raise LibraryError(
            "library.levels", f"the scale has exactly {MAX_LEVEL} levels, not {len(data.levels)}."
        )
    names: dict[str, str] = {}
    for i, raw in enumerate(_list(root.get("categories"), "library.categories")):
        path = f"library.categories[{i}]"
        node = _obj(raw, path, CATEGORY_KEYS)
        category = Entry(urn=_urn(node, path, seen), name=_text(node, "name", path),
                         description=_text(node, "description", path, required=False, limit=5000))  # fmt: skip
        data.categories.append(category)
        for j, raw_skill in enumerate(_list(node.get("skills"), f"{path}.skills")):
            where = f"{path}.skills[{j}]"
            skill = _obj(raw_skill, where, SKILL_KEYS)
            entry = Entry(
                urn=_urn(skill, where, seen), name=_text(skill, "name", where),
                code=_text(skill, "code", where, required=False, limit=20),
                description=_text(skill, "description", where, required=False, limit=5000),
                category_urn=category.urn,
            )  # fmt: skip
            key = entry.name.casefold()
            if key in names:
                raise LibraryError(
                    f"{where}.name", f"the skill {entry.name!r} is named twice (first at {names[key]})."
                )
            names[key] = f"{where}.name"
            data.skills.append(entry)
    return data
