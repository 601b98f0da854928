"""The ``steward`` command: run, worker, agent, migrate, demo, audit verify, and every Django command."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steward.settings")
    if argv and argv[0] == "manage":
        argv = argv[1:]
    if not argv:
        argv = ["help"]
    command, rest = argv[0], argv[1:]
    if command == "agent":
        # The discovery agent runs without Django (it may be copied to hosts that lack it).
        from steward.agent.main import main as agent_main

        sys.exit(agent_main(rest))
    command = command.replace("-", "_")  # `steward ldap-sync` runs the ldap_sync command
    if command == "run":
        return _run(rest)
    if command == "audit":
        command, rest = "audit", rest
    if command == "worker":
        command = "steward_worker"
    from django.core.management import execute_from_command_line

    execute_from_command_line(["steward", command, *rest])


def _run(args: list[str]) -> None:
    """Production server: migrate, then gunicorn and a job worker side by side."""
    import signal
    import subprocess  # runs our own gunicorn and worker  # nosec B404

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from steward.conf import data_dir

    bind = os.environ.get("STEWARD_BIND", "127.0.0.1:8000")
    workers = os.environ.get("STEWARD_WEB_WORKERS", "2")
    procs = [
        subprocess.Popen([sys.executable, "-m", "steward.cli", "worker"]),  # noqa: S603  # fixed argv, no shell  # nosec B603
        subprocess.Popen(  # noqa: S603  # fixed argv, no shell  # nosec B603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "steward.wsgi",
                "--bind",
                bind,
                "--workers",
                workers,
                "--access-logfile",
                "-",
                # One control socket per data folder, so two sites on one host do not collide.
                "--control-socket",
                str(data_dir() / "gunicorn.ctl"),
                *args,
            ]
        ),
    ]

    def stop(*_: object) -> None:
        for p in procs:
            p.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        import time

        while all(p.poll() is None for p in procs):
            time.sleep(1)
    finally:
        stop()
        for p in procs:
            p.wait(timeout=20)


if __name__ == "__main__":
    main()
