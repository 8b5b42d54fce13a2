// Kitaru checks a local stack's component overrides against ZenML's flavor
// config classes before creating anything. For the two local flavors those
// classes are small and known (LocalOrchestratorConfig has no fields,
// LocalArtifactStoreConfig has `path: str`), so the check is ported here with
// Python's messages, including difflib's "Did you mean" suggestion.
import { pyTypeName, sequenceRatio } from '../compat/python.ts';
import { KitaruUsageError } from './errors.ts';
import type { ComponentTarget } from './stack-validation.ts';

interface LocalFlavorConfig {
  fields: Record<string, 'str'>;
  docsUrl: string;
}

const LOCAL_CONFIGS: Partial<Record<ComponentTarget, LocalFlavorConfig>> = {
  orchestrator: { fields: {}, docsUrl: 'https://docs.zenml.io/stack-components/orchestrators/local' },
  artifact_store: { fields: { path: 'str' }, docsUrl: 'https://docs.zenml.io/stack-components/artifact-stores/local' },
};

/** difflib.get_close_matches(word, possibilities, n=1) with the default 0.6 cutoff. */
function closeMatch(word: string, possibilities: string[]): string | null {
  let best: { score: number; candidate: string } | null = null;
  for (const candidate of possibilities) {
    // SequenceMatcher(None, word, x) with set_seq2(word): ratio is computed as (x, word).
    const score = sequenceRatio(candidate, word);
    if (score >= 0.6 && (best === null || score > best.score || (score === best.score && candidate > best.candidate))) {
      best = { score, candidate };
    }
  }
  return best?.candidate ?? null;
}

function helpText(docsUrl: string, suggestion: string | null): string {
  const parts: string[] = [];
  if (suggestion !== null) parts.push(`Did you mean \`${suggestion}\`?`);
  parts.push(`See ZenML docs for supported fields: ${docsUrl}`);
  return parts.join(' ');
}

export function validateLocalComponentConfiguration(target: ComponentTarget, configuration: Record<string, unknown>): void {
  const config = LOCAL_CONFIGS[target];
  if (config === undefined) return;
  const fieldNames = Object.keys(config.fields);
  const extra = Object.keys(configuration)
    .filter((key) => !fieldNames.includes(key))
    .sort();
  if (extra.length > 0) {
    const suggestion = extra.length === 1 ? closeMatch((extra[0] as string).split('.').pop() as string, fieldNames) : null;
    throw new KitaruUsageError(
      `Invalid ZenML option for ${target} (local flavor): ${extra.map((key) => `\`${key}\``).join(', ')}. ${helpText(config.docsUrl, suggestion)}`,
    );
  }
  if (target === 'artifact_store' && 'path' in configuration) checkLocalArtifactStorePath(configuration.path);
}

/**
 * ZenML's LocalArtifactStoreConfig path checks. Python lets both failures
 * through unwrapped (an AttributeError and ArtifactStoreInterfaceError), so the
 * bare messages are what the tool shows.
 */
function checkLocalArtifactStorePath(value: unknown): void {
  if (typeof value !== 'string') throw new Error(`'${pyTypeName(value)}' object has no attribute 'strip'`);
  if (['gs://', 'hdfs://', 's3://', 'az://', 'abfs://'].some((prefix) => value.startsWith(prefix))) {
    throw new Error(`The path '${value}' you defined for your local artifact store starts with a remote prefix.`);
  }
}
