"""Installed versions and platform facts, without importing kitaru or zenml
(importing them costs seconds; metadata costs milliseconds). Run only in an
interpreter the user named (--python, KITARU_PYTHON): read-only tools never
execute a Python they merely found."""

import importlib.metadata as _md
import platform
import sys


def _version(name):
    try:
        return _md.version(name)
    except _md.PackageNotFoundError:
        return None


def _like_an_imported_kitaru():
    # Importing kitaru imports setuptools, which appends its _vendor folder to
    # sys.path; Python's inventory therefore lists those vendored packages too.
    import importlib.util
    import os

    spec = importlib.util.find_spec("setuptools")
    if spec and spec.origin:
        vendor = os.path.join(os.path.dirname(spec.origin), "_vendor")
        if os.path.isdir(vendor) and vendor not in sys.path:
            sys.path.append(vendor)


def probe(args, ctx):
    packages = None
    if args.get("all_packages") or args.get("package_names"):
        _like_an_imported_kitaru()
    if args.get("all_packages"):
        packages = {}
        for dist in _md.distributions():
            try:
                name = dist.metadata["Name"]
                if name:
                    packages[name.lower().replace("_", "-")] = dist.version
            except (KeyError, TypeError, ValueError):
                continue
        packages = dict(sorted(packages.items()))
    elif args.get("package_names"):
        packages = {}
        for name in args["package_names"]:
            packages[name.lower().replace("_", "-")] = _version(name) or "not installed"
        packages = dict(sorted(packages.items()))
    v = sys.version_info
    return {
        "kitaru_version": _version("kitaru"),
        "zenml_version": _version("zenml"),
        "python_version": f"{v.major}.{v.minor}.{v.micro}",
        "system_info": {"os": platform.platform(), "architecture": platform.machine()},
        "packages": packages,
    }
