"""Loads one artifact version's value with ZenML's materializer, serialized
exactly as kitaru-mcp's kitaru_artifacts_get does."""


def artifact_value(args, ctx):
    import kitaru.inspection as inspection
    from kitaru.client import KitaruClient

    artifact = KitaruClient().artifacts.get(args["artifact_id"])
    return inspection.serialize_artifact_value(artifact.load())
