"""The distribution a user installs: what the wheel holds, what it imports, what it locks.

The whole round trip (build the wheel, install it with deploy/requirements.lock into a fresh
virtualenv, run `samverkan --help`, `config check` and `demo` outside the checkout) is a
step of .ci/run; these tests catch the usual ways to break it early.
"""
from __future__ import annotations

import ast
import importlib.metadata
import importlib.resources
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from bot import render
from bot.render import Renderer

REPO = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
LOCK = REPO / "deploy" / "requirements.lock"
LOCK_COMMAND = ("uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes "
                "-o deploy/requirements.lock")


def locked() -> dict[str, list[tuple[str, str]]]:
    """Package -> [(version, environment marker)] pinned in the lock, each with hashes."""
    pins: dict[str, list[tuple[str, str]]] = {}
    text = LOCK.read_text(encoding="utf-8")
    for block in re.split(r"\n(?=\S)", text):
        m = re.match(r"([A-Za-z0-9_.-]+)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\", block)
        if m:
            assert "--hash=sha256:" in block, f"{m[1]} is pinned without a hash"
            pins.setdefault(canonicalize_name(m[1]), []).append((m[2], (m[3] or "").strip()))
    return pins


def test_the_lock_pins_every_runtime_dependency_within_its_range():
    pins = locked()
    for spec in PYPROJECT["project"]["dependencies"]:
        req = Requirement(spec)
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is missing from {LOCK.name}: run `{LOCK_COMMAND}`"
        for version, _ in pins[name]:
            assert req.specifier.contains(version, prereleases=True), \
                f"{LOCK.name} pins {req.name}=={version}, outside {req.specifier}: run `{LOCK_COMMAND}`"


def test_the_lock_holds_no_development_tool():
    pins = locked()
    for dev in PYPROJECT["project"]["optional-dependencies"]["dev"]:
        assert canonicalize_name(Requirement(dev).name) not in pins, dev


def _package_closure(init: Path) -> list[Path]:
    """The modules a package's __init__.py loads through relative imports, transitively."""
    seen: list[Path] = []
    todo = [init]
    while todo:
        path = todo.pop()
        if path in seen or not path.is_file():
            continue
        seen.append(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
                todo.append(init.parent / f"{node.module.split('.')[0]}.py")
    return sorted(seen)


def _imported_modules(folder: Path) -> dict[str, str]:
    """Top-level module -> first place it is imported, for absolute imports under folder.
    For the emulator, only what `import samverkan_emulator` loads (the demo's part); a
    test-only module beside it (socket_mode.py, needs websockets) is not loaded by it."""
    found: dict[str, str] = {}
    paths = (_package_closure(folder / "__init__.py") if folder.name == "slack_emulator"
             else sorted(folder.rglob("*.py")))
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                found.setdefault(name.split(".")[0], f"{path.relative_to(REPO)}:{node.lineno}")
    return found


@pytest.mark.parametrize("folder", ["bot", "handlers", "tests/slack_emulator"])
def test_installed_code_imports_only_runtime_dependencies(folder):
    """The shipped code (the emulator too: `samverkan demo` runs it) imports the standard
    library, its own packages and what the lock installs: never requests or pytest."""
    ours = {"bot", "handlers", "samverkan_emulator", "samverkan_templates"}
    runtime = set(locked())
    providers = importlib.metadata.packages_distributions()
    for module, where in _imported_modules(REPO / folder).items():
        if module in sys.stdlib_module_names or module in ours:
            continue
        dists = {canonicalize_name(d) for d in providers.get(module, [])}
        assert dists & runtime, f"{where} imports {module} ({sorted(dists) or 'not installed'}), not a runtime dependency"


def test_templates_come_from_the_installed_package(monkeypatch):
    monkeypatch.delenv("SAMVERKAN_TEMPLATES", raising=False)
    root = render.templates_root()
    assert root == importlib.resources.files("samverkan_templates")
    assert root.joinpath("sv", "kallelse.md.j2").is_file()
    assert Renderer().env.get_template("kallelse.md.j2") is not None


def test_samverkan_templates_names_another_folder(tmp_path, monkeypatch):
    copy = tmp_path / "templates"
    shutil.copytree(REPO / "templates", copy, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    strings = next((copy / "sv" / "strings").glob("*.yaml"))
    key = next(line.split(":")[0] for line in strings.read_text(encoding="utf-8").splitlines()
               if re.match(r"^[a-z_]+: ", line))
    strings.write_text(strings.read_text(encoding="utf-8") + f'\n{key}_probe: "Regionens egen text"\n',
                       encoding="utf-8")
    monkeypatch.setenv("SAMVERKAN_TEMPLATES", str(copy))
    assert Renderer().t(f"{key}_probe") == "Regionens egen text"


def test_package_data_ships_every_template_file():
    globs = PYPROJECT["tool"]["setuptools"]["package-data"]["samverkan_templates"]
    shipped = {p for g in globs for p in (REPO / "templates").glob(g)}
    present = {p for p in (REPO / "templates").rglob("*")
               if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc" and p.name != "__init__.py"}
    assert present - shipped == set(), "add a glob to [tool.setuptools.package-data] samverkan_templates"


@pytest.mark.slow
def test_the_wheel_holds_templates_migrations_alembic_ini_and_the_emulator(tmp_path):
    out = subprocess.run([sys.executable, "-m", "uv", "build", "-q", "--wheel", "--out-dir", str(tmp_path),
                          "--build-constraint", str(REPO / "deploy" / "build-requirements.lock"), "--require-hashes",
                          str(REPO)], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    (wheel,) = tmp_path.glob("samverkan_bot-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = {f"samverkan_templates/{p.relative_to(REPO / 'templates').as_posix()}"
                 for p in (REPO / "templates").rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert templates - names == set()
    migrations = {f"bot/db/migrations/versions/{p.name}" for p in (REPO / "bot/db/migrations/versions").glob("*.py")}
    assert migrations - names == set()
    for needed in ("bot/db/alembic.ini", "bot/db/migrations/env.py", "bot/db/migrations/script.py.mako",
                   "bot/demo/region.yaml", "samverkan_emulator/server.py", "samverkan_emulator/http_post.py"):
        assert needed in names, needed
    assert not any(n.startswith("tests/") for n in names)
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    requires = [line for line in zipfile.ZipFile(wheel).read(metadata).decode().splitlines()
                if line.startswith("Requires-Dist:") and "extra ==" not in line]
    assert not any("requests" in line for line in requires)
