"""Extract the public method signatures of the peer ``glpi-python-client`` wheel into a JSON fixture.

Usage::

    pip download glpi-python-client==0.6.5 --no-deps -d /tmp/peer
    python scripts/peer_signatures.py /tmp/peer/glpi_python_client-0.6.5-py3-none-any.whl \
        > tests/peer_api_0_6_5.json

The peer shares our import name, so it is never imported: the wheel is read as a zip and its
sources parsed with :mod:`ast`. For ``GlpiClient`` (``_sync/clients/client.py``) and
``AsyncGlpiClient`` (``_async/clients/client.py``) the class's bases are resolved by name across the
package's modules and walked in method-resolution order; the first definition of every public name
(not starting with ``_``, plus ``__init__``: the constructor) wins. Each method is recorded with its
parameters (``[name, kind, default's source or null]``, ``self``/``cls`` left out), its return
annotation, and whether it is a classmethod, a coroutine or a generator; the package's ``__all__`` is
kept as ``exports``, and the field names of each exported model (``models/``, bases included) as ``models``.
Only names and shapes are kept: no code of the peer is copied.
``tests/test_peer_compat.py`` compares both of our clients against the fixture.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
import zipfile
from typing import Any

__all__ = ["extract"]

CLIENTS = {
    "GlpiClient": "glpi_python_client/_sync/clients/client.py",
    "AsyncGlpiClient": "glpi_python_client/_async/clients/client.py",
}


def _classes(wheel: zipfile.ZipFile) -> dict[str, dict[str, ast.ClassDef]]:
    """Every class of the package: ``{module path: {class name: node}}``."""
    found: dict[str, dict[str, ast.ClassDef]] = {}
    for name in wheel.namelist():
        if name.startswith("glpi_python_client/") and name.endswith(".py"):
            tree = ast.parse(wheel.read(name).decode("utf-8"), filename=name)
            found[name] = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    return found


def _resolve(name: str, side: str, classes: dict[str, dict[str, ast.ClassDef]]) -> ast.ClassDef:
    """The class called ``name`` on the same surface (``_sync``/``_async``) as the client."""
    candidates = [mod[name] for path, mod in sorted(classes.items()) if name in mod and f"/{side}/" in path]
    if not candidates:
        candidates = [mod[name] for mod in classes.values() if name in mod]
    if len({ast.dump(c) for c in candidates}) != 1:
        raise LookupError(f"cannot resolve base class {name!r} ({len(candidates)} candidates)")
    return candidates[0]


def _mro(cls: ast.ClassDef, side: str, classes: dict[str, dict[str, ast.ClassDef]]) -> list[ast.ClassDef]:
    """C3 linearisation of ``cls`` over the package's own classes (``object`` and foreign bases dropped)."""

    def bases(node: ast.ClassDef) -> list[ast.ClassDef]:
        names = [b.id if isinstance(b, ast.Name) else ast.unparse(b) for b in node.bases]
        known = [n for n in names if any(n in mod for mod in classes.values())]  # pydantic's BaseModel is not
        return [_resolve(n, side, classes) for n in known]

    def linear(node: ast.ClassDef) -> list[ast.ClassDef]:
        seqs = [linear(b) for b in bases(node)] + [bases(node)]
        out = [node]
        while any(seqs):
            for seq in seqs:
                if seq and not any(seq[0] in s[1:] for s in seqs):
                    head = seq[0]
                    break
            else:
                raise TypeError(f"inconsistent MRO for {node.name}")
            out.append(head)
            seqs = [s[1:] if s and s[0] is head else s for s in seqs]
        return out

    return linear(cls)


def _parameters(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> list[list[Any]]:
    args = fn.args
    params: list[list[Any]] = []
    positional = args.posonlyargs + args.args
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    for index, (arg, default) in enumerate(zip(positional, defaults, strict=True)):
        kind = "positional_only" if index < len(args.posonlyargs) else "positional_or_keyword"
        params.append(_param(arg, kind, default))
    if args.vararg:
        params.append(_param(args.vararg, "var_positional", None))
    for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        params.append(_param(arg, "keyword_only", default))
    if args.kwarg:
        params.append(_param(args.kwarg, "var_keyword", None))
    return params[1:]  # drop self / cls


def _param(arg: ast.arg, kind: str, default: ast.expr | None) -> list[Any]:
    """``[name, kind, default source or None]``."""
    return [arg.arg, kind, None if default is None else ast.unparse(default)]


def _is_generator(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    nested = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)

    def walk(node: ast.AST) -> bool:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Yield | ast.YieldFrom):
                return True
            if not isinstance(child, nested) and walk(child):
                return True
        return False

    return walk(fn)


