"""The shape docs/architecture.md describes: no import cycles between the project's modules,
and imports at the top of modules (so that the layers contract in pyproject.toml sees them)."""

import ast
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("casework", "workflows", "notifications", "reports", "supervision", "config")


def project_modules(graph) -> list[str]:
    return sorted(m for m in graph.modules if ".migrations" not in m)


def test_no_module_imports_itself_through_others():
    graph = grimp.build_graph(*PACKAGES)
    cycles = []
    for module in project_modules(graph):
        for imported in graph.find_modules_directly_imported_by(module):
            if ".migrations" in imported:
                continue
            chain = graph.find_shortest_chain(importer=imported, imported=module)
            if chain:
                cycles.append(" -> ".join((module, *chain)))
    assert cycles == []


def indented_project_imports() -> list[str]:
    """Imports of project modules inside functions, classes or blocks (migrations aside)."""
    found = []
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            top = {id(node) for node in tree.body}
            for node in ast.walk(tree):
                if not isinstance(node, ast.Import | ast.ImportFrom) or id(node) in top:
                    continue
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [
                    alias.name for alias in node.names
                ]  # fmt: skip
                relative = isinstance(node, ast.ImportFrom) and node.level > 0
                if relative or any(name.split(".")[0] in PACKAGES for name in names):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return sorted(found)


def test_at_most_four_indented_imports_of_project_modules():
    # AppConfig.ready(): the jobs and the role groups' post-migrate hook; the task kinds'
    # labels for the history (the registry cannot import the process layer) and the receiver
    # that keeps the task copies; the receiver that makes notifications from the history's events
    assert indented_project_imports() == [
        "casework/apps.py:26", "notifications/apps.py:12", "workflows/apps.py:13",
        "workflows/apps.py:15",
    ]  # fmt: skip


def layer_modules() -> list[str]:
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = config["tool"]["importlinter"]["contracts"]
    return [
        name.strip() for layer in contract["layers"] for name in layer.replace("|", ":").split(":")
    ]


def test_every_module_has_a_layer():
    """A new module is placed in a layer of pyproject.toml, or the contract cannot check it."""
    graph = grimp.build_graph(*PACKAGES)
    layers = layer_modules()
    covered = lambda module: any(  # noqa: E731
        module == layer or module.startswith(layer + ".") for layer in layers
    )

    def placed(module: str) -> bool:
        # a package's own __init__ is placed when each of its modules is
        children = [c for c in graph.find_children(module) if ".migrations" not in c]
        return covered(module) or (bool(children) and all(placed(c) for c in children))

    loose = [module for module in project_modules(graph) if not placed(module)]
    assert loose == []
