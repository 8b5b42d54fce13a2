#!/usr/bin/env node
// The one setting for where releases live: package.json's `repository` (a
// GitHub repo). Every place that names the download location is derived from
// it: install.sh, install.ps1, README.md and server.json carry it literally
// (they are read or piped standalone), and `--check` proves they agree, which
// the release workflow runs before publishing anything.
//
//   node scripts/release/base-url.mjs            print the base URL
//   node scripts/release/base-url.mjs --slug     print owner/name
//   node scripts/release/base-url.mjs --check    exit 1 naming each file that disagrees
//   node scripts/release/base-url.mjs --write    rewrite those files to agree
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

export function repoSlug() {
  const url = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  const m = /github\.com[/:]([\w.-]+\/[\w.-]+?)(?:\.git)?\/?$/.exec(url ?? '') ?? /^(?:github:)?([\w.-]+\/[\w.-]+)$/.exec(url ?? '');
  if (!m) throw new Error(`package.json "repository" must name a GitHub repository, not ${JSON.stringify(url)}`);
  return m[1];
}
export const repoUrl = () => `https://github.com/${repoSlug()}`;
export const baseUrl = () => `${repoUrl()}/releases/latest/download`;
/** The assets of one tagged release (what server.json pins). */
export const tagUrl = (version) => `${repoUrl()}/releases/download/v${version}`;

// Any GitHub releases URL, so a stale or foreign one is caught too (links to
// other projects' repositories are not release URLs and are left alone).
const RELEASES = /https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/releases\/(?:latest\/download|download\/v[\w.-]+)/g;
export const FILES = ['install.sh', 'install.ps1', 'README.md', 'server.json'];

function expected(file, text) {
  if (file === 'server.json') {
    const doc = JSON.parse(text);
    if (doc.repository?.url === repoUrl()) return text;
    return `${JSON.stringify({ ...doc, repository: { ...doc.repository, url: repoUrl() } }, null, 2)}\n`;
  }
  return text.replace(RELEASES, (u) => (u.includes('/latest/') ? baseUrl() : `${repoUrl()}/releases/download/${u.split('/').pop()}`));
}

/** Files whose release or repository URLs differ from the setting. */
export function disagreeing() {
  return FILES.filter((f) => {
    const text = readFileSync(path.join(root, f), 'utf8');
    return expected(f, text) !== text || (f !== 'server.json' && !text.includes(baseUrl()));
  });
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const arg = process.argv[2];
  if (arg === '--slug') console.log(repoSlug());
  else if (arg === '--check') {
    const bad = disagreeing();
    if (bad.length) {
      console.error(
        `these files do not point at ${baseUrl()} (package.json "repository"): ${bad.join(', ')}\nrun: node scripts/release/base-url.mjs --write`,
      );
      process.exit(1);
    }
    console.error(`install.sh, install.ps1, README.md and server.json all point at ${repoUrl()}`);
  } else if (arg === '--write') {
    for (const f of FILES) {
      const file = path.join(root, f);
      const text = readFileSync(file, 'utf8');
      if (expected(f, text) !== text) writeFileSync(file, expected(f, text));
    }
  } else console.log(baseUrl());
}
