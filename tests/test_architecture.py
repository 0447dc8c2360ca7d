"""The import graph of ``src/qbath`` keeps the one-way shape of ``docs/architecture.md``.

The source is read with :mod:`ast` (nothing is imported), so every ``import`` statement counts,
at module level and inside functions alike. The rules:

* a package imports only from its own layer or lower ones (the layer map below);
* no cycle between modules, nor between packages;
* no private import across packages: another package is reached through its ``__init__``
  (never ``pkg._module``) and a name starting with ``_`` is never imported from another package;
  the ground-floor modules (``qbath._states``, ``qbath._checks``, ...) are shared by every layer,
  so importing them is allowed, but only their names without a leading underscore;
* no ``import qbath`` (nor ``from .. import``, nor any absolute ``qbath.*`` import) inside the package;
* no optional package (matplotlib, xarray, ...) imported at module level below the top layer;
* no function outside ``qbath.reproduce`` longer than 80 lines of code.
"""

from __future__ import annotations

import ast
import io
import tokenize
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
ROOT = SRC / "qbath"

#: Ground floor: modules and packages every layer may use.
GROUND = {
    "_errors",
    "_checks",
    "_operators",
    "_states",
    "_files",
    "_meta",
    "_optional",
    "_version",
    "_progress",
    "_result",
    "interop",
    "ode",
}
#: Layer of each unit (a ground-floor module or a subpackage); lowest first.
LAYERS: dict[str, int] = {name: 0 for name in GROUND}
LAYERS.update(
    {
        "generators": 1,
        "collision": 2,
        "master": 2,
        "spins": 2,
        "drive": 2,
        "solve": 3,
        "thermo": 4,
        "io": 5,
        "plot": 5,
        "config": 5,
        "sweep": 5,
        "reproduce": 5,
        "cli": 5,
        "__main__": 5,
    }
)
#: Inside the top layer the order is explicit: each unit may use these top-layer units.
TOP_ALLOWED: dict[str, set[str]] = {
    "io": set(),
    "plot": {"io"},
    "config": {"io", "plot"},
    "reproduce": {"io", "plot"},
    "sweep": {"io", "plot", "config"},
    "cli": {"io", "plot", "config", "sweep", "reproduce"},
    "__main__": {"cli"},
}
#: Optional packages, imported lazily (``qbath._optional.require``) below the top layer.
OPTIONAL = {"matplotlib", "xarray", "netCDF4", "dask", "distributed", "qutip", "sympy", "tqdm"}
MAX_FUNCTION_LINES = 80


@dataclass(frozen=True)
class Edge:
    source: str  # importing module, e.g. "qbath.collision._engine"
    target: str  # imported module (resolved to a file of the package) or external name
    names: tuple[str, ...]  # names imported by ``from target import names``
    module_level: bool
    line: int
    absolute_qbath: bool  # written as ``import qbath...`` / ``from qbath... import``

    def where(self) -> str:
        return f"{self.source}:{self.line} imports {self.target} {list(self.names) or ''}".strip()


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def _is_package(name: str) -> bool:
    return modules()[name].name == "__init__.py"


