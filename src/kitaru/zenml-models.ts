// The few fields we read from ZenML's REST models. The checked shapes are the
// zod models in zenml/models.ts; this keeps the loose entity type for code that
// reads fields of its own choosing. `metadata`/`resources` are null unhydrated.
export type { ServerInfo, StackModel } from './zenml/models.ts';

export interface ZenmlEntity<Body = Record<string, unknown>, Metadata = Record<string, unknown>, Resources = Record<string, unknown>> {
  id: string;
  name?: string | null | undefined;
  body?: Body | null | undefined;
  metadata?: Metadata | null | undefined;
  resources?: Resources | null | undefined;
}
