"""The finance models (one module per aggregate, re-exported here)."""
