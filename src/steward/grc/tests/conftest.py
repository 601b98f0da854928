from __future__ import annotations

from pathlib import Path

import pytest

#: Real OSCAL files NIST publishes, beside the checkout (see ../shared/data/README.md).
OSCAL = Path(__file__).resolve().parents[5] / "shared" / "data" / "oscal"
if not OSCAL.is_dir():
    OSCAL = Path("/work/shared/data/oscal")
LOW_CATALOG = OSCAL / "NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog.json"
LOW_PROFILE = OSCAL / "NIST_SP-800-53_rev5_LOW-baseline_profile.json"
BASIC_CATALOG = OSCAL / "basic-catalog.json"
AR_EXAMPLE = OSCAL / "ifa_assessment-results-example.json"
LIBRARY = Path(__file__).resolve().parents[1] / "data" / "steward-it-baseline.yaml"


def need(path: Path) -> Path:
    if not path.is_file():
        pytest.skip(f"{path.name} is not here (the shared OSCAL samples live in ../shared/data/oscal)")
    return path


@pytest.fixture
def events(monkeypatch):
    """The grc domain events (not create/update/delete) dispatched after commit, in order."""
    fired = []

    def keep(e, **kw):
        if e.name.startswith("grc.") and not e.name.endswith((".created", ".updated", ".deleted")):
            fired.append(e)
        return 0

    monkeypatch.setattr("steward.core.events.dispatch", keep)
    return fired
