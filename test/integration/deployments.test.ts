// Deployment tools, ours against Python's, on a local server with deployments
// made by the reference Python: the `deployments` cases of the conformance table
// (test/conformance/cases-deployments.ts; the state is made by fixtures.ts).
// Reads see the same state and must answer identically; changes run on twin
// flows with the same history; invoke meets stacks the server cannot run.
// Then, on the same server, manage_stack's local stack story beside Python's
// (manage-stack-story.ts): one server start fewer than a file of its own.
import { after, before, test } from 'node:test';
import { casesIn } from '../conformance/cases.ts';
import { assertCasesMatchPython } from '../conformance/fast-cases.ts';
import { type Fixture, openFixture } from '../conformance/fixtures.ts';
import { manageStackTests } from './manage-stack-story.ts';

let fixture: Fixture;

before(async () => {
  fixture = await openFixture('deployments');
});

after(async () => {
  await fixture?.close();
});

test('the deployments cases answer exactly like the Python kitaru-mcp', async (t) => {
  await assertCasesMatchPython(t, casesIn('deployments'), fixture.connections, fixture.ctx, {
    context: 'deployments',
    knownIds: fixture.knownIds,
  });
});

manageStackTests(() => ({ server: fixture.server, py: fixture.connections.python, ts: fixture.connections.ours }));
