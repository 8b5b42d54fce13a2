// Kitaru's naming conventions for deployments, ported from Python's
// kitaru/_client/_deployments.py: a deployment is a ZenML snapshot named
// `kitaru::<flow>::v<N>`, and its public tags are encoded as native ZenML tags.
import { pyQuote, pyUnquote } from '../../compat/python.ts';
import { KitaruUsageError } from '../errors.ts';

const SNAPSHOT_NAME = /^kitaru::(?<flow>.+)::v(?<version>[1-9]\d*)$/s;
export const DEPLOYMENT_TAG_MARKER = 'kitaru:deployment';
const NAMESPACE_PREFIX = `${DEPLOYMENT_TAG_MARKER}:`;
const PUBLIC_TAG_PREFIX = `${NAMESPACE_PREFIX}tag:`;
const EXCLUSIVE_SUFFIX = ':exclusive';
const SHARED_SUFFIX = ':shared';

export const DEFAULT_DEPLOYMENT_TAG = 'default';

export function validateDeploymentFlow(flow: string): string {
  const normalized = flow.trim();
  if (!normalized) throw new KitaruUsageError('`flow` must be a non-empty string.');
  if (normalized.includes('::')) throw new KitaruUsageError('Deployment flow names cannot contain `::`.');
  return normalized;
}

export function validateDeploymentTag(tag: string): string {
  const normalized = tag.trim();
  if (!normalized) throw new KitaruUsageError('Deployment tags must be non-empty strings.');
  if (normalized.startsWith(NAMESPACE_PREFIX)) {
    throw new KitaruUsageError('Deployment tags cannot use the `kitaru:` namespace.');
  }
  return normalized;
}

export function validateDeploymentVersion(version: number): number {
  if (version < 1) throw new KitaruUsageError('Deployment version must be >= 1.');
  return version;
}

/** `default` is always exclusive, whatever the caller asked. */
export function resolveDeploymentExclusive(tag: string, exclusive: boolean): boolean {
  return tag === DEFAULT_DEPLOYMENT_TAG ? true : exclusive;
}

export function validateRemoveDeploymentTag(tag: string): string {
  const normalized = validateDeploymentTag(tag);
  if (normalized === DEFAULT_DEPLOYMENT_TAG) {
    throw new KitaruUsageError('The reserved `default` deployment tag cannot be removed.');
  }
  return normalized;
}

export function parseDeploymentSnapshotName(name: unknown): { flow: string; version: number } | null {
  if (typeof name !== 'string') return null;
  const match = SNAPSHOT_NAME.exec(name);
  const flow = match?.groups?.flow;
  const version = match?.groups?.version;
  if (flow === undefined || version === undefined || flow.includes('::')) return null;
  return { flow, version: Number(version) };
}

export function deploymentPublicTag(tag: string, exclusive: boolean): string {
  const normalized = validateDeploymentTag(tag);
  return `${PUBLIC_TAG_PREFIX}${pyQuote(normalized)}${exclusive ? EXCLUSIVE_SUFFIX : SHARED_SUFFIX}`;
}

export function parseDeploymentPublicTag(nativeTag: string): { tag: string; exclusive: boolean } | null {
  if (!nativeTag.startsWith(PUBLIC_TAG_PREFIX)) return null;
  const remainder = nativeTag.slice(PUBLIC_TAG_PREFIX.length);
  let encoded: string;
  let exclusive = false;
  if (remainder.endsWith(EXCLUSIVE_SUFFIX)) {
    encoded = remainder.slice(0, -EXCLUSIVE_SUFFIX.length);
    exclusive = true;
  } else if (remainder.endsWith(SHARED_SUFFIX)) {
    encoded = remainder.slice(0, -SHARED_SUFFIX.length);
  } else {
    return null;
  }
  const tag = pyUnquote(encoded);
  return tag ? { tag, exclusive } : null;
}
