// biome-ignore-all format: generated from Python, one case per line
// manage_stack validation cases with Python's answers. Each expectation was
// produced by the pinned reference (kitaru 0.15.0) calling
// kitaru._interface_stacks.build_manage_stack_request with the same arguments
// (errors: the ValueError text; successes: the remote spec's model_dump and the
// component overrides), so these are Python's words, not ours. Covers spec
// §11 items 45-58 (42-44 are the create/delete runs in test/integration/manage-stack-story.ts).
import type { ManageStackArgs } from '../../src/kitaru/stack-validation.ts';

export const DEFAULTS: Omit<ManageStackArgs, 'action' | 'name'> = {
  activate: true,
  recursive: false,
  force: false,
  stack_type: 'local',
  artifact_store: null,
  container_registry: null,
  cluster: null,
  region: null,
  subscription_id: null,
  resource_group: null,
  workspace: null,
  execution_role: null,
  namespace: null,
  credentials: null,
  extra: null,
  async_mode: false,
  verify: true,
};

export type PythonAnswer =
  | { ok: false; type: string; message: string }
  | { ok: true; kind: string; spec: Record<string, unknown> | null; overrides: Record<string, unknown> | null };

export const CASES: { args: Partial<ManageStackArgs> & { action: string; name: string }; python: PythonAnswer }[] = [
  {"args": {"action": "create", "name": "x", "artifact_store": "s3://b"}, "python": {"ok": false, "type": "ValueError", "message": "Remote stack options require `stack_type=\"kubernetes\"`, `stack_type=\"vertex\"`, `stack_type=\"sagemaker\"`, or `stack_type=\"azureml\"`: `artifact_store`"}},
  {"args": {"action": "create", "name": "x", "container_registry": "r"}, "python": {"ok": false, "type": "ValueError", "message": "Remote stack options require `stack_type=\"kubernetes\"`, `stack_type=\"vertex\"`, `stack_type=\"sagemaker\"`, or `stack_type=\"azureml\"`: `container_registry`"}},
  {"args": {"action": "create", "name": "x", "region": "eu"}, "python": {"ok": false, "type": "ValueError", "message": "Remote stack options require `stack_type=\"kubernetes\"`, `stack_type=\"vertex\"`, `stack_type=\"sagemaker\"`, or `stack_type=\"azureml\"`: `region`"}},
  {"args": {"action": "create", "name": "x", "credentials": "c"}, "python": {"ok": false, "type": "ValueError", "message": "Remote stack options require `stack_type=\"kubernetes\"`, `stack_type=\"vertex\"`, `stack_type=\"sagemaker\"`, or `stack_type=\"azureml\"`: `credentials`"}},
  {"args": {"action": "create", "name": "x", "verify": false}, "python": {"ok": false, "type": "ValueError", "message": "Remote stack options require `stack_type=\"kubernetes\"`, `stack_type=\"vertex\"`, `stack_type=\"sagemaker\"`, or `stack_type=\"azureml\"`: `verify`"}},
  {"args": {"action": "create", "name": "x", "cluster": "c"}, "python": {"ok": false, "type": "ValueError", "message": "Kubernetes-only options require `stack_type=\"kubernetes\"`: `cluster`"}},
  {"args": {"action": "create", "name": "x", "namespace": "n"}, "python": {"ok": false, "type": "ValueError", "message": "Kubernetes-only options require `stack_type=\"kubernetes\"`: `namespace`"}},
  {"args": {"action": "create", "name": "x", "cluster": "c", "namespace": "n"}, "python": {"ok": false, "type": "ValueError", "message": "Kubernetes-only options require `stack_type=\"kubernetes\"`: `cluster`, `namespace`"}},
  {"args": {"action": "create", "name": "x", "subscription_id": "s", "workspace": "w"}, "python": {"ok": false, "type": "ValueError", "message": "AzureML-only options require `stack_type=\"azureml\"`: `subscription_id`, `workspace`"}},
  {"args": {"action": "create", "name": "x", "stack_type": "vertex", "artifact_store": "gs://b", "cluster": "c", "namespace": "n"}, "python": {"ok": false, "type": "ValueError", "message": "Kubernetes-only options require `stack_type=\"kubernetes\"`: `cluster`, `namespace`"}},
  {"args": {"action": "create", "name": "x", "cluster": "c", "artifact_store": "s3://b"}, "python": {"ok": false, "type": "ValueError", "message": "Kubernetes-only options require `stack_type=\"kubernetes\"`: `cluster`"}},
  {"args": {"action": "create", "name": "x", "execution_role": "r"}, "python": {"ok": false, "type": "ValueError", "message": "SageMaker-only options require `stack_type=\"sagemaker\"`: `execution_role`"}},
  {"args": {"action": "create", "name": "x", "subscription_id": "s"}, "python": {"ok": false, "type": "ValueError", "message": "AzureML-only options require `stack_type=\"azureml\"`: `subscription_id`"}},
  {"args": {"action": "create", "name": "x", "subscription_id": "s", "execution_role": "r", "cluster": "c", "region": "r"}, "python": {"ok": false, "type": "ValueError", "message": "AzureML-only options require `stack_type=\"azureml\"`: `subscription_id`"}},
  {"args": {"action": "create", "name": "x", "stack_type": "kubernetes"}, "python": {"ok": false, "type": "ValueError", "message": "`stack_type=\"kubernetes\"` requires: `artifact_store`, `container_registry`, `cluster`, `region`."}},
  {"args": {"action": "create", "name": "x", "stack_type": "kubernetes", "artifact_store": "s3://b", "container_registry": "r", "cluster": "c"}, "python": {"ok": false, "type": "ValueError", "message": "`stack_type=\"kubernetes\"` requires: `region`."}},
  {"args": {"action": "create", "name": "x", "stack_type": "kubernetes", "artifact_store": "  ", "container_registry": " ", "cluster": "c", "region": "eu"}, "python": {"ok": false, "type": "ValueError", "message": "`stack_type=\"kubernetes\"` requires: `artifact_store`, `container_registry`."}},
  {"args": {"action": "create", "name": "x", "stack_type": "kubernetes", "artifact_store": "az://b", "container_registry": "r", "cluster": "c", "region": "eu"}, "python": {"ok": false, "type": "ValueError", "message": "Cannot infer cloud provider from 'az://b'. Use an s3:// or gs:// URI."}},
  {"args": {"action": "create", "name": "x", "stack_type": "kubernetes", "artifact_store": "http://b", "container_registry": "r", "cluster": "c", "region": "eu"}, "python": {"ok": false, "type": "ValueError", "message": "Cannot infer cloud provider from 'http://b'. Use an s3://, gs://, az://, abfs://, or abfss:// URI."}},
  {"args": {"action": "create", "name": "x", "stack_type": "kubernetes", "artifact_store": "s3://b", "container_registry": "r", "cluster": "c", "region": "eu", "execution_role": "e"}, "python": {"ok": false, "type": "ValueError", "message": "SageMaker-only options require `stack_type=\"sagemaker\"`: `execution_role`"}},
  {"args": {"action": "create", "name": "x", "stack_type": "vertex"}, "python": {"ok": false, "type": "ValueError", "message": "`stack_type=\"vertex\"` requires: `artifact_store`, `container_registry`, `region`."}},
  {"args": {"action": "create", "name": "x", "stack_type": "vertex", "artifact_store": "s3://b", "container_registry": "r", "region": "eu"}, "python": {"ok": false, "type": "ValueError", "message": "Vertex stacks require a gs:// artifact store URI. Received: 's3://b'."}},
  {"args": {"action": "create", "name": "x", "stack_type": "vertex", "artifact_store": "gs://b", "container_registry": "r", "region": " "}, "python": {"ok": false, "type": "ValueError", "message": "`stack_type=\"vertex\"` requires: `region`."}},
  {"args": {"action": "create", "name": "x", "stack_type": "vertex", "cluster": "c"}, "python": {"ok": false, "type": "ValueError", "message": "Kubernetes-only options require `stack_type=\"kubernetes\"`: `cluster`"}},
  {"args": {"action": "create", "name": "x", "stack_type": "vertex", "namespace": "n", "artifact_store": "gs://b"}, "python": {"ok": false, "type": "ValueError", "message": "Kubernetes-only options require `stack_type=\"kubernetes\"`: `namespace`"}},
  {"args": {"action": "create", "name": "x", "stack_type": "sagemaker"}, "python": {"ok": false, "type": "ValueError", "message": "`stack_type=\"sagemaker\"` requires: `artifact_store`, `container_registry`, `region`, `execution_role`."}},
  {"args": {"action": "create", "name": "x", "stack_type": "sagemaker", "artifact_store": "s3://b", "container_registry": "r", "region": "eu"}, "python": {"ok": false, "type": "ValueError", "message": "`stack_type=\"sagemaker\"` requires: `execution_role`."}},
  {"args": {"action": "create", "name": "x", "stack_type": "sagemaker", "artifact_store": "gs://b", "container_registry": "r", "region": "eu", "execution_role": "arn"}, "python": {"ok": false, "type": "ValueError", "message": "SageMaker stacks require an s3:// artifact store URI. Received: 'gs://b'."}},
  {"args": {"action": "create", "name": "x", "stack_type": "azureml"}, "python": {"ok": false, "type": "ValueError", "message": "`stack_type=\"azureml\"` requires: `artifact_store`, `container_registry`, `subscription_id`, `resource_group`, `workspace`."}},
  {"args": {"action": "create", "name": "x", "stack_type": "azureml", "execution_role": "r"}, "python": {"ok": false, "type": "ValueError", "message": "SageMaker-only options require `stack_type=\"sagemaker\"`: `execution_role`"}},
  {"args": {"action": "create", "name": "x", "stack_type": "azureml", "artifact_store": "s3://b", "container_registry": "r", "subscription_id": "s", "resource_group": "g", "workspace": "w"}, "python": {"ok": false, "type": "ValueError", "message": "AzureML stacks require an az://, abfs://, or abfss:// artifact store URI. Received: 's3://b'."}},
  {"args": {"action": "create", "name": "x", "stack_type": "azureml", "artifact_store": "az://b", "container_registry": "r", "subscription_id": "s", "resource_group": " ", "workspace": "w"}, "python": {"ok": false, "type": "ValueError", "message": "`stack_type=\"azureml\"` requires: `resource_group`."}},
  {"args": {"action": "create", "name": "x", "stack_type": "gke"}, "python": {"ok": false, "type": "ValueError", "message": "Unsupported stack type: gke. Use 'local', 'kubernetes', 'vertex', 'sagemaker', or 'azureml'."}},
  {"args": {"action": "create", "name": "x", "stack_type": " Local "}, "python": {"ok": true, "kind": "ManageStackCreateRequest", "spec": null, "overrides": {"orchestrator": {}, "artifact_store": {}, "container_registry": {}}}},
  {"args": {"action": "create", "name": "x", "async_mode": true}, "python": {"ok": false, "type": "ValueError", "message": "`async_mode` requires `stack_type=\"kubernetes\"`, `stack_type=\"vertex\"`, `stack_type=\"sagemaker\"`, or `stack_type=\"azureml\"`."}},
  {"args": {"action": "create", "name": "x", "recursive": true}, "python": {"ok": false, "type": "ValueError", "message": "`recursive` and `force` are only valid when action=\"delete\"."}},
  {"args": {"action": "create", "name": "x", "force": true}, "python": {"ok": false, "type": "ValueError", "message": "`recursive` and `force` are only valid when action=\"delete\"."}},
  {"args": {"action": "create", "name": "x", "extra": {"bogus": {}}}, "python": {"ok": false, "type": "ValueError", "message": "Unsupported `extra` target 'bogus'. Use one of: artifact_store, container_registry, orchestrator."}},
  {"args": {"action": "create", "name": "x", "extra": {"orchestrator": 5}}, "python": {"ok": false, "type": "ValueError", "message": "`extra` orchestrator.* must be an object."}},
  {"args": {"action": "create", "name": "x", "extra": {"container_registry": {"a": 1}}}, "python": {"ok": false, "type": "ValueError", "message": "`extra` container_registry.* is not valid for `stack_type=\"local\"` because local stacks do not create a container registry component."}},
  {"args": {"action": "create", "name": "x", "extra": {"container_registry": {}}, "stack_type": "nope"}, "python": {"ok": false, "type": "ValueError", "message": "Unsupported stack type: nope. Use 'local', 'kubernetes', 'vertex', 'sagemaker', or 'azureml'."}},
  {"args": {"action": "create", "name": "x", "stack_type": "vertex", "extra": {"orchestrator": {"pipeline_root": "gs://b/p"}}, "async_mode": true}, "python": {"ok": false, "type": "ValueError", "message": "`stack_type=\"vertex\"` requires: `artifact_store`, `container_registry`, `region`."}},
  {"args": {"action": "delete", "name": "x", "activate": false}, "python": {"ok": false, "type": "ValueError", "message": "`activate` is only valid when action=\"create\"."}},
  {"args": {"action": "delete", "name": "x", "stack_type": "kubernetes"}, "python": {"ok": false, "type": "ValueError", "message": "Stack create options are only valid when action=\"create\": `stack_type`"}},
  {"args": {"action": "delete", "name": "x", "stack_type": "bad"}, "python": {"ok": false, "type": "ValueError", "message": "Unsupported stack type: bad. Use 'local', 'kubernetes', 'vertex', 'sagemaker', or 'azureml'."}},
  {"args": {"action": "delete", "name": "x", "artifact_store": "s3://b", "subscription_id": "s", "resource_group": "g", "workspace": "w", "execution_role": "e", "extra": {}, "async_mode": true, "verify": false}, "python": {"ok": false, "type": "ValueError", "message": "Stack create options are only valid when action=\"create\": `artifact_store`, `subscription_id`, `resource_group`, `workspace`, `execution_role`, `verify`, `extra`, `async_mode`"}},
  {"args": {"action": "delete", "name": "x", "container_registry": "r", "cluster": "c", "region": "r", "namespace": "n", "credentials": "c"}, "python": {"ok": false, "type": "ValueError", "message": "Stack create options are only valid when action=\"create\": `container_registry`, `cluster`, `region`, `namespace`, `credentials`"}},
  {"args": {"action": "delete", "name": "  "}, "python": {"ok": true, "kind": "ManageStackDeleteRequest", "spec": null, "overrides": null}},
  {"args": {"action": "create", "name": "  "}, "python": {"ok": true, "kind": "ManageStackCreateRequest", "spec": null, "overrides": {"orchestrator": {}, "artifact_store": {}, "container_registry": {}}}},
  {"args": {"action": "create", "name": "x", "stack_type": "kubernetes", "artifact_store": " s3://b ", "container_registry": " r ", "cluster": " c ", "region": " eu ", "namespace": "  ", "credentials": " ", "activate": false}, "python": {"ok": true, "kind": "ManageStackCreateRequest", "spec": {"provider": "aws", "artifact_store": "s3://b", "container_registry": "r", "cluster": "c", "region": "eu", "namespace": "default", "credentials": null, "verify": true}, "overrides": {"orchestrator": {}, "artifact_store": {}, "container_registry": {}}}},
  {"args": {"action": "create", "name": "x", "stack_type": "KUBERNETES", "artifact_store": "gs://b", "container_registry": "r", "cluster": "c", "region": "eu", "namespace": "ml-team", "verify": false}, "python": {"ok": true, "kind": "ManageStackCreateRequest", "spec": {"provider": "gcp", "artifact_store": "gs://b", "container_registry": "r", "cluster": "c", "region": "eu", "namespace": "ml-team", "credentials": null, "verify": false}, "overrides": {"orchestrator": {}, "artifact_store": {}, "container_registry": {}}}},
  {"args": {"action": "create", "name": "x", "stack_type": "vertex", "artifact_store": "gs://b", "container_registry": "r", "region": "eu", "verify": false, "extra": {"orchestrator": {"pipeline_root": "gs://b/p"}, "container_registry": {"default_repository": "team-ml"}}, "async_mode": true}, "python": {"ok": true, "kind": "ManageStackCreateRequest", "spec": {"artifact_store": "gs://b", "container_registry": "r", "region": "eu", "credentials": null, "verify": false}, "overrides": {"orchestrator": {"pipeline_root": "gs://b/p", "synchronous": false}, "artifact_store": {}, "container_registry": {"default_repository": "team-ml"}}}},
  {"args": {"action": "create", "name": "x", "stack_type": "vertex", "artifact_store": "gs://b", "container_registry": "r", "region": "eu", "extra": {"orchestrator": {"synchronous": true}}, "async_mode": true}, "python": {"ok": true, "kind": "ManageStackCreateRequest", "spec": {"artifact_store": "gs://b", "container_registry": "r", "region": "eu", "credentials": null, "verify": true}, "overrides": {"orchestrator": {"synchronous": true}, "artifact_store": {}, "container_registry": {}}}},
  {"args": {"action": "create", "name": "x", "stack_type": "sagemaker", "artifact_store": "s3://b", "container_registry": "r", "region": "eu", "execution_role": "arn", "credentials": "k"}, "python": {"ok": true, "kind": "ManageStackCreateRequest", "spec": {"artifact_store": "s3://b", "container_registry": "r", "region": "eu", "execution_role": "arn", "credentials": "k", "verify": true}, "overrides": {"orchestrator": {}, "artifact_store": {}, "container_registry": {}}}},
  {"args": {"action": "create", "name": "x", "stack_type": "azureml", "artifact_store": "abfss://b", "container_registry": "r", "subscription_id": "s", "resource_group": "g", "workspace": "w", "region": " "}, "python": {"ok": true, "kind": "ManageStackCreateRequest", "spec": {"artifact_store": "abfss://b", "container_registry": "r", "subscription_id": "s", "resource_group": "g", "workspace": "w", "region": null, "credentials": null, "verify": true}, "overrides": {"orchestrator": {}, "artifact_store": {}, "container_registry": {}}}}
];
