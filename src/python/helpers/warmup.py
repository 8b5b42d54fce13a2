"""What the worker does once, so that every forked call starts warm: report
the versions it found, import kitaru and what every call needs, connect to a
REST server, and import later what a call needed that it lacked.
Loaded by the worker like any helper module (as `warmup`)."""

import sys


def versions():
    """The versions the parent checks before it lets the worker warm."""
    import importlib.metadata as md

    def version(name):
        try:
            return md.version(name)
        except md.PackageNotFoundError:
            return None

    v = sys.version_info
    return {
        "kitaru_version": version("kitaru"),
        "zenml_version": version("zenml"),
        "python_version": f"{v.major}.{v.minor}.{v.micro}",
    }


def warm(connect, answers):
    """Imports kitaru (an import error reaches the parent) and, best effort, the rest."""
    import kitaru  # noqa: F401

    for name in ("kitaru.client", "kitaru.inspection", "kitaru._interface_executions", "zenml.client"):
        try:
            __import__(name)
        except Exception:
            pass
    if not connect:
        return
    try:
        # A REST store connects once here (server info, login); children
        # inherit it and open their own HTTP sessions. A SQL store (the
        # local database) is left alone: opening it creates the database
        # and rewrites config.yaml, which a read-only call (a clean
        # preview, a status) must never cause; each child opens it when
        # its call needs it.
        from zenml.config.global_config import GlobalConfiguration
        from zenml.enums import StoreType

        store = GlobalConfiguration().store_configuration
        if store.type == StoreType.REST and answers(store.url):
            from zenml.client import Client

            client = Client()
            client.zen_store  # noqa: B018
            # The active stack (its model, components and flavors), as
            # Python's server holds it after its first call: children
            # inherit it instead of reading it again. A change of active
            # stack or project gets a new worker (the parent's key).
            client.active_stack  # noqa: B018
    except Exception:
        pass


def learn_imports(names):
    """Modules a call needed that the worker lacks: import them now, once."""
    for name in names:
        if not isinstance(name, str) or name in sys.modules:
            continue
        if name.split(".", 1)[0] not in ("zenml", "kitaru"):
            continue
        try:
            __import__(name)
        except BaseException:
            pass