def unit(module: str) -> str:
    """The layer unit of a module: ``qbath.solve._mesolve`` -> ``solve``; the root -> ``""``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _module_level_nodes(tree: ast.Module) -> set[int]:
    """ids of import nodes executed at import time (not in a function, nor ``if TYPE_CHECKING``)."""
    found: set[int] = set()

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                found.add(id(node))
            elif isinstance(node, ast.If):
                if not (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"):
                    visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                for part in (node.body, node.orelse, node.finalbody):
                    visit(part)
                for handler in node.handlers:
                    visit(handler.body)
            elif isinstance(node, (ast.With, ast.ClassDef)):
                visit(node.body)

    visit(tree.body)
    return found


@cache
def parsed(module: str) -> ast.Module:
    return ast.parse(modules()[module].read_text(), filename=str(modules()[module]))


@cache
def edges() -> tuple[Edge, ...]:
    known = modules()
    out: list[Edge] = []
    for module in known:
        tree = parsed(module)
        top = _module_level_nodes(tree)
        package = module if _is_package(module) else module.rpartition(".")[0]
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    out.append(
                        Edge(
                            module,
                            alias.name,
                            (),
                            id(node) in top,
                            node.lineno,
                            alias.name.split(".")[0] == "qbath",
                        )
                    )
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - (node.level - 1)]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                absolute = not node.level and target.split(".")[0] == "qbath"
                names = tuple(a.name for a in node.names)
                submodules = [f"{target}.{n}" for n in names if f"{target}.{n}" in known]
                plain = tuple(n for n in names if f"{target}.{n}" not in known)
                line, level = node.lineno, id(node) in top
                out.extend(Edge(module, s, (), level, line, absolute) for s in submodules)
                if plain or not submodules:
                    out.append(Edge(module, target, plain, level, line, absolute))
    return tuple(out)


def internal_edges() -> list[Edge]:
    known = modules()
    return [e for e in edges() if e.target in known]


def _allowed(source_unit: str, target_unit: str) -> bool:
    if source_unit == target_unit or source_unit == "":
        return True
    if target_unit not in LAYERS or source_unit not in LAYERS:
        return False
    s, t = LAYERS[source_unit], LAYERS[target_unit]
    if s == t == LAYERS["io"]:
        return target_unit in TOP_ALLOWED[source_unit]
    return t <= s


def test_every_unit_has_a_layer():
    missing = sorted({unit(m) for m in modules()} - set(LAYERS) - {""})
    assert not missing, f"packages or ground-floor modules without a layer: {missing}"


def test_no_forbidden_edge():
    bad = [
        e.where() + f"  ({unit(e.source)} -> {unit(e.target)})"
        for e in internal_edges()
        if not _allowed(unit(e.source), unit(e.target))
    ]
    assert not bad, "imports against the layer map:\n" + "\n".join(bad)


def test_no_import_of_the_package_root():
    bad = [
        e.where()
        for e in edges()
        if e.absolute_qbath or (e.target == "qbath" and e.source != "qbath")
    ]
    assert not bad, "the package is imported through its root or by absolute name:\n" + "\n".join(
        bad
    )


def test_no_private_import_across_packages():
    bad = []
    for e in internal_edges():
        su, tu = unit(e.source), unit(e.target)
        if su == tu or su == "":
            continue
        inner = e.target.split(".")[2:]  # the path below the target's unit
        if any(part.startswith("_") for part in inner):
            bad.append(e.where() + "  (a private module of another package)")
        if any(n.startswith("_") and not n.startswith("__") for n in e.names):
            bad.append(e.where() + "  (a private name of another package)")
    assert not bad, "private imports across packages:\n" + "\n".join(bad)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def strong(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            strong(v)
    return found


def test_no_cycle_between_modules():
    graph: dict[str, set[str]] = {}
    for e in internal_edges():
        # a package's own __init__ re-exports its modules: importing it from inside is not a cycle
        # of the code, and Python never re-runs it
        if e.target != e.source and not (
            _is_package(e.target) and e.source.startswith(e.target + ".")
        ):
            graph.setdefault(e.source, set()).add(e.target)
    assert not _cycles(graph), f"import cycles between modules: {_cycles(graph)}"


def test_no_cycle_between_packages():
    graph: dict[str, set[str]] = {}
    for e in internal_edges():
        su, tu = unit(e.source), unit(e.target)
        if su != tu and su and tu:
            graph.setdefault(su, set()).add(tu)
    assert not _cycles(graph), f"import cycles between packages: {_cycles(graph)}"


def test_no_optional_package_at_module_level_below_the_top():
    top = LAYERS["io"]
    bad = [
        e.where()
        for e in edges()
        if e.module_level
        and e.target.split(".")[0] in OPTIONAL
        and LAYERS.get(unit(e.source), top) < top
    ]
    assert not bad, "optional packages imported at module level in physics code:\n" + "\n".join(bad)


def test_init_files_only_re_export():
    """``__init__.py``: a docstring, imports, ``__all__`` and documented constants; no comments."""
    bad = []
    for module, path in modules().items():
        if path.name != "__init__.py":
            continue
        text = path.read_text()
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            # "#:" documents a constant (Sphinx); any other comment is a note or a history line
            if tok.type == tokenize.COMMENT and not tok.string.startswith("#:"):
                bad.append(f"{module}:{tok.start[0]} comment {tok.string!r}")
        for node in parsed(module).body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                bad.append(f"{module}:{node.lineno} defines {node.name}")
    assert not bad, "__init__.py files should only re-export:\n" + "\n".join(bad)


def code_lines(path: Path, node: ast.AST) -> int:
    """Lines of ``node`` holding code: blank lines, comments and the docstring do not count."""
    lines = path.read_text().splitlines()[node.lineno - 1 : node.end_lineno]
    skip: set[int] = set()
    body = getattr(node, "body", [])
    if (
        body
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and isinstance(body[0].value.value, str)
    ):
        skip = set(range(body[0].lineno, body[0].end_lineno + 1))
    count = 0
    for offset, line in enumerate(lines):
        stripped = line.strip()
        if stripped and not stripped.startswith("#") and node.lineno + offset not in skip:
            count += 1
    return count


def test_functions_are_short():
    bad = []
    for module, path in modules().items():
        if unit(module) == "reproduce":
            continue
        for node in ast.walk(parsed(module)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = code_lines(path, node)
                if n > MAX_FUNCTION_LINES:
                    bad.append(f"{module}:{node.lineno} {node.name}: {n} lines of code")
    assert not bad, f"functions longer than {MAX_FUNCTION_LINES} lines of code:\n" + "\n".join(bad)


@pytest.mark.parametrize(
    ("source", "target", "allowed"),
    [
        ("collision", "generators", True),
        ("collision", "solve", False),
        ("master", "solve", False),
        ("solve", "master", True),
        ("config", "sweep", False),
        ("sweep", "config", True),
        ("io", "collision", True),
        ("reproduce", "config", False),
        ("cli", "reproduce", True),
        ("_states", "generators", False),
    ],
)
def test_layer_map(source, target, allowed):
    assert _allowed(source, target) is allowed
