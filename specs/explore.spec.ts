// Model-based exploration: random lifecycles of three customers on two anonymous sessions (sign-up,
// activation, login, profile, addresses and tags, tokens, credentials), each request held to the
// model's prediction and the state after read back from every endpoint that shows it. A failure is
// shrunk to the shortest sequence and told as a story (reports/explore/, and attached here).
// `npm run explore` runs more of it; docs/exploration.md explains the settings.
import { test as base, expect } from '../fixtures/index.ts';
import { withExploration } from '../fixtures/explore.ts';
import { replayCommand } from '../helpers/model/explore.ts';

const test = withExploration(base);

test.describe('Model-based exploration @destructive @employee', () => {
  test('random lifecycles of several customers hold to the model', async ({ exploration }) => {
    const result = await exploration.run();
    if (result.failure) {
      // The story (steps, expectations, what came) is attached, and written to reports/explore/.
      throw new Error(
        `A sequence of ${result.failure.steps.length} steps breaks the model (seed ${result.settings.seed}); ` +
          `replay: ${replayCommand(result)}\n\n${result.failure.error}`,
      );
    }
    // A search that ran no sequence at all would pass without having looked.
    expect(result.sequences, `sequences explored (${result.stoppedBy ?? 'not stopped'})`).toBeGreaterThan(0);
  });
});
