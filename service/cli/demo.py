"""``cara demo``: load the demo data once (see service/demo.py), or issue fresh keys."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from service.cli.common import Subparsers, fail, migrate
from service.cli.definitions import load_definitions
from service.cli.progress import reporting
from service.settings import Settings


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from service import demo
    from service.bootstrap import bootstrap

    if settings.environment == "production":
        return fail("refusing to load demo data in production (CARA_ENVIRONMENT=production)")
    migrate(settings)
    status = load_definitions(settings)
    if status != 0:
        return status
    bootstrap()
    try:
        with reporting() as reporter:
            keys, loaded_now = asyncio.run(demo.run(settings, Path(args.keys_file), reporter.part))
    except demo.DemoError as exc:
        return fail(f"demo data could not be loaded: {exc}")
    path = Path(args.keys_file)
    demo.write_keys(path, keys)
    print("Demo data " + ("loaded" if loaded_now else "already present; new keys issued") + ".")
    print(f"  ops key       {keys.ops}")
    print(f"  ACO key       {keys.aco}   ({demo.ACO_NAME})")
    print(f"  provider key  {keys.provider}   ({demo.GERIATRICS_NAME}, executed arrangement)")
    print(f"  provider key  {keys.therapy}   ({demo.THERAPY_NAME}, proposed arrangement)")
    print(
        f"  provider key  {keys.orthopaedics}   ({demo.ORTHOPAEDICS_NAME}, executed joint-replacement arrangement)"
    )
    print(f"Keys and ids saved to {path} (load them with: source {path}).")
    print(f"API docs: http://{args.host}:{args.port}/docs once `cara serve` runs.")
    return 0


def register(sub: Subparsers) -> None:
    demo = sub.add_parser(
        "demo", help="load demo organisations, arrangements, claims and a settlement (sandbox only)"
    )
    demo.add_argument("--host", default="127.0.0.1", help="where the docs will be (for the message)")
    demo.add_argument("--port", type=int, default=8000, help="where the docs will be (for the message)")
    demo.add_argument("--keys-file", default="var/demo-keys.env", help="where to save the keys and ids")
    demo.set_defaults(handler=cmd_demo)
