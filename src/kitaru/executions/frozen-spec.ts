// Python's _parse_frozen_execution_spec: the execution spec Kitaru freezes in a
// run's metadata, validated like its pydantic models (every default filled in),
// or null when it does not validate.
import { pyStrip } from '../../compat/python.ts';

type Obj = Record<string, unknown>;

function obj(value: unknown): Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : {};
}

/** A pydantic model's field list: name -> parser that throws on invalid input. */
type FieldParser = (value: unknown, present: boolean) => unknown;

class Invalid extends Error {}

const optStr: FieldParser = (v) => {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new Invalid();
  return v;
};
const optStrNonEmpty: FieldParser = (v) => {
  const s = optStr(v, true);
  if (s === null) return null;
  const stripped = pyStrip(s as string);
  if (!stripped) throw new Invalid();
  return stripped;
};
const optBool: FieldParser = (v) => {
  if (v === undefined || v === null) return null;
  if (typeof v === 'boolean') return v;
  if (v === 0 || v === 1) return v === 1;
  throw new Invalid();
};
const int = (v: unknown): number => {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v)) return Number(v);
  throw new Invalid();
};
const optInt: FieldParser = (v) => (v === undefined || v === null ? null : int(v));
const optStrList: FieldParser = (v) => {
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new Invalid();
  return [...v];
};
const optStrDict: FieldParser = (v) => {
  if (v === undefined || v === null) return null;
  const o = obj(v);
  if (v !== o || Object.values(o).some((x) => typeof x !== 'string')) throw new Invalid();
  return { ...o };
};

function model(fields: Record<string, FieldParser>, extra: 'ignore' | 'forbid'): (v: unknown) => Obj {
  return (v) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Invalid();
    const input = v as Obj;
    if (extra === 'forbid' && Object.keys(input).some((k) => !(k in fields))) throw new Invalid();
    const out: Obj = {};
    for (const [name, parse] of Object.entries(fields)) out[name] = parse(input[name], name in input);
    return out;
  };
}

const imageSettings = model(
  {
    base_image: optStrNonEmpty,
    requirements: optStrList,
    dockerfile: optStrNonEmpty,
    build_context_root: optStrNonEmpty,
    environment: optStrDict,
    secret_environment_from: optStrList,
    apt_packages: optStrList,
    replicate_local_python_environment: optBool,
    image_tag: optStrNonEmpty,
    target_repository: optStrNonEmpty,
    user: optStrNonEmpty,
    platform: optStrNonEmpty,
  },
  'forbid',
);
const optImage: FieldParser = (v) => (v === undefined || v === null ? null : imageSettings(v));

const resolvedExecution = model(
  {
    stack: optStrNonEmpty,
    image: optImage,
    cache: optBool,
    retries: (v, present) => {
      if (!present) throw new Invalid();
      const n = int(v);
      if (n < 0) throw new Invalid();
      return n;
    },
  },
  'ignore',
);
const kitaruConfig = model(
  {
    stack: optStrNonEmpty,
    image: optImage,
    cache: optBool,
    retries: optInt,
    server_url: optStr,
    auth_token: optStrNonEmpty,
    project: optStrNonEmpty,
  },
  'ignore',
);
const connectionConfig = model({ server_url: optStr, auth_token: optStr, project: optStr }, 'ignore');
const modelAlias = model(
  {
    model: (v) => {
      if (typeof v !== 'string' || !pyStrip(v)) throw new Invalid();
      return pyStrip(v);
    },
    secret: optStrNonEmpty,
  },
  'ignore',
);
const modelRegistry = model(
  {
    aliases: (v) => {
      if (v === undefined || v === null) return {};
      if (v !== obj(v)) throw new Invalid();
      const out: Obj = {};
      for (const [alias, config] of Object.entries(obj(v))) out[pyStrip(alias).toLowerCase()] = modelAlias(config);
      return out;
    },
    default: optStr,
  },
  'ignore',
);

/**
 * Python's _parse_frozen_execution_spec + to_jsonable(model_dump()): the spec
 * with every default filled in, or null when it does not validate.
 */
export function parseFrozenExecutionSpec(raw: unknown): Obj | null {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const value: Obj = { ...(raw as Obj) };
  for (const field of ['resolved_execution', 'flow_defaults']) {
    const section = value[field];
    if (section === null || typeof section !== 'object' || Array.isArray(section)) continue;
    const s = section as Obj;
    if ('stack' in s || !('runner' in s)) continue;
    value[field] = { ...s, stack: s.runner };
  }
  try {
    return {
      version: 'version' in value ? int(value.version) : 1,
      resolved_execution: resolvedExecution(value.resolved_execution),
      flow_defaults: kitaruConfig(value.flow_defaults),
      connection: connectionConfig(value.connection),
      model_registry: value.model_registry === undefined || value.model_registry === null ? null : modelRegistry(value.model_registry),
    };
  } catch (error) {
    if (error instanceof Invalid) return null;
    throw error;
  }
}
