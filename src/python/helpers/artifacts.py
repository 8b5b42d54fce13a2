"""Loads one artifact version's value with ZenML's materializer, serialized
exactly as kitaru-mcp's kitaru_artifacts_get does."""


def _given_version(body):
    """The artifact version our caller already read from the server (hydrated),
    as the response model ZenML's own REST client would have built from it."""
    if not isinstance(body, dict):
        return None
    try:
        from zenml.models import ArtifactVersionResponse

        return ArtifactVersionResponse.model_validate(body)
    except Exception:
        return None


def artifact_value(args, ctx):
    import kitaru.inspection as inspection

    # Python's tool reads the version three times (ref, producing step, then
    # again to load); the caller has read it once already, so the load starts
    # from that record: the same model, the same `load()`, no request.
    version = _given_version(args.get("version"))
    if version is not None:
        return inspection.serialize_artifact_value(version.load())

    from kitaru.client import KitaruClient

    artifact = KitaruClient().artifacts.get(args["artifact_id"])
    return inspection.serialize_artifact_value(artifact.load())
