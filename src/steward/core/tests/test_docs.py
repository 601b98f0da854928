from pathlib import Path

from steward.conf import SETTINGS

ROOT = Path(__file__).resolve().parents[4]


def test_every_setting_is_documented():
    text = (ROOT / "docs" / "configuration.md").read_text()
    missing = [s.name for s in SETTINGS if f"`{s.name}`" not in text]
    assert not missing, f"undocumented settings: {missing}"
