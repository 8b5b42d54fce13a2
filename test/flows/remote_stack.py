"""Builds the remotely executable stack the deployment tests deploy to.

Usage: python test/flows/remote_stack.py <stack name> <s3 endpoint url> <image>
Prints `REMOTE_STACK {json}` on success.

The stack is made only of ZenML's built-in flavors that are not local, which is
all the server checks before running a snapshot
(zenml.pipelines.run_utils.validate_stack_is_runnable_from_server):
- orchestrator `airflow` with local=False: its implementation imports with what
  Kitaru already installs (kubernetes would need the `kubernetes` package), and
  it is never asked to run anything;
- artifact store `s3`, pointed at a local S3 emulator (moto): deploy uploads the
  flow's code archive there, because the image holds no code;
- container registry `default` with a URI that does not resolve: never contacted.

Kitaru 0.15.0 turns `image="<name>"` into DockerSettings(parent_image=<name>)
without skip_build, so ZenML still builds an image on deploy unless it finds an
earlier build of the same settings for this stack. This script registers that
build the way ZenML's own create_pipeline_build does, with the image builder
replaced by "the image already exists" (a prebuilt base image). Every later
deploy with the same `image` then reuses it through ZenML's normal path and
never needs a Docker daemon.
"""

import json
import sys

import boto3
from zenml.client import Client
from zenml.enums import StackComponentType

STACK, ENDPOINT, IMAGE = sys.argv[1], sys.argv[2], sys.argv[3]
BUCKET = "kitaru-test-artifacts"
REGISTRY_URI = "registry.kitaru-test.invalid/kitaru"


def ensure_stack(client: Client) -> None:
    try:
        client.get_stack(STACK)
        return
    except KeyError:
        pass
    boto3.client(
        "s3", endpoint_url=ENDPOINT, aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1"
    ).create_bucket(Bucket=BUCKET)
    components = {
        StackComponentType.ORCHESTRATOR: ("airflow", {"local": False}),
        StackComponentType.ARTIFACT_STORE: (
            "s3",
            {
                "path": f"s3://{BUCKET}",
                "key": "test",
                "secret": "test",
                "client_kwargs": {"endpoint_url": ENDPOINT, "region_name": "us-east-1"},
            },
        ),
        StackComponentType.CONTAINER_REGISTRY: ("default", {"uri": REGISTRY_URI}),
    }
    for component_type, (flavor, configuration) in components.items():
        client.create_stack_component(
            name=f"{STACK}-{component_type.value}", flavor=flavor, component_type=component_type, configuration=configuration
        )
    client.create_stack(name=STACK, components={t: f"{STACK}-{t.value}" for t in components})


def register_prebuilt_image() -> str:
    """Runs a deploy up to ZenML's build step with a no-op image builder, keeps the build."""
    import zenml.pipelines.build_utils as build_utils
    from zenml.utils.pipeline_docker_image_builder import PipelineDockerImageBuilder

    from kitaru import checkpoint, flow

    PipelineDockerImageBuilder.build_docker_image = lambda self, docker_settings, **_: (
        docker_settings.parent_image,
        None,
        None,
    )
    original = build_utils.create_pipeline_build

    class Built(Exception):
        pass

    def create_and_stop(**kwargs):
        raise Built(original(**kwargs))

    build_utils.create_pipeline_build = create_and_stop

    @checkpoint
    def noop(x: int) -> int:
        return x

    @flow
    def remote_stack_prebuild(x: int = 1) -> int:
        return noop(x)

    try:
        remote_stack_prebuild.deploy(x=1, stack=STACK, image=IMAGE)
    except Exception as exc:  # Kitaru wraps the failure; the build is its cause
        cause = exc if isinstance(exc, Built) else exc.__cause__
        if isinstance(cause, Built):
            return str(cause.args[0].id)
        raise
    raise RuntimeError("deploy went past the build step without building")


if __name__ == "__main__":
    client = Client()
    ensure_stack(client)
    build_id = register_prebuilt_image()
    print("REMOTE_STACK " + json.dumps({"stack": STACK, "build": build_id, "image": IMAGE}))
