"""Packages whose names load with their first use, not with the package.

A package lists where each of its names lives; ``import package`` then costs
nothing, and ``package.name`` (or ``from package import name``) imports the
one module that holds it. The window starts sooner for it: the solver and the
charts load their modules (SciPy, matplotlib) when they are first needed.
"""

from __future__ import annotations

import importlib
import types


def lazy_names(package: str, homes: dict[str, str]):
    """The ``__getattr__`` and ``__dir__`` of ``package``, whose name ``n`` lives in its
    module ``homes[n]`` (relative to the package, without the leading dot)."""
    module = importlib.import_module(package)
    module._lazy_homes = homes
    module.__class__ = _Package

    def __getattr__(name: str):  # noqa: N807 (the module hook's name)
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f".{home}", package), name)
        setattr(module, name, value)
        return value

    def __dir__():  # noqa: N807
        return sorted(set(vars(module)) | set(homes))

    return __getattr__, __dir__


class _Package(types.ModuleType):
    """A lazy package whose function shares its module's name (``smaa`` in ``smaa.py``):
    importing the module would set the package's attribute to the module, as Python does
    for every submodule; the function is kept there instead, as an eager
    ``from .smaa import smaa`` in the package leaves it."""

    def __setattr__(self, name, value):
        homes = self.__dict__.get("_lazy_homes", {})
        if (isinstance(value, types.ModuleType) and homes.get(name) == name
                and value.__name__ == f"{self.__name__}.{name}"):
            value = getattr(value, name)
        super().__setattr__(name, value)
