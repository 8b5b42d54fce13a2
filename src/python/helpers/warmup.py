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
            # stack or project makes the worker forget it (reconnect).
            client.active_stack  # noqa: B018
    except Exception:
        pass


def forget_connection():
    """Drops ZenML's client singletons (kitaru's _cleanup and ZenML's daemon
    reset them the same way) and closes a local store's pooled connections;
    the next GlobalConfiguration() reads config.yaml again. A worker that
    never imported ZenML has nothing to forget (and imports nothing here)."""
    config_module = sys.modules.get("zenml.config.global_config")
    if config_module is not None:
        config_class = config_module.GlobalConfiguration
        engine = getattr(getattr(config_class._global_config, "_zen_store", None), "_engine", None)
        if engine is not None:
            try:
                engine.dispose()
            except Exception:
                pass
        config_class._reset_instance()
    client_module = sys.modules.get("zenml.client")
    if client_module is not None:
        client_module.Client._reset_instance()


def lessons(request, ok, imports, warmed_tools, run_again):
    """What a finished call teaches the worker: steps it takes when idle, so
    that later children start where Python's one process would be by then."""
    steps = [lambda: learn_imports(imports)]
    if ok and request.get("helper") == "local_db.call_tool":
        steps.append(open_local_store)
        # A read-only tool's call, repeated once in the worker: the caches it
        # fills (the Client, the store's compiled SQL) are every later child's.
        args = request.get("args") or {}
        if args.get("repeat_to_warm") and args.get("tool") not in warmed_tools:
            warmed_tools.add(args.get("tool"))
            steps.append(lambda: run_again(request))
    return steps


def open_local_store():
    """After a call served from the local database succeeded: open that store
    here too, once, so later children inherit it open, as Python's server keeps
    it (opening it checks every migration script, about a second). The call
    has already opened it, so nothing new happens to the database or to
    config.yaml; children drop the inherited connections (support.reset_forked_state)."""
    try:
        from zenml.config.global_config import GlobalConfiguration
        from zenml.enums import StoreType

        config = GlobalConfiguration()
        if config.store_configuration.type == StoreType.SQL and config._zen_store is None:
            config.zen_store  # noqa: B018
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
