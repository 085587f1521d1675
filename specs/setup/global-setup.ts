// Runs once before the workers start: empties the exchange records of the previous run, so the
// coverage and conformance reports describe this run only.
import { clearRecords } from '../../helpers/records.ts';

export default function globalSetup(): void {
  clearRecords();
}
