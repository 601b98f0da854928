import pytest


@pytest.fixture
def events(monkeypatch):
    """The talent domain events (not create/update/delete) dispatched after commit, in order."""
    fired = []

    def keep(e, **kw):
        if e.name.startswith("talent.") and not e.name.endswith((".created", ".updated", ".deleted")):
            fired.append(e)
        return 0

    monkeypatch.setattr("steward.core.events.dispatch", keep)
    return fired
