"""Fixtures several test modules share: a CLI runner and a copy of the Raqqa place list."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture()
def places(tmp_path: Path) -> Path:
    """The project's places.yaml, copied where a test may change it."""
    path = tmp_path / "places.yaml"
    shutil.copy(ROOT / "places.yaml", path)
    return path
