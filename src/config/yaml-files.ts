// Reading and writing the YAML files Python Kitaru and ZenML share with us.
// We use the `yaml` package: it reads what PyYAML writes and can rewrite a
// document while keeping every key we do not own.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

export type YamlMap = Record<string, unknown>;

/** How often a read that looks caught mid-write is tried again, and how long apart. */
const MID_WRITE_RETRIES = 5;
const MID_WRITE_PAUSE_MS = 10;

/** Parses a YAML mapping; a missing or empty file is an empty mapping. `readText` is for tests. */
export function readYamlMap(file: string, readText: (file: string) => string = readTextOrEmpty): YamlMap {
  const parsed: unknown = YAML.parse(readWholeText(file, readText));
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`${file} does not hold a YAML mapping.`);
  }
  return parsed as YamlMap;
}

/**
 * The file's text, read again while it looks caught mid-write.
 *
 * Python rewrites config.yaml in place (`open(path, "w")` truncates, then one
 * write), so a read that lands in between sees an empty or cut-off file. An
 * existing empty file, or one that does not parse, is read again a few times,
 * a few milliseconds apart, before it is taken as it is. Without this, an
 * update could even write the cut-off text back.
 */
function readWholeText(file: string, readText: (file: string) => string): string {
  for (let attempt = 0; ; attempt += 1) {
    const text = readText(file);
    if (attempt >= MID_WRITE_RETRIES) return text;
    if (text.trim() === '' ? !fs.existsSync(file) : parses(text)) return text;
    pauseSync(MID_WRITE_PAUSE_MS);
  }
}

function parses(text: string): boolean {
  try {
    YAML.parse(text);
    return true;
  } catch {
    return false;
  }
}

function readTextOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

/** Blocks this thread briefly: the config is read synchronously, and the pause is at most tens of ms. */
function pauseSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Applies `edit` to the mapping in `file` and writes it back atomically (temp
 * file in the same folder, then rename), so a crash never leaves it half-written.
 * Keys `edit` does not touch, and comments, survive.
 */
export function updateYamlMap(file: string, edit: (doc: YAML.Document) => void): void {
  const text = readWholeText(file, readTextOrEmpty);
  const doc = YAML.parseDocument(text);
  if (doc.contents === null) doc.contents = doc.createNode({}) as never;
  edit(doc);
  writeFileAtomic(file, doc.toString());
}

/**
 * Writes `content` to `file` atomically (temp file beside the target, then
 * rename). A symlinked file (dotfile managers link config.yaml) is written
 * through the link, as Python's open(..., "w") does: the link stays a link and
 * its target gets the new content.
 */
export function writeFileAtomic(link: string, content: string): void {
  const file = linkTarget(link);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  let mode: number | undefined;
  try {
    mode = fs.statSync(file).mode & 0o777;
  } catch {
    mode = undefined;
  }
  fs.writeFileSync(temp, content, { mode: mode ?? 0o644 });
  try {
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

/** The file a path finally names, following symlinks even when the last one dangles. */
function linkTarget(file: string): string {
  let current = path.resolve(file);
  for (let hops = 0; hops < 40; hops += 1) {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(current);
    } catch {
      return current;
    }
    if (!stat.isSymbolicLink()) return current;
    current = path.resolve(path.dirname(current), fs.readlinkSync(current));
  }
  throw new Error(`${file}: too many levels of symbolic links.`);
}
