"""``steward agent``: collect this machine's facts and post them to a Steward server."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request
from typing import Any

from steward.agent.facts import collect

ENDPOINT = "/api/cmdb/configuration-items/discover/"
DEFAULT_INTERVAL = 3600


class PostError(Exception):
    """The server refused the payload or could not be reached; ``status`` 0 for the latter."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


def post(server: str, token: str, payload: dict[str, Any], timeout: float = 60) -> dict[str, Any]:
    """POST the payload as JSON with ``Authorization: Token …``; return the server's JSON answer."""
    url = server.rstrip("/") + ENDPOINT
    if not url.startswith(("http://", "https://")):
        raise PostError(f"--server must be an http:// or https:// URL, not {server!r}")
    body = json.dumps(payload).encode("utf-8")
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url,
        data=body,
        method="POST",
        headers={
            "Authorization": f"Token {token}",
            "Content-Type": "application/json",
            "Accept": "application/json",
            "User-Agent": f"steward-agent/{payload.get('agent', {}).get('version', '')}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - scheme checked  # nosec B310
            return json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", errors="replace")[:2000]
        raise PostError(f"{exc.code} {exc.reason}: {detail}", exc.code) from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise PostError(f"cannot reach {url}: {exc}") from None


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="steward agent",
        description="Collect this machine's facts (hardware, OS, network, packages) and post them to Steward.",
    )
    p.add_argument("--server", help="Steward base URL, e.g. https://steward.example.org")
    p.add_argument(
        "--token",
        default=os.environ.get("STEWARD_AGENT_TOKEN", ""),
        help="API token with the discovery scope (default: $STEWARD_AGENT_TOKEN)",
    )
    p.add_argument(
        "--once", action="store_true", help="post once and exit (default: repeat every --interval)"
    )
    p.add_argument(
        "--interval", type=int, default=DEFAULT_INTERVAL, help="seconds between runs (default 3600)"
    )
    p.add_argument(
        "--dry-run",
        "--print",
        dest="dry_run",
        action="store_true",
        help="print the JSON payload, post nothing",
    )
    p.add_argument("--no-packages", action="store_true", help="leave out dpkg/rpm packages")
    p.add_argument("--no-python", action="store_true", help="leave out the Python environment's packages")
    p.add_argument("--timeout", type=float, default=60, help="HTTP timeout in seconds")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if not args.dry_run and (not args.server or not args.token):
        parser().error("--server and --token (or $STEWARD_AGENT_TOKEN) are required unless --dry-run")
    if args.interval < 60 and not args.once and not args.dry_run:
        parser().error("--interval must be at least 60 seconds")
    while True:
        payload = collect(packages=not args.no_packages, python=not args.no_python)
        if args.dry_run:
            json.dump(payload, sys.stdout, indent=2, sort_keys=True)
            sys.stdout.write("\n")
            return 0
        try:
            answer = post(args.server, args.token, payload, timeout=args.timeout)
        except PostError as exc:
            print(f"steward agent: {exc}", file=sys.stderr)
            if args.once or 400 <= exc.status < 500:
                return 2 if exc.status else 1
        else:
            print(f"steward agent: {answer.get('summary', answer)}")
            if args.once:
                return 0
        time.sleep(args.interval)


if __name__ == "__main__":
    sys.exit(main())
