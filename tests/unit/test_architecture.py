"""The architecture, checked: the import contracts of pyproject.toml ([tool.importlinter], run by
import-linter), no private name imported across modules, no lower layer importing the package
facade ``citetools`` (only ``citetools/__init__.py`` and ``__main__.py`` may), and no module
over 400 lines or function over 60 lines (unless a ``# long:`` comment says why)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys

import pytest

from tests.helpers import ROOT

PACKAGE = ROOT / "citetools"
FACADE_USERS = {"citetools/__init__.py", "citetools/__main__.py"}
LINT_IMPORTS = "from importlinter.cli import lint_imports_command; lint_imports_command()"


def test_import_contracts_are_kept():
    """``lint-imports`` on this tree (not an installed copy: the tree comes first on the path)."""
    run = subprocess.run(
        [sys.executable, "-c", LINT_IMPORTS, "pyproject.toml", "--no-cache", "--no-logo"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


# --- the scan ----------------------------------------------------------------------------------


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _is_module(dotted: str) -> bool:
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _module_name(relative: str) -> str:
    parts = relative.removesuffix(".py").split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _private_module_outside(target: str, importer: str) -> bool:
    """Whether ``target`` has a private part (``a.b._c``) that ``importer`` is not inside
    (``a.b`` or below): a private submodule is for its own package only."""
    parts = target.split(".")
    return any(
        _private(part) and not (importer + ".").startswith(".".join(parts[:i]) + ".")
        for i, part in enumerate(parts)
    )


def offences(relative: str, source: str) -> list[str]:
    """``file:line: what`` for each import in ``source`` (the file at ``relative``, below
    the repository root) that takes a private name from another module or uses the package facade."""
    module = _module_name(relative)
    package = module if relative.endswith("__init__.py") else module.rpartition(".")[0]
    top = module.split(".")[0]
    found: list[str] = []
    modules: dict[str, str] = {}  # name -> module of the package it is bound to (``mod._name``)
    tree = ast.parse(source, relative)
    for node in ast.walk(tree):
        where = f"{relative}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] != top:
                    continue
                if alias.name == top and relative not in FACADE_USERS:
                    found.append(f"{where}: imports the package facade `{top}`")
                if _private_module_outside(alias.name, module):
                    found.append(f"{where}: imports the private module {alias.name}")
                bound = alias.asname or alias.name.split(".")[0]
                modules[bound] = alias.name if alias.asname else bound
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target.split(".")[0] != top:
                continue
            if _private_module_outside(target, module):
                found.append(f"{where}: imports from the private module {target}")
            for alias in node.names:
                dotted = f"{target}.{alias.name}"
                if _is_module(dotted):
                    modules[alias.asname or alias.name] = dotted
                    if _private_module_outside(dotted, module):
                        found.append(f"{where}: imports the private module {dotted}")
                    continue
                if target == top and relative not in FACADE_USERS:
                    found.append(f"{where}: imports {alias.name} from the package facade `{top}`")
                if _private(alias.name):
                    found.append(f"{where}: imports the private name {dotted}")
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and _private(node.attr)
            and not _is_module(f"{modules[node.value.id]}.{node.attr}")
        ):
            name = f"{modules[node.value.id]}.{node.attr}"
            found.append(f"{relative}:{node.lineno}: uses the private name {name}")
    return found


def test_no_private_name_crosses_modules_and_no_lower_layer_imports_the_facade():
    found = [
        offence
        for path in sorted(PACKAGE.rglob("*.py"))
        for offence in offences(path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8"))
    ]
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    ("relative", "source", "expected"),
    [
        pytest.param(
            "citetools/keys/pattern.py",
            "from citetools.keys.markers import _auth, expander\n",
            ["citetools/keys/pattern.py:1: imports the private name citetools.keys.markers._auth"],
            id="private-name",
        ),
        pytest.param(
            "citetools/update/__init__.py",
            "from citetools.normalize import dedup\nx = dedup._keys\n",
            [
                "citetools/update/__init__.py:2: uses the private name citetools.normalize.dedup._keys"
            ],
            id="private-attribute",
        ),
        pytest.param(
            "citetools/readers/listing.py",
            "from .._gc import gc_paused\nfrom . import _parts\nfrom citetools.readers._glued import x\n",
            [],
            id="private-modules-inside-their-package",
        ),
        pytest.param(
            "citetools/readers/listing.py",
            "from citetools.exporters._inline import Entry\n",
            [
                "citetools/readers/listing.py:1: imports from the private module "
                "citetools.exporters._inline"
            ],
            id="private-module-of-another-package",
        ),
        pytest.param(
            "citetools/resolvers/arxiv/client.py",
            "import citetools\nfrom citetools import __version__, plugins\n",
            [
                "citetools/resolvers/arxiv/client.py:1: imports the package facade `citetools`",
                "citetools/resolvers/arxiv/client.py:2: imports __version__ from the package "
                "facade `citetools`",
            ],
            id="facade",
        ),
        pytest.param(
            "citetools/__main__.py", "from citetools import main\n", [], id="facade-users"
        ),
    ],
)
def test_the_scan_finds(relative, source, expected):
    assert offences(relative, source) == expected


# --- sizes -------------------------------------------------------------------------------------

MODULE_LINES = 400
FUNCTION_LINES = 60
LONG = "# long:"


def size_offences(relative: str, source: str) -> list[str]:
    """``file:line: what`` for a module over :data:`MODULE_LINES` lines and for each function
    over :data:`FUNCTION_LINES` (from its first decorator to its last line) unless the line just
    above it is a ``# long:`` comment giving the reason."""
    lines = source.splitlines()
    found = []
    if len(lines) > MODULE_LINES:
        found.append(f"{relative}: {len(lines)} lines (at most {MODULE_LINES})")
    for node in ast.walk(ast.parse(source, relative)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        length = (node.end_lineno or node.lineno) - first + 1
        above = lines[first - 2].strip() if first > 1 else ""
        reason = above.removeprefix(LONG).strip() if above.startswith(LONG) else ""
        if length > FUNCTION_LINES and not reason:
            found.append(
                f"{relative}:{node.lineno}: {node.name} has {length} lines (at most "
                f"{FUNCTION_LINES}, or a '{LONG} reason' comment on the line above it)"
            )
    return found


def test_no_module_or_function_is_too_long():
    found = [
        offence
        for path in sorted(PACKAGE.rglob("*.py"))
        for offence in size_offences(
            path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")
        )
    ]
    assert not found, "\n".join(found)


def _function(lines: int, *, above: str = "", decorated: bool = False, indent: str = "") -> str:
    """A function of ``lines`` lines in all (its decorator included), after ``above``."""
    head = [f"{indent}@staticmethod"] if decorated else []
    head.append(f"{indent}def f():")
    body = [f"{indent}    x = 1"] * (lines - len(head))
    return "\n".join([*([above] if above else []), *head, *body]) + "\n"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(_function(60), [], id="60-lines"),
        pytest.param(
            _function(61),
            ["m.py:1: f has 61 lines"],
            id="61-lines",
        ),
        pytest.param(_function(61, above="# long: a table"), [], id="61-lines-with-reason"),
        pytest.param(
            _function(61, above="# long:"),
            ["m.py:2: f has 61 lines"],
            id="61-lines-no-reason-given",
        ),
        pytest.param(
            _function(61, above="# (long: a table)"),
            ["m.py:2: f has 61 lines"],
            id="61-lines-reason-not-so-marked",
        ),
        pytest.param(
            "class C:\n" + _function(61, decorated=True, indent="    "),
            ["m.py:3: f has 61 lines"],
            id="a-method-counted-from-its-decorator",
        ),
        pytest.param(
            "class C:\n"
            + _function(61, above="    # long: options", decorated=True, indent="    "),
            [],
            id="the-reason-above-the-decorator",
        ),
        pytest.param("x = 1\n" * 400, [], id="400-line-module"),
        pytest.param("x = 1\n" * 401, ["m.py: 401 lines"], id="401-line-module"),
    ],
)
def test_the_size_scan_finds(source, expected):
    # (each offence compared up to the bracketed rule it ends with)
    assert [found.split(" (")[0] for found in size_offences("m.py", source)] == expected
