"""A second, independent generator (datamodel-code-generator, pinned in the dev group) reads the spec.

It builds pydantic v2 models from openapi/openapi.yaml into a temporary directory during the
test run; every request and response example then parses with the model of its schema
(`model_validate`), and dumping it keeps every key of the example. A spec change that only
openapi-python-client tolerates fails here.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from ._spec import SPEC_PATH, Example, examples, missing_keys

EXAMPLES = examples()
MODULE = "_datamodel_spec_models"


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The models datamodel-code-generator makes of the spec, imported from a temporary file."""
    out = tmp_path_factory.mktemp("datamodel") / f"{MODULE}.py"
    command = [
        sys.executable,
        "-m",
        "datamodel_code_generator",
        "--input",
        str(SPEC_PATH),
        "--input-file-type",
        "openapi",
        "--output-model-type",
        "pydantic_v2.BaseModel",
        "--target-python-version",
        "3.11",
        "--formatters",
        "builtin",
        "--disable-timestamp",
        "--output",
        str(out),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    spec = importlib.util.spec_from_file_location(MODULE, out)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[MODULE] = module  # pydantic resolves the generated generics through sys.modules
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[MODULE]


def test_the_generator_is_the_pinned_one() -> None:
    """The version that runs is the one pyproject.toml pins in the dev group."""
    from importlib.metadata import version

    pyproject = (Path(SPEC_PATH).parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    assert f'"datamodel-code-generator=={version("datamodel-code-generator")}"' in pyproject


def test_every_schema_of_an_example_is_a_model(models: ModuleType) -> None:
    names = {e.schema for e in EXAMPLES}
    assert names
    assert {name for name in names if not hasattr(models, name)} == set()


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.id)
def test_example_parses_with_its_model(models: ModuleType, example: Example) -> None:
    model = getattr(models, example.schema)
    parsed = model.model_validate(example.body())
    dumped = parsed.model_dump(mode="json", by_alias=True, exclude_unset=True)
    assert missing_keys(example.value, dumped) == []
