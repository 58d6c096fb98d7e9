// The daemon's process (see src/daemon.ts): `node daemon-server.js <socket> <start-lock> <idle-ms>`.
// It loads the compiler once, with the parsed-file cache (src/source-file-cache.ts), and runs each
// request's command line with the CLI's `main`, in the request's directory and environment, one at a
// time, sending what the run writes back as it is written. It exits after `idle-ms` without a request.
import fs from "node:fs";
import net from "node:net";
import { isCompilerFile, installCompileCache } from "./compile-cache.js";
import { readJsonLines, type DaemonReply, type DaemonRequest } from "./daemon.js";
import { bundledTypeScriptFile, useBundledTypeScript } from "./one-typescript.js";
import { installSourceFileCache, sourceFileCacheStats, startSourceFileCacheRun } from "./source-file-cache.js";

const [socketPath, startLock, idleArg] = process.argv.slice(2) as [string, string, string];
const idleMs = Number(idleArg);

// As the binary does, before anything loads the compiler.
installCompileCache(isCompilerFile);
const typescriptFile = bundledTypeScriptFile();
useBundledTypeScript(typescriptFile);
installSourceFileCache(typescriptFile);
const { main } = await import("./main.js");

const startedAt = Date.now();
let runs = 0;
let queue: Promise<void> = Promise.resolve();
let idleTimer: NodeJS.Timeout | undefined;
let collectTimer: NodeJS.Timeout | undefined;

const server = net.createServer((socket) => {
  socket.on("error", () => {});
  readJsonLines<DaemonRequest>(socket, (request) => {
    queue = queue.then(() => serve(socket, request)).catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    });
  });
});

listen();

function listen(): void {
  server.once("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EADDRINUSE") throw error;
    // A daemon that answers owns the socket; a socket no one answers was left by one that died.
    const probe = net.connect(socketPath);
    probe.once("connect", () => {
      probe.destroy();
      shutDown();
    });
    probe.once("error", () => {
      fs.rmSync(socketPath, { force: true });
      listen();
    });
  });
  server.listen(socketPath, () => {
    fs.rmSync(startLock, { force: true });
    waitIdle();
  });
}

function cpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

/**
 * Collects the garbage of the runs (each run's program and types) once no request has come for
 * `COLLECT_AFTER_MS`: V8 would otherwise let it pile up to the heap limit, and a collection right
 * after each run would delay a developer's next one (`--expose-gc`, given by src/daemon.ts).
 */
const COLLECT_AFTER_MS = 1000;

function waitIdle(): void {
  clearTimeout(idleTimer);
  clearTimeout(collectTimer);
  idleTimer = setTimeout(shutDown, idleMs);
  collectTimer = setTimeout(() => (globalThis as { gc?: () => void }).gc?.(), COLLECT_AFTER_MS);
}

function shutDown(): void {
  clearTimeout(idleTimer);
  clearTimeout(collectTimer);
  server.close();
  fs.rmSync(startLock, { force: true });
  process.exit(0);
}

async function serve(socket: net.Socket, request: DaemonRequest): Promise<void> {
  clearTimeout(idleTimer);
  clearTimeout(collectTimer);
  const send = (reply: DaemonReply) => {
    if (!socket.destroyed) socket.write(`${JSON.stringify(reply)}\n`);
  };
  if (request.kind === "stop") {
    send({ stopped: true });
    socket.end(() => shutDown());
    return;
  }
  if (request.kind === "status") {
    send({ status: { pid: process.pid, startedAt, runs, cachedFiles: sourceFileCacheStats().files, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), cpuSeconds: cpuSeconds(), idleExitMs: idleMs } });
    socket.end();
    waitIdle();
    return;
  }
  startSourceFileCacheRun();
  let exitCode = 2;
  try {
    const leave = enter(request);
    try {
      exitCode = await main(request.args, {
        stdout: { write: (text: string) => send({ stdout: text }), isTTY: request.stdout.isTTY, columns: request.stdout.columns },
        stderr: { write: (text: string) => send({ stderr: text }), isTTY: request.stderr.isTTY },
        cwd: request.cwd,
        env: request.env,
      });
    } finally {
      leave();
    }
  } catch (error) {
    // `main` reports its own errors; this is the daemon failing to take on the request's directory.
    send({ stderr: `tenant-lint: ${error instanceof Error ? error.message : String(error)}\n` });
  }
  runs++;
  if (request.env.TENANT_LINT_DEBUG) {
    const stats = sourceFileCacheStats();
    send({ stderr: `tenant-lint: ran in the daemon (pid ${process.pid}, run ${runs}): ${stats.reused} files reused, ${stats.parsed} parsed\n` });
  }
  send({ exit: exitCode });
  socket.end();
  waitIdle();
}

/**
 * Takes on the request's directory and environment, which git, the compiler's file lookups and the
 * formatters read as a process of its own would; returns what restores the daemon's.
 */
function enter(request: Extract<DaemonRequest, { kind: "run" }>): () => void {
  const ownEnv = { ...process.env };
  const ownCwd = process.cwd();
  replaceEnv(request.env);
  process.chdir(request.cwd);
  return () => {
    replaceEnv(ownEnv);
    process.chdir(ownCwd);
  };
}

function replaceEnv(env: Readonly<Record<string, string | undefined>>): void {
  for (const name of Object.keys(process.env)) delete process.env[name];
  for (const [name, value] of Object.entries(env)) if (value !== undefined) process.env[name] = value;
}
