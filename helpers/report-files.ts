// Where the suite writes what a run leaves behind for the reports and for the next process: the
// reports/ folder at the project's root, whichever folder a run starts in.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `reports/<name>` at the project's root. */
export function reportFile(name: string): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', 'reports', name);
}
