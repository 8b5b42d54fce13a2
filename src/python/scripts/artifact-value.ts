// Loads one artifact version's value with ZenML's materializer in the user's
// Python, and serializes it exactly as kitaru-mcp's kitaru_artifacts_get does.
export const ARTIFACT_VALUE = `
def main(args):
    import os
    import __main__

    # ZenML resolves materializer sources against the main module's file; a
    # program given with -c has none, so lend it one in the working directory.
    if not getattr(__main__, "__file__", None):
        __main__.__file__ = os.path.join(os.getcwd(), "kitaru_mcp_artifact_value.py")

    import kitaru.inspection as inspection
    from kitaru.client import KitaruClient

    artifact = KitaruClient().artifacts.get(args["artifact_id"])
    return inspection.serialize_artifact_value(artifact.load())
`;
