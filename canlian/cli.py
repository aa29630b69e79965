"""The `canlian` command: Django's manage.py plus `demo` and `serve`."""

import os
import subprocess
import sys


def _django(argv: list[str]) -> None:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["canlian", *argv])


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canlian.settings")
    command = argv[0] if argv else "help"
    if command == "demo":
        # 演示环境：迁移数据库并载入二连浩特演示数据（可重复执行）
        _django(["migrate", "--noinput", "-v", "0"])
        _django(["load_demo"])
        _django(["load_demo_benefits"])
        _django(["load_demo_employment"])
        _django(["load_demo_services"])
        _django(["load_demo_community"])  # before the indicators, whose snapshots read the organisation
        _django(["load_demo_indicators"])
        _django(["load_demo_portal"])
    elif command == "serve":
        _serve(argv[1:])
    else:
        _django(argv)


def _serve(argv: list[str]) -> None:
    """Serve with gunicorn and WhiteNoise, as in production, with one background worker beside it (imports)."""
    from canlian.common.env import env_bool, env_int, env_str

    bind = env_str("CANLIAN_BIND", "127.0.0.1:8000")
    workers = str(env_int("WEB_CONCURRENCY", default=3))
    _django(["collectstatic", "--noinput", "-v", "0"])
    if env_bool("CANLIAN_TASK_WORKER", default=True):
        # It shares the terminal's process group, so Ctrl+C stops it with the server. Larger sites set
        # CANLIAN_TASK_WORKER=false and run `canlian db_worker` on as many machines as they need.
        subprocess.Popen([sys.executable, "-m", "canlian.cli", "db_worker", "--interval", "1"])
    print(f"残联综合服务平台 正在运行： http://{bind}/   (Ctrl+C 停止)", flush=True)
    os.execvp(sys.executable, [  # noqa: S606 — replaces this process with gunicorn
        sys.executable, "-m", "gunicorn", "canlian.wsgi:application", "--bind", bind, "--workers", workers,
        # Path only: a search's query string can hold a full ID number, which must not reach the log.
        "--access-logfile", "-", "--access-logformat", '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss', *argv,
    ])


if __name__ == "__main__":
    main()
