"""Attack tools against a live server: sqlmap on the query endpoints, wapiti on the UI.

``python -m bench.attack`` migrates a throwaway database, loads demo data, starts
``steward run`` on a free loopback port and attacks it, bounded in time and requests:

- **sqlmap** (``--batch``) against list endpoints of the API (token header) and of the UI
  (session cookie): the quick search ``q``, ``ordering`` / ``sort``, paging, and filter
  parameters taken from each operation in ``/api/schema/``. Boolean, error and UNION
  techniques at level 1 in CI; ``--soak`` adds time-based and stacked queries at level 3 on
  every endpoint. Any "injectable" verdict fails the run.
- **wapiti** against the UI, signed in, with the injection modules (sql, xss, stored xss,
  exec, file, crlf, redirect, csrf), ``--max-scan-time`` bounded, logout and account pages
  excluded so it cannot sign itself out. Any vulnerability fails the run; anomalies (server
  errors it provoked) are reported and fail it too.

Nothing leaves loopback: wapiti's bug reports are off and the modules that call out (ssrf,
nikto, wapp) are not used. A summary goes to ``bench/results/attack-<engine>-<time>.json``.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx2 as httpx

from bench.harness import Context, verdict, write_result
from bench.load import Site, discover, login
from steward.utilities.testing import live

SQLMAP = shutil.which("sqlmap") or "/usr/bin/sqlmap"
WAPITI = shutil.which("wapiti") or "/usr/bin/wapiti"
INJECTABLE = re.compile(
    r"identified the following injection point|parameter '[^']+' (is|appears to be) .*injectable", re.I
)
MIN_EXPLORED = 5  # the signed-in pages; signed out, wapiti sees only /login/
NOT_INJECTABLE = "all tested parameters do not appear to be injectable"
WAPITI_MODULES = "sql,xss,permanentxss,exec,file,crlf,redirect,csrf"


def query_parameters(schema: dict[str, Any], path: str) -> list[str]:
    """The query parameters the API declares for the list operation at ``path``."""
    operation = schema.get("paths", {}).get(path, {}).get("get", {})
    return [p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"]


def sample_value(name: str) -> str:
    if name in ("limit", "offset", "page"):
        return "5" if name == "limit" else "0"
    if name in ("ordering", "sort"):
        return "name"
    if name.endswith(("_id", "id")) or name in ("id",):
        return "1"
    return "test"


def sqlmap_targets(
    site: Site, target: Any, *, endpoints: int, per_endpoint: int, rng: random.Random
) -> list[dict]:
    """(url, parameters to test, auth) for a sample of API and UI list endpoints."""
    with httpx.Client(
        base_url=target.base, headers={"Authorization": f"Token {target.token}"}, timeout=60
    ) as c:
        schema = c.get("/api/schema/", params={"format": "json"}).json()
    paths = sorted(target.api_lists)
    chosen = paths if endpoints <= 0 else rng.sample(paths, min(endpoints, len(paths)))
    targets = []
    for path in chosen:
        declared = query_parameters(schema, path)
        always = [p for p in ("q", "ordering") if p in declared]
        filters = [p for p in declared if p not in (*always, "limit", "offset", "cursor", "brief", "format")]
        picked = always + rng.sample(filters, min(max(0, per_endpoint - len(always)), len(filters)))
        params = {name: sample_value(name) for name in [*picked, "limit"]}
        targets.append({"kind": "api", "path": path, "params": params, "test": picked})
        # The UI list page of the same model: its filter form takes the same parameters plus ``sort``.
        ui_params = {**{k: v for k, v in params.items() if k != "limit"}, "sort": "name", "per_page": "25"}
        targets.append(
            {"kind": "ui", "path": path.removeprefix("/api"), "params": ui_params, "test": [*picked, "sort"]}
        )
    return targets


def run_sqlmap(base: str, item: dict, *, auth: dict[str, str], out: Path, soak: bool, timeout: float) -> dict:
    query = "&".join(f"{k}={v}" for k, v in item["params"].items())
    url = f"{base}{item['path']}?{query}"
    argv = [
        SQLMAP,
        "--batch",
        "-u",
        url,
        "-p",
        ",".join(item["test"]),
        "--level",
        "3" if soak else "1",
        "--risk",
        "1",
        "--technique",
        "BEUST" if soak else "BEU",
        "--threads",
        "2",
        "--timeout",
        "15",
        "--retries",
        "1",
        "--output-dir",
        str(out),
        "--flush-session",
        "--disable-coloring",
        "--skip-waf",
        "--dbms",
        auth["dbms"],
    ]
    if item["kind"] == "api":
        # sqlmap splits --headers on a literal backslash-n.
        argv += ["--headers", f"Authorization: Token {auth['token']}\\nAccept: application/json"]
    else:
        argv += ["--cookie", auth["cookie"]]
    started = time.monotonic()
    try:
        result = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)  # noqa: S603
        output, timed_out = result.stdout + result.stderr, False
    except subprocess.TimeoutExpired as exc:
        output, timed_out = (
            (exc.stdout or b"").decode(errors="replace")
            if isinstance(exc.stdout, bytes)
            else (exc.stdout or ""),
            True,
        )
    injectable = bool(INJECTABLE.search(output))
    # A clean verdict is sqlmap saying so; anything else (401, connection trouble, a time limit
    # hit) means the parameters were not really tested, which must not pass as "safe".
    tested = NOT_INJECTABLE in output
    return {
        "kind": item["kind"],
        "url": url,
        "tested": item["test"],
        "seconds": round(time.monotonic() - started, 1),
        "timed_out": timed_out,
        "injectable": injectable,
        "completed": tested,
        "requests": _sqlmap_requests(output),
        "tail": output[-1500:] if injectable or not tested else "",
    }


def _sqlmap_requests(output: str) -> int:
    """HTTP requests sqlmap reported (it prints a total only when it finds something)."""
    return len(re.findall(r"\[INFO\] testing '", output))


# Two adjustments to Debian's wapiti 3.0.4, made by a launcher rather than by editing it:
# - it compiles its exclusion patterns with a trailing "(?ms)", which Python 3.11 refuses
#   ("global flags not at the start"), so any -x crashes it: that one function, flags first;
# - its CSRF module knows token fields by a fixed list of names without Django's
#   ``csrfmiddlewaretoken``, so it reports every Django form as "Lack of anti CSRF token".
#   With the name added it does the real check: the form is sent with the token replaced,
#   and must then be refused (a different status or page), else it is reported.
WAPITI_LAUNCHER = """
import re, sys
from wapitiCore.net import crawler
def wildcard_translate(pattern):
    return re.compile("(?ms)" + "".join(".*" if c == "*" else re.escape(c) for c in pattern) + r"\\Z")
