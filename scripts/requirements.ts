// Writes docs/requirements.md from the registered requirements (helpers/requirements-doc.ts).
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import {
  declaredRequirements,
  renderRequirementsDoc,
  REQUIREMENTS_DOC,
} from '../helpers/requirements-doc.ts';

const declared = await declaredRequirements();
writeFileSync(REQUIREMENTS_DOC, renderRequirementsDoc(declared), 'utf8');
process.stdout.write(`${relative(process.cwd(), REQUIREMENTS_DOC)}: ${declared.length} requirements\n`);
