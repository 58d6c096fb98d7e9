import { defineConfig } from "vitest/config";

// Runs only the flawed-repository fixture; used by tests/contract-kit.test.ts in a child process.
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ["flawed-repositories.fixture.ts"],
    pool: "threads",
    maxWorkers: 1,
  },
});
