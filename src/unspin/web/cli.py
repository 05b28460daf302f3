"""CLI verb ``serve``: run the web app and HTTP API over an index (``register(subparsers)``)."""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys

from ..errors import UsageError
from ..sanitize import terminal
from .config import CONFIG_ENV, TOKEN_ENV, ServeConfig

EXIT_OK = 0


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve_config(args: argparse.Namespace) -> ServeConfig:
    """The settings from the options; refuses writes without a token to check them against."""
    try:
        config = ServeConfig(index=args.index, host=args.host, port=args.port,
                             max_bytes=args.max_bytes, time_limit=args.time_limit,
                             threads=args.threads, workers=args.workers,
                             allow_writes=args.allow_writes)
    except ValueError as exc:
        raise UsageError(f"{exc}; see `unspin serve --help`") from None
    if config.allow_writes and not os.environ.get(config.token_env):
        raise UsageError(f"--allow-writes needs a bearer token: set ${config.token_env} to a long "
                         "random string and send it as `Authorization: Bearer TOKEN`")
    return config


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from ..index import Index
    from .app import create_app

    config = serve_config(args)
    Index.open(config.index, readonly=True).close()  # a missing index fails here, in one line
    host, where = terminal(config.host), terminal(config.index)
    if not _loopback(config.host):
        print(f"unspin: serving on {host}, reachable from other machines; nothing in the "
              "app asks who is calling", file=sys.stderr)
    print(f"unspin: serving {where} on http://{host}:{config.port}/ (Ctrl-C stops)",
          file=sys.stderr)
    if config.workers > 1:
        os.environ[CONFIG_ENV] = config.to_json()
        uvicorn.run("unspin.web.app:app_from_env", factory=True, host=config.host,
                    port=config.port, workers=config.workers, log_level="warning")
    else:
        uvicorn.run(create_app(config), host=config.host, port=config.port, log_level="warning")
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    defaults = ServeConfig(index="")
    p = sub.add_parser(
        "serve", help="web app and HTTP API over an index (pages, /api, /docs)",
        description="Serve the Check, Index and Tortured pages and the HTTP API (/api/check, "
                    "/api/tortured, /api/restore, /api/index, /api/articles/ID; described at "
                    "/docs) over an index opened read-only. Binds to loopback unless told "
                    "otherwise; never fetches a URL it is given.")
    p.add_argument("--index", required=True, metavar="DIR", help="index directory")
    p.add_argument("--host", default=defaults.host,
                   help="address to listen on (default: %(default)s, this machine only)")
    p.add_argument("--port", type=int, default=defaults.port, help="default: %(default)s")
    p.add_argument("--max-bytes", type=int, default=defaults.max_bytes,
                   help="largest request body, uploads included (default: %(default)s)")
    p.add_argument("--time-limit", type=float, default=defaults.time_limit, metavar="SECONDS",
                   help="longest a request may compute before 503 (default: %(default)s)")
    p.add_argument("--threads", type=int, default=defaults.threads,
                   help="requests checked at once per process, each with its own read-only "
                        "connection (default: %(default)s)")
    p.add_argument("--workers", type=int, default=defaults.workers,
                   help="server processes (use one per core for throughput; batches live in "
                        "one process's memory) (default: %(default)s)")
    p.add_argument("--allow-writes", action="store_true",
                   help=f"allow POST /api/articles, with the bearer token in ${TOKEN_ENV}")
    p.set_defaults(func=cmd_serve)


__all__ = ["register", "cmd_serve", "serve_config"]
