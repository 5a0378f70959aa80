"""``cara serve`` (the HTTP service) and ``cara worker`` (webhook delivery, abandoned episode
analyses)."""

from __future__ import annotations

import argparse
import asyncio

from service.cli.common import Subparsers, migrate
from service.cli.definitions import load_definitions
from service.settings import Settings


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from service.app import create_app
    from service.kit.http_protocol import header_timeout_protocol

    migrate(settings)
    if settings.load_definitions_on_start:
        status = load_definitions(settings)
        if status != 0:
            return status
    if args.with_worker:
        settings = settings.model_copy(update={"webhook_worker_in_process": True})
    uvicorn.run(
        create_app(settings),
        host=args.host,
        port=args.port,
        log_config=None,
        proxy_headers=False,
        server_header=False,  # no product banner for scanners
        timeout_keep_alive=5,
        http=header_timeout_protocol(settings.header_read_timeout_seconds),
        limit_concurrency=args.limit_concurrency,
        timeout_graceful_shutdown=30,
    )
    return 0


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    """Deliver webhooks and run abandoned episode analyses until SIGINT or SIGTERM; several
    workers may run at once (PostgreSQL)."""
    import signal

    from service.analyses.worker import run_worker as run_analyses
    from service.bootstrap import bootstrap
    from service.kit.db import Database
    from service.webhooks.worker import run_worker

    bootstrap(log_level=settings.log_level)
    migrate(settings)

    async def runner() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        database = Database(settings.database_url, settings.database_pool_size)
        try:
            await asyncio.gather(run_worker(database, settings, stop=stop), run_analyses(database, stop=stop))
        finally:
            await database.dispose()

    asyncio.run(runner())
    return 0


def register_serve(sub: Subparsers) -> None:
    serve = sub.add_parser("serve", help="apply pending migrations, then serve HTTP")
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="the port to listen on (default 8000)")
    serve.add_argument(
        "--limit-concurrency",
        type=int,
        default=None,
        help="answer 503 beyond this many concurrent connections",
    )
    serve.add_argument(
        "--with-worker",
        action="store_true",
        help="also deliver webhooks from this process (instead of a separate `cara worker`)",
    )
    serve.set_defaults(handler=cmd_serve)


def register_worker(sub: Subparsers) -> None:
    worker = sub.add_parser(
        "worker",
        help="deliver webhooks and run abandoned episode analyses until interrupted (SIGINT/SIGTERM)",
    )
    worker.set_defaults(handler=cmd_worker)
