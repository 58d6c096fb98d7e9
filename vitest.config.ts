import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/tests/**/*.test.ts"],
    // Type-aware tests build one TypeScript program per fixture and share it within a file.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: "forks",
    maxWorkers: 2,
    // Runs of the binary in tests are one-off runs in temporary projects: no daemon stays behind
    // (tests/daemon.test.ts turns it on, in directories of its own).
    env: { TENANT_LINT_NO_DAEMON: "1" },
    // The JSON report is what .ci/run counts passed and failed tests from.
    reporters: ["default", "json"],
    outputFile: { json: ".vitest-results.json" },
  },
});