def extract(path: str) -> dict[str, Any]:
    """``{"source", "exports", "clients": {client: {method: {...}}}}`` for the wheel at ``path``."""
    with zipfile.ZipFile(path) as wheel:
        classes = _classes(wheel)
        metadata = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
        header = wheel.read(metadata).decode().split("\n\n", 1)[0]
        fields = dict(line.split(": ", 1) for line in header.splitlines() if ": " in line)
        exports = _exports(wheel.read("glpi_python_client/__init__.py").decode())
    clients: dict[str, dict[str, Any]] = {}
    for client, module in CLIENTS.items():
        side = module.split("/")[1]
        methods: dict[str, Any] = {}
        for cls in _mro(classes[module][client], side, classes):
            for node in cls.body:
                if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                if node.name.startswith("_") and node.name != "__init__":
                    continue
                if node.name in methods:
                    continue
                decorators = {ast.unparse(d) for d in node.decorator_list}
                methods[node.name] = {
                    "async": isinstance(node, ast.AsyncFunctionDef),
                    "generator": _is_generator(node),
                    "classmethod": "classmethod" in decorators,
                    "parameters": _parameters(node),
                    "returns": ast.unparse(node.returns) if node.returns is not None else None,
                }
        clients[client] = dict(sorted(methods.items()))
    source = f"{fields.get('Name', '?')} {fields.get('Version', '?')} wheel"
    models = {name: _model_fields(name, classes) for name in exports if _is_model(name, classes)}
    return {"source": source, "exports": exports, "models": models, "clients": clients}


def _is_model(name: str, classes: dict[str, dict[str, ast.ClassDef]]) -> bool:
    """An exported class of ``glpi_python_client/models/`` (the Get/Post/Patch/Delete models and their kin)."""
    return any(name in mod for path, mod in classes.items() if path.startswith("glpi_python_client/models/"))


def _model_fields(name: str, classes: dict[str, dict[str, ast.ClassDef]]) -> list[str]:
    """The field names of model ``name``, its own and its bases' (annotated class attributes, ClassVars left out)."""
    found: list[str] = []
    for cls in _mro(_resolve(name, "models", classes), "models", classes):
        for node in cls.body:
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                if "ClassVar" in ast.unparse(node.annotation) or node.target.id.startswith("_"):
                    continue
                if node.target.id not in found:
                    found.append(node.target.id)
    return sorted(found)


def _exports(init_source: str) -> list[str]:
    """The package's ``__all__`` (its public names), read from its ``__init__.py``."""
    for node in ast.parse(init_source).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return sorted(ast.literal_eval(node.value))
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("wheel", help="path to the peer's .whl file")
    args = parser.parse_args(argv)
    sys.stdout.write(dumps(extract(args.wheel)))
    return 0


def dumps(data: dict[str, Any]) -> str:
    """The fixture's JSON: one line per method, so a diff shows what changed."""
    lines = ["{", f'  "source": {json.dumps(data["source"])},', f'  "exports": {json.dumps(data["exports"])},']
    lines.append('  "models": {')
    models = list(data["models"].items())
    lines += [
        f"    {json.dumps(k)}: {json.dumps(v)}{',' if i < len(models) - 1 else ''}" for i, (k, v) in enumerate(models)
    ]
    lines.append("  },")
    lines.append('  "clients": {')
    for c, (client, methods) in enumerate(data["clients"].items()):
        lines.append(f"    {json.dumps(client)}: {{")
        for m, (name, info) in enumerate(methods.items()):
            comma = "," if m < len(methods) - 1 else ""
            lines.append(f"      {json.dumps(name)}: {json.dumps(info)}{comma}")
        lines.append("    }" + ("," if c < len(data["clients"]) - 1 else ""))
    lines += ["  }", "}", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
