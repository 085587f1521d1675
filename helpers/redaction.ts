// The redaction check: every secret the suite masked during a run (noted by helpers/mask.ts as length,
// first characters and sha256 of each form it may take, never the value) is searched for in every file
// the run left in its report folders, inside zip archives and base64-embedded data too (Playwright's
// HTML report keeps its data as a base64 zip inside index.html). A finding names the file and shows
// a masked excerpt.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, relative } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import type { SecretNote } from './mask.ts';

export interface Finding {
  /** The file, and `!entry` inside an archive or embedded data. */
  where: string;
  cls: string;
  /** sha256 of the form found (the note's identity). */
  sha256: string;
  /** Offset in the (decoded) text. */
  offset: number;
  /** The surrounding text, the secret replaced by its fingerprint. */
  excerpt: string;
}

/** Reads the notes of every process (one `.jsonl` file each), each form once. */
export function readSecretNotes(dir: string): SecretNote[] {
  if (!existsSync(dir)) return [];
  const byHash = new Map<string, SecretNote>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl'))) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      try {
        const note = JSON.parse(line) as SecretNote;
        if (note.prefix && note.length > 0) byHash.set(note.sha256, note);
      } catch {
        // A line cut short by a killed worker.
      }
    }
  }
  return [...byHash.values()];
}

/** Finds secrets in text quickly: candidates by their first characters, confirmed by sha256. */
export class SecretScanner {
  private readonly byPrefix = new Map<string, SecretNote[]>();
  private readonly prefixLength: number;

  constructor(notes: readonly SecretNote[]) {
    this.prefixLength = Math.min(...notes.map((n) => n.prefix.length), 4);
    for (const note of notes) {
      const key = note.prefix.slice(0, this.prefixLength);
      this.byPrefix.set(key, [...(this.byPrefix.get(key) ?? []), note]);
    }
  }

  get size(): number {
    return [...this.byPrefix.values()].reduce((n, list) => n + list.length, 0);
  }

  /** Every occurrence of a noted secret in the text. */
  scanText(text: string, where: string): Finding[] {
    const found: { offset: number; length: number; note: SecretNote }[] = [];
    if (this.byPrefix.size === 0 || !Number.isFinite(this.prefixLength)) return [];
    const last = text.length - this.prefixLength;
    for (let i = 0; i <= last; i += 1) {
      const candidates = this.byPrefix.get(text.substr(i, this.prefixLength));
      if (!candidates) continue;
      for (const note of candidates) {
        if (i + note.length > text.length) continue;
        const slice = text.substr(i, note.length);
        if (createHash('sha256').update(slice).digest('hex') === note.sha256) {
          found.push({ offset: i, length: note.length, note });
        }
      }
    }
    return found.map((f) => ({
      where,
      cls: f.note.cls,
      sha256: f.note.sha256,
      offset: f.offset,
      excerpt: excerpt(text, f.offset, found),
    }));
  }

  /** Scans a file's bytes: as text, and inside any zip archive or base64 data it holds. */
  scanBytes(bytes: Buffer, where: string, depth = 0): Finding[] {
    if (depth > 3) return [];
    if (isZip(bytes)) {
      return unzip(bytes).flatMap((entry) => this.scanBytes(entry.data, `${where}!${entry.name}`, depth + 1));
    }
    const text = bytes.toString('utf8');
    const findings = this.scanText(text, where);
    for (const match of text.matchAll(/base64,([A-Za-z0-9+/]{64,}={0,2})/g)) {
      const decoded = Buffer.from(match[1] ?? '', 'base64');
      findings.push(...this.scanBytes(decoded, `${where}!base64@${match.index ?? 0}`, depth + 1));
    }
    return findings;
  }
}

const EXCERPT_CHARS = 40;

