"""The innovation models (one module per aggregate, re-exported here)."""
