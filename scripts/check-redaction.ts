// `npm run check:redaction`, run by `npm test` after the suite: proves that no token, password, client
// secret or emailed token that crossed the wire during the run appears in any report file. The secrets
// come from the notes helpers/mask.ts wrote as they were registered (each exchange's, the configured
// credentials; reports/.secrets, never the values themselves); the notes are deleted afterwards. Exit code 1 names each file and shows a masked excerpt.
//
//   --keep            keep the notes (to check again after generating the Allure HTML report);
//                     REDACTION_KEEP_NOTES=1 in the environment does the same
//   --allow-empty     succeed when no secret but the configured credentials was noted (a run that
//                     made no request)
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configuredSecrets, loadConfig } from '../helpers/config.ts';
import { SECRETS_DIR, secretNotes } from '../helpers/mask.ts';
import {
  listFiles,
  notesToCheck,
  readSecretNotes,
  scanFolders,
  SecretScanner,
} from '../helpers/redaction.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const REPORT_FOLDERS = [
  'reports',
  'allure-results',
  'test-results',
  'playwright-report',
  'blob-report',
  'allure-report',
];
const MAX_SHOWN = 20;

const noted = readSecretNotes(SECRETS_DIR);
/** A run that made no request: nothing noted, or only the configured credentials (noted at load). */
function noRequestNoted(message: string): never {
  process.stdout.write(`${message}\n`);
  process.exit(args.has('--allow-empty') ? 0 : 1);
}
if (noted.length === 0) {
  noRequestNoted(
    `No secrets were noted in ${SECRETS_DIR}: the suite made no request that carried one, or did not run.`,
  );
}

// The configured credentials are always looked for, whether or not a request carried them. The
// configuration is read from a copy of the environment: loading the process's own would register
// (and note) them again, in this process.
const config = loadConfig({ ...process.env });
const configured = configuredSecrets(config).flatMap(({ value, cls }) => secretNotes(value, cls));
const configuredHashes = new Set(configured.map((n) => n.sha256));
if (noted.every((n) => configuredHashes.has(n.sha256))) {
  // With --allow-empty the configured credentials are still looked for below.
  const message = `Only the configured credentials were noted in ${SECRETS_DIR}: the suite made no request that carried a secret, or did not run.`;
  if (!args.has('--allow-empty')) noRequestNoted(message);
  process.stdout.write(`${message}\n`);
}
const specSources = listFiles([join(root, 'specs')], []).map((file) => readFileSync(file, 'utf8'));
const { notes, exempt } = notesToCheck(noted, specSources, configured);
const scanner = new SecretScanner(notes);
const started = Date.now();
const { files, findings } = scanFolders(
  scanner,
  REPORT_FOLDERS.map((f) => join(root, f)),
  [SECRETS_DIR],
  root,
);
const seconds = ((Date.now() - started) / 1000).toFixed(1);

if (!args.has('--keep') && process.env.REDACTION_KEEP_NOTES !== '1')
  rmSync(SECRETS_DIR, { recursive: true, force: true });

if (findings.length === 0) {
  process.stdout.write(
    `Redaction check passed: ${scanner.size} forms of the secrets registered during the run, ` +
      `none found in ${files} report files (${REPORT_FOLDERS.join(', ')}; archives and embedded data included; ${seconds} s)` +
      `${exempt ? `; ${exempt} made-up values spelled out in specs/ not looked for` : ''}.\n`,
  );
  process.exit(0);
}

const byFile = new Map<string, number>();
for (const f of findings) byFile.set(f.where, (byFile.get(f.where) ?? 0) + 1);
process.stderr.write(
  `Redaction check FAILED: ${findings.length} occurrence(s) of secrets in ${byFile.size} report file(s):\n`,
);
for (const f of findings.slice(0, MAX_SHOWN)) {
  process.stderr.write(`  ${f.where} @${f.offset} (${f.cls}): …${f.excerpt}…\n`);
}
if (findings.length > MAX_SHOWN) process.stderr.write(`  … and ${findings.length - MAX_SHOWN} more\n`);
process.exit(1);
