"""The import structure docs/architecture.md promises, read from the code itself.

Every `import` and `from ... import` in every module of the project counts, those inside
functions too: an import hidden in a function to dodge a cycle is still a dependency.
"""

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "annotator"

# Lower numbers are lower layers; an app may import only from lower layers and itself.
# The project-wide modules below the apps, and the project's own wiring above them.
LAYERS = {
    "errors": 0, "validation": 0, "jsonapi": 0, "htmx": 0, "roles": 0, "sanitize": 0, "fragments": 0, "csvstream": 0, "people": 0,
    "corpus": 1,
    "annotations": 2,
    "classroom": 3,
    "discussion": 4, "assist": 4,
    "lti": 5,
    "accounts": 6, "accounts_urls": 6, "privacy": 6, "urls": 6, "views": 6, "settings": 6, "wsgi": 6,
}
# Layers whose modules may import one another: the shared modules below, the wiring above.
SHARED_LAYERS = {0, 6}


def module_name(path):
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules():
    return {
        module_name(path): path
        for path in PACKAGE.rglob("*.py")
        if "migrations" not in path.parts
    }


def imports_of(name, path):
    """Project modules that module `name` imports, wherever in the file the import is."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            module = f"{base}.{node.module}" if node.level and node.module else (node.module if not node.level else base)
            found.add(module)
            # `from package import module` imports the module itself.
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


@pytest.fixture(scope="module")
def graph():
    modules = project_modules()
    edges = defaultdict(set)
    for name, path in modules.items():
        for target in imports_of(name, path):
            # The bare package `annotator` holds nothing of its own.
            if target in modules and target not in (name, "annotator"):
                edges[name].add(target)
    return modules, edges


def runs_upward(source_layer, target_layer):
    return target_layer > source_layer or (target_layer == source_layer and source_layer not in SHARED_LAYERS)


def is_view_module(name):
    last = name.rpartition(".")[2]
    return last in ("views", "api") or last.endswith("_views")


def part(name):
    """The app or project-wide module that `name` belongs to: annotator.corpus.search -> corpus."""
    return name.split(".")[1] if name.count(".") else name


def test_every_module_belongs_to_a_known_layer(graph):
    modules, _ = graph
    unknown = sorted({part(name) for name in modules if name != "annotator"} - set(LAYERS))
    assert not unknown, f"add these to LAYERS and to docs/architecture.md: {unknown}"


def test_no_app_imports_a_higher_app_or_its_sibling(graph):
    _, edges = graph
    climbing = [
        f"{source} -> {target}"
        for source, targets in edges.items()
        for target in targets
        if part(source) != part(target) and runs_upward(LAYERS[part(source)], LAYERS[part(target)])
    ]
    assert not climbing, "\n".join(sorted(climbing))


def test_views_never_import_another_apps_views(graph):
    _, edges = graph
    crossing = [
        f"{source} -> {target}"
        for source, targets in edges.items()
        for target in targets
        # URL confs exist to name views; only views and services importing views are defects.
        if part(source) != part(target) and is_view_module(target) and not source.endswith("urls")
    ]
    assert not crossing, "\n".join(sorted(crossing))


def test_no_module_imports_itself_back_through_others(graph):
    _, edges = graph
    cycles, state = [], {}

    def visit(node, trail):
        state[node] = "open"
        for target in sorted(edges[node]):
            if state.get(target) == "open":
                cycles.append(" -> ".join(trail[trail.index(target):] + [target]))
            elif target not in state:
                visit(target, trail + [target])
        state[node] = "done"

    for name in sorted(edges):
        if name not in state:
            visit(name, [name])
    assert not cycles, "\n".join(cycles)


def test_the_checker_sees_an_import_hidden_in_a_function(tmp_path):
    hidden = tmp_path / "hidden.py"
    hidden.write_text("def f():\n    from annotator.classroom.models import Exercise\n    return Exercise\n")
    assert "annotator.classroom.models" in imports_of("annotator.corpus.hidden", hidden)