crawler.wildcard_translate = wildcard_translate
from wapitiCore.attack import mod_csrf
mod_csrf.mod_csrf.TOKEN_FORM_STRINGS.append("csrfmiddlewaretoken")
from wapitiCore.main.wapiti import wapiti_main
sys.argv[0] = "wapiti"
sys.exit(wapiti_main())
"""


def wapiti_command() -> list[str]:
    interpreter = Path(WAPITI).read_text(errors="replace").split("\n", 1)[0].removeprefix("#!").strip()
    return [interpreter or "/usr/bin/python3", "-c", WAPITI_LAUNCHER]


def run_wapiti(base: str, cookie: str, *, out: Path, seconds: int, soak: bool) -> dict:
    report = out / "wapiti.json"
    argv = [
        *wapiti_command(),
        "-u",
        f"{base}/",
        "--scope",
        "folder",
        "-m",
        WAPITI_MODULES + (",timesql,blindsql" if soak else ""),
        "-H",
        f"Cookie: {cookie}",
        "-x",
        f"{base}/logout/",
        "-x",
        f"{base}/account/*",
        "-x",
        f"{base}/admin/*",
        "--depth",
        "4" if soak else "2",
        "--max-links-per-page",
        "30" if soak else "10",
        "--max-files-per-dir",
        "30" if soak else "8",
        "--max-scan-time",
        str(seconds),
        "--max-attack-time",
        str(max(10, seconds // 4)),
        "--timeout",
        "15",
        "--flush-session",
        "--store-session",
        str(out / "session"),
        "--store-config",
        str(out / "config"),
        "--no-bugreport",
        "-f",
        "json",
        "-o",
        str(report),
        "-v",
        "1",
    ]
    started = time.monotonic()
    result = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 300, check=False)  # noqa: S603
    if not report.exists():
        return {"error": f"wapiti wrote no report (exit {result.returncode}): {result.stderr[-2000:]}"}
    data = json.loads(report.read_text())
    # With -v 1 wapiti prints every resource it explores; signed out it would see only /login/.
    explored = sorted({m.group(1) for m in re.finditer(r"^\[\+\] (?:GET|POST) (\S+)", result.stdout, re.M)})
    vulnerabilities = {k: v for k, v in data.get("vulnerabilities", {}).items() if v}
    anomalies = {k: v for k, v in data.get("anomalies", {}).items() if v}
    return {
        "seconds": round(time.monotonic() - started, 1),
        "explored": len(explored),
        "explored_sample": explored[:40],
        "vulnerabilities": vulnerabilities,
        "anomalies": anomalies,
        "modules": WAPITI_MODULES,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.attack", description=__doc__.split("\n")[0])
    parser.add_argument("--endpoints", type=int, default=4, help="API list endpoints for sqlmap (0 = all)")
    parser.add_argument("--params", type=int, default=3, help="parameters tested per endpoint")
    parser.add_argument("--sqlmap-timeout", type=float, default=120, help="seconds per sqlmap run")
    parser.add_argument("--wapiti-seconds", type=int, default=90, help="wapiti's --max-scan-time")
    parser.add_argument("--soak", action="store_true", help="deeper techniques, every endpoint, longer scans")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-wapiti", action="store_true")
    parser.add_argument("--skip-sqlmap", action="store_true")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)

    site = Site(prefix="attack", demo_scale=0.1)
    out = Path(tempfile.mkdtemp(prefix="steward-attack-out-"))
    results: dict[str, Any] = {"sqlmap": [], "wapiti": None}
    try:
        port = live.free_port()
        with live.stopping(live.start_server("attack-web", site.env, port=port)):
            target = site.target(port)
            discover(target, warm_up=0)
            browser = httpx.Client(base_url=target.base, timeout=60)
            login(browser, target)
            cookie = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
            auth = {
                "token": target.token,
                "cookie": cookie,
                "dbms": "PostgreSQL" if site.db.engine == "postgresql" else "SQLite",
            }
            if not args.skip_sqlmap:
                items = sqlmap_targets(
                    site,
                    target,
                    endpoints=0 if args.soak else args.endpoints,
                    per_endpoint=args.params,
                    rng=rng,
                )
                for item in items:
                    row = run_sqlmap(
                        target.base, item, auth=auth, out=out, soak=args.soak, timeout=args.sqlmap_timeout
                    )
                    results["sqlmap"].append(row)
                    print(
                        f"[sqlmap] {row['kind']} {item['path']} {','.join(row['tested'])}: "
                        f"{'INJECTABLE' if row['injectable'] else 'not injectable' if row['completed'] else 'NOT TESTED'} "
                        f"({row['requests']} techniques, {row['seconds']} s{', time limit' if row['timed_out'] else ''})"
                    )
            if not args.skip_wapiti:
                seconds = args.wapiti_seconds * (5 if args.soak else 1)
                results["wapiti"] = run_wapiti(target.base, cookie, out=out, seconds=seconds, soak=args.soak)
                print(
                    f"[wapiti] {json.dumps({k: v for k, v in results['wapiti'].items()}, default=str)[:3000]}"
                )
            # The session must have stayed valid the whole scan, or wapiti saw only the login page.
            results["session_still_valid"] = browser.get("/").status_code == 200
    finally:
        site.close()
        shutil.rmtree(out, ignore_errors=True)
    path = write_result("attack", Context(size=0, rounds=1, engine=site.db.engine, seed=args.seed), results)
    print(f"    → {path}")
    problems = [f"sqlmap: {r['url']} injectable" for r in results["sqlmap"] if r["injectable"]]
    problems += [
        f"sqlmap could not finish testing {r['url']}:\n{r['tail'][-600:]}"
        for r in results["sqlmap"]
        if not r["injectable"] and not r["completed"]
    ]
    wapiti = results["wapiti"]
    if wapiti is not None:
        if "error" in wapiti:
            problems.append(wapiti["error"])
        else:
            problems += [f"wapiti: {k} ({len(v)})" for k, v in wapiti["vulnerabilities"].items()]
            problems += [f"wapiti anomaly: {k} ({len(v)})" for k, v in wapiti["anomalies"].items()]
            if wapiti["explored"] < MIN_EXPLORED:
                problems.append(f"wapiti explored only {wapiti['explored']} resources (signed out?)")
    if not results.get("session_still_valid", True):
        problems.append("the scanners' session was signed out during the scan")
    return verdict(problems)


if __name__ == "__main__":
    raise SystemExit(main())
