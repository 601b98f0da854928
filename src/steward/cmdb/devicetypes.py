"""Reading the community device-type library format (one YAML document per device type).

Only what the catalogue keeps is read: manufacturer, model, slug, part number, height, depth,
airflow and how many interfaces, power ports, console ports and power outlets the model has.
Everything is checked before anything is written; an error names the file and the element.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.utils.text import slugify

from steward.cmdb.choices import Airflow

COMPONENTS = {
    "interfaces": "interface_count",
    "power-ports": "power_port_count",
    "console-ports": "console_port_count",
    "power-outlets": "power_outlet_count",
}
OTHER_LISTS = (
    "console-server-ports",
    "front-ports",
    "rear-ports",
    "module-bays",
    "device-bays",
    "inventory-items",
)
MAX_BYTES = 1024 * 1024


class DeviceTypeError(ValueError):
    """A device-type file is malformed; the message says which file and which element."""


@dataclass(frozen=True)
class DeviceType:
    manufacturer: str
    model: str
    slug: str
    part_number: str
    u_height: Decimal
    is_full_depth: bool
    airflow: str
    counts: dict[str, int]
    description: str
    source: str


def _fail(source: str, where: str, problem: str) -> DeviceTypeError:
    return DeviceTypeError(f"{source}: {where}: {problem}.")


def parse(text: str, source: str) -> DeviceType:
    """One device type from YAML text; ``source`` names it in errors (usually the file path)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "document"
        raise _fail(source, where, "not valid YAML") from None
    if not isinstance(data, dict):
        raise _fail(source, "document", "expected a mapping of device-type fields")
    for key in ("manufacturer", "model"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise _fail(source, key, "required text")
    manufacturer, model = data["manufacturer"].strip(), data["model"].strip()
    if len(manufacturer) > 100 or len(model) > 100:
        raise _fail(source, "model" if len(model) > 100 else "manufacturer", "at most 100 characters")
    slug = data.get("slug", slugify(f"{manufacturer} {model}"))
    if not isinstance(slug, str) or not slug or slug != slugify(slug) or len(slug) > 150:
        raise _fail(source, "slug", "lower-case letters, digits, - and _ only")
    part_number = data.get("part_number", "")
    if not isinstance(part_number, str | int) or isinstance(part_number, bool) or len(str(part_number)) > 100:
        raise _fail(source, "part_number", "expected text of at most 100 characters")
    raw_height = data.get("u_height", 1)
    try:
        if isinstance(raw_height, bool):
            raise InvalidOperation
        height = Decimal(str(raw_height))
    except InvalidOperation:
        raise _fail(source, "u_height", "expected a number") from None
    if not height.is_finite() or height < 0 or height > 100 or (height * 2) % 1:
        raise _fail(source, "u_height", "a multiple of 0.5 from 0 to 100")
    full_depth = data.get("is_full_depth", True)
    if not isinstance(full_depth, bool):
        raise _fail(source, "is_full_depth", "expected true or false")
    airflow = data.get("airflow", "")
    if airflow and airflow not in Airflow.values:
        raise _fail(source, "airflow", f"one of {', '.join(Airflow.values)}")
    counts = {}
    for key in (*COMPONENTS, *OTHER_LISTS):
        items = data.get(key, [])
        if items is None:
            items = []
        if not isinstance(items, list):
            raise _fail(source, key, "expected a list")
        for i, element in enumerate(items):
            if not isinstance(element, dict):
                raise _fail(source, f"{key}[{i}]", "expected a mapping")
            if not isinstance(element.get("name"), str) or not element["name"].strip():
                raise _fail(source, f"{key}[{i}].name", "required text")
        if key in COMPONENTS:
            counts[COMPONENTS[key]] = len(items)
    description = data.get("comments", "") or data.get("description", "")
    return DeviceType(
        manufacturer=manufacturer,
        model=model,
        slug=slug,
        part_number=str(part_number),
        u_height=height,
        is_full_depth=full_depth,
        airflow=airflow,
        counts=counts,
        description=str(description),
        source=source,
    )


def collect(paths: list[Path]) -> list[tuple[str, str]]:
    """(source name, text) of every .yaml/.yml file under ``paths``, in a stable order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
        elif path.is_file():
            files.append(path)
        else:
            raise DeviceTypeError(f"{path}: no such file or folder")
    documents = []
    for file in files:
        if file.stat().st_size > MAX_BYTES:
            raise DeviceTypeError(f"{file}: larger than 1 MB")
        try:
            documents.append((str(file), file.read_text(encoding="utf-8")))
        except UnicodeDecodeError:
            raise DeviceTypeError(f"{file}: not UTF-8 text") from None
    return documents


def check_duplicates(types: list[DeviceType]) -> None:
    seen: dict[str, str] = {}
    for t in types:
        for key in (f"slug {t.slug}", f"model {t.manufacturer} {t.model}"):
            if key in seen:
                raise DeviceTypeError(
                    f"{t.source}: {key.split()[0]}: {key.split(' ', 1)[1]} is also in {seen[key]}"
                )
            seen[key] = t.source