function excerpt(
  text: string,
  offset: number,
  all: readonly { offset: number; length: number; note: SecretNote }[],
): string {
  const from = Math.max(0, offset - EXCERPT_CHARS);
  const to = Math.min(text.length, offset + EXCERPT_CHARS);
  let out = '';
  let i = from;
  const inWindow = all
    .filter((f) => f.offset < to && f.offset + f.length > from)
    .sort((a, b) => a.offset - b.offset);
  for (const f of inWindow) {
    if (f.offset < i) continue;
    out += text.slice(i, f.offset);
    out += `${f.note.cls}#${f.note.sha256.slice(0, 4)}`;
    i = f.offset + f.length;
  }
  // A secret cut by the window's edge is not shown either: its visible part is dropped.
  const lastCut = inWindow.find((f) => f.offset < from && f.offset + f.length > from);
  if (lastCut) i = Math.max(i, lastCut.offset + lastCut.length);
  out += i < to ? text.slice(i, to) : '';
  return out.replace(/\s+/g, ' ');
}

function isZip(bytes: Buffer): boolean {
  return bytes.length > 22 && bytes.readUInt32LE(0) === 0x04034b50;
}

/** The entries of a zip archive (stored or deflated), read from its central directory. */
export function unzip(bytes: Buffer): { name: string; data: Buffer }[] {
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65_535); i -= 1) {
    if (bytes.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) return [];
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  const entries: { name: string; data: Buffer }[] = [];
  for (let n = 0; n < count && bytes.readUInt32LE(at) === 0x02014b50; n += 1) {
    const method = bytes.readUInt16LE(at + 10);
    const compressedSize = bytes.readUInt32LE(at + 20);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    const localOffset = bytes.readUInt32LE(at + 42);
    const name = bytes.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    const dataStart =
      localOffset + 30 + bytes.readUInt16LE(localOffset + 26) + bytes.readUInt16LE(localOffset + 28);
    const raw = bytes.subarray(dataStart, dataStart + compressedSize);
    try {
      if (method === 0) entries.push({ name, data: raw });
      else if (method === 8) entries.push({ name, data: inflateRawSync(raw) });
    } catch {
      // An entry that does not inflate is not text a report shows.
    }
  }
  return entries;
}

/**
 * The notes to look for: the masked values, less those the suite's own spec files spell out (made-up
 * test values such as "a token that was never issued", which titles may quote), plus the configured
 * credentials, which are always looked for.
 */
export function notesToCheck(
  noted: readonly SecretNote[],
  specSources: readonly string[],
  configured: readonly SecretNote[],
): { notes: SecretNote[]; exempt: number } {
  const scanner = new SecretScanner(noted);
  const written = new Set(specSources.flatMap((text) => scanner.scanText(text, '').map((f) => f.sha256)));
  const always = new Set(configured.map((n) => n.sha256));
  const kept = noted.filter((n) => !written.has(n.sha256) || always.has(n.sha256));
  const byHash = new Map([...kept, ...configured].map((n) => [n.sha256, n]));
  return { notes: [...byHash.values()], exempt: noted.length - kept.length };
}

/** Every file under the folders, except those under `exclude`. */
export function listFiles(roots: readonly string[], exclude: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (path: string): void => {
    if (exclude.some((e) => path === e || path.startsWith(`${e}/`))) return;
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) for (const name of readdirSync(path).sort()) walk(join(path, name));
    else if (stat.isFile()) files.push(path);
  };
  for (const root of roots) walk(root);
  return [...new Set(files)];
}

/** Scans every file under the folders; finding paths are shown relative to `base`. */
export function scanFolders(
  scanner: SecretScanner,
  roots: readonly string[],
  exclude: readonly string[],
  base: string,
): { files: number; findings: Finding[] } {
  const files = listFiles(roots, exclude);
  const findings = files.flatMap((file) => {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      return []; // Gone since the folders were listed (another run cleaning up).
    }
    return scanner.scanBytes(bytes, relative(base, file));
  });
  return { files: files.length, findings };
}
