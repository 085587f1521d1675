// The settings a run (playwright.config.ts) or a tool (scripts/doctor.ts) checks before it sends
// anything: a bad one stops it at once, one line per problem and nothing else (a stack trace would
// only hide them), with exit code 2 (invalid configuration).
import { BaselineError } from './baseline.ts';
import { ConfigError } from './config.ts';
import { RateSettingError } from './rate-limit.ts';
import { SelectionError } from './selection.ts';
import { TransportOptionsError } from './transport-options.ts';

/** The errors that name a bad setting (.env, the environment, the baseline file). */
const SETTING_ERRORS = [ConfigError, BaselineError, TransportOptionsError, SelectionError, RateSettingError];

/** Writes the message and exits 2: how a tool stops on a bad setting. */
function writeAndExit(message: string): never {
  process.stderr.write(`\n${message}\n\n`);
  process.exit(2);
}

/**
 * What `read` returns; when it refuses a setting, `stop` gets its message (by default it is written
 * and the process exits 2; a run also replaces its reports, helpers/run-stopped.ts).
 */
export function settingOrExit<T>(read: () => T, stop: (message: string) => never = writeAndExit): T {
  try {
    return read();
  } catch (error) {
    if (SETTING_ERRORS.some((kind) => error instanceof kind)) stop((error as Error).message);
    throw error;
  }
}
