// What every session pays before its first question: tools/list and the initialize instructions, in
// tokens counted as `npm run bench` counts them (bench/numbers.ts). The budgets sit just above today's
// size, so a catalogue that grows does so on purpose: the peers' tools/list are 5,269 tokens
// (mcp-server-kubernetes) and 6,316 (kubernetes-mcp-server), and `node bench/catalogue.ts` shows
// where flux-mcp's tokens go.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { tokens } from "../../bench/numbers.ts";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { connectStdio } from "../helpers/mcp-clients.ts";

const TOOLS_LIST_BUDGET = 4_950;
const INSTRUCTIONS_BUDGET = 420;
const HOW_TO_RAISE =
  "shorten descriptions first (guidance that concerns several tools belongs in src/server/instructions.ts); " +
  "if the growth is worth it, raise the budget in test/e2e/catalogue-budget.test.ts in the same commit, " +
  "saying why, and keep tools/list below the peers' 5,269 tokens";

describe("catalogue budget", { timeout: 60_000 }, () => {
  let api: TestApiServer;
  before(async () => {
    api = await startTestApiServer();
  });
  after(async () => api.close());

  it("keeps tools/list and the instructions within their token budgets", async () => {
    const { client } = await connectStdio(["--kubeconfig", api.kubeconfigPath], "2025-11-25");
    try {
      const { tools } = await client.listTools();
      const listed = tokens(JSON.stringify(tools));
      const instructions = tokens(client.getInstructions() ?? "");
      assert.ok(listed > 1_000 && instructions > 100, `counted ${listed} and ${instructions} tokens`);
      assert.ok(
        listed <= TOOLS_LIST_BUDGET,
        `tools/list is ${listed} tokens, over its budget of ${TOOLS_LIST_BUDGET}: ${HOW_TO_RAISE}`,
      );
      assert.ok(
        instructions <= INSTRUCTIONS_BUDGET,
        `the instructions are ${instructions} tokens, over their budget of ${INSTRUCTIONS_BUDGET}: ${HOW_TO_RAISE}`,
      );
    } finally {
      await client.close();
    }
  });
});
