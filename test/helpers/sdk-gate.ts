// Preloaded into a spawned built server (`node --import`): every module of the bundle that holds
// MCP SDK code is held back until the file named by FLUX_MCP_TEST_SDK_GATE exists, so a test can
// see what the server does before the SDK has loaded.
import { register } from "node:module";

register(new URL("./sdk-gate-hooks.ts", import.meta.url));
