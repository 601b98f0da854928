"""The Steward discovery agent: collects facts of the machine it runs on and posts them.

It is deliberately small and self-contained: the Python standard library only (``urllib`` is
its HTTP client), no Django and no other Steward package, so it can be copied to a host and run
with any Python 3.11+ (an import-linter contract keeps it so). ``steward agent --help`` shows
its options; docs/cmdb-discovery.md describes the payload it sends.
"""

from steward.agent.facts import PAYLOAD_VERSION, collect

__all__ = ["PAYLOAD_VERSION", "collect"]
