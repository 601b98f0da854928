"""The talent models (one module per aggregate, re-exported here)."""
