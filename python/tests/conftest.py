"""Shared fixtures: the repository root, its gold reports, the radpath binary."""

import json
import os
import pathlib
import shutil

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def gold(name):
    """The cases of a gold file in corpus/."""
    with open(ROOT / "corpus" / name, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.fixture(scope="session")
def radpath_bin():
    """The radpath binary: $RADPATH_BIN, else target/release/radpath, else on PATH."""
    for cand in (os.environ.get("RADPATH_BIN"), str(ROOT / "target" / "release" / "radpath")):
        if cand and os.access(cand, os.X_OK):
            return cand
    found = shutil.which("radpath")
    if found is None:
        pytest.fail("no radpath binary: run `cargo build --release` or set RADPATH_BIN")
    return found
