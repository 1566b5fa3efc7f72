"""The house rules of the package tree: which room may import which, and no import cycles.

Imports are read from the source (also those inside functions, which pairgen uses to keep start-up
fast), so a lazy import cannot hide a wrong dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "pairgen"

FORBIDDEN = {
    "ingest": {"pairing", "write", "cli", "pipeline"},
    "augment": {"pairing", "write", "cli", "pipeline", "ingest"},
    "pairing": {"write", "cli", "pipeline"},
    "write": {"cli", "pipeline"},
}
"""Room -> rooms it must not import. Shared top-level modules (records, errors, text, seeding,
config, progress, forks) may be imported from anywhere; nothing but `cli` imports `cli`."""


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The pairgen modules `path` imports at run time, anywhere in the file (not those only under
    `if TYPE_CHECKING:`, which never run)."""
    found: set[str] = set()
    pending: list[ast.AST] = [ast.parse(path.read_text(encoding="utf-8"))]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING"):
            pending.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("pairgen"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("pairgen"):
            found.add(node.module)
            # `from pairgen.augment import morph` imports the module pairgen.augment.morph
            found.update(f"{node.module}.{a.name}" for a in node.names)
        pending.extend(ast.iter_child_nodes(node))
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {
        name: {m for m in _imports(path) if m in modules} - {name} for name, path in modules.items()
    }


def _room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


GRAPH = _graph()


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_rooms_import_only_downstream(module: str) -> None:
    room = _room(module)
    wrong = sorted(
        target
        for target in GRAPH[module]
        if _room(target) in FORBIDDEN.get(room, set())
        or (_room(target) == "cli" and room not in ("cli", "__main__"))
    )
    assert not wrong, f"{module} imports {wrong}: see FORBIDDEN in {__file__}"


def test_no_import_cycles() -> None:
    """Depth-first search for a back edge; the cycle found is printed whole."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(GRAPH[node]):
            # importing a subpackage runs its __init__, which is not a dependency on the parent
            if node.startswith(nxt + "."):
                continue
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for module in sorted(GRAPH):
        if module not in state:
            cycle = visit(module)
            assert cycle is None, " -> ".join(cycle)


def test_the_graph_sees_lazy_imports() -> None:
    """The test above would pass on nothing: check that it reads imports inside functions."""
    assert "pairgen.pairing.engine_ray" in GRAPH["pairgen.pairing.engine"]
    assert "pairgen.pipeline" in GRAPH["pairgen.cli.build"]
