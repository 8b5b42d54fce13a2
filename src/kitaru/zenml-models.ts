// The few fields we read from ZenML's REST models. Everything is optional:
// servers of other versions add and drop fields, and we must not crash on them.

export interface ZenmlEntity<Body = Record<string, unknown>, Metadata = Record<string, unknown>, Resources = Record<string, unknown>> {
  id: string;
  name?: string;
  body?: Body;
  metadata?: Metadata;
  resources?: Resources;
}

export interface ServerInfo {
  id?: string;
  version?: string;
  database_type?: string;
  deployment_type?: string;
  auth_scheme?: string;
  server_url?: string;
  dashboard_url?: string;
}

export type StackModel = ZenmlEntity<{ created?: string; user_id?: string }, { labels?: Record<string, unknown> | null; components?: Record<string, ZenmlEntity[]> }>;
