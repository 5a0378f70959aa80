"""The command line explains itself: `cara --version`, and help text on every option of every
command (walked from the parser, so a new option without help fails here)."""

from __future__ import annotations

import argparse
from importlib.metadata import version

import pytest

from service.cli import build_parser, main


def _parsers(
    parser: argparse.ArgumentParser, path: str = "cara"
) -> list[tuple[str, argparse.ArgumentParser]]:
    found = [(path, parser)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                found += _parsers(child, f"{path} {name}")
    return found


def test_every_option_and_argument_has_help() -> None:
    missing = [
        f"{path}: {action.dest}"
        for path, parser in _parsers(build_parser())
        for action in parser._actions
        if not isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)) and not action.help
    ]
    assert missing == []


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"cara {version('cara-service')}"
