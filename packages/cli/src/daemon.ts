// The daemon: a process that stays alive between a developer's runs of `check` and `baseline`, so a
// repeated run (a pre-push hook, `check --changed-since` after each edit) does not start Node, load
// the compiler and parse the standard library, the ORMs' types and every unchanged project file
// again (src/daemon-server.ts, src/source-file-cache.ts). The binary sends the daemon its command
// line, directory and environment over a Unix socket, prints what the daemon writes back, and exits
// with the daemon's exit code; the run itself is the same code over the same program, so its
// findings are the same.
//
// When: the second `check` or `baseline` within the idle time starts the daemon and is served by
// it (a one-off run leaves nothing behind), and the daemon exits after `IDLE_MS` without a run. Not
// in CI (the `CI` variable: a CI job's runs are one-off), not on Windows, not under Node options of
// the run's own (`--inspect`), and not with `TENANT_LINT_NO_DAEMON=1` or `TENANT_LINT_NO_COMPILE_CACHE=1`.
// Any failure to reach or start the daemon, or a daemon that stops before it has written anything,
// leaves the run to the binary's own process.
//
// The socket lives in a directory only the user can read (`$XDG_RUNTIME_DIR/tenant-lint`, else
// `<tmp>/tenant-lint-<uid>`), and is named by a key of the Node binary, `NODE_OPTIONS` and the
// files of the tool: a rebuilt or upgraded tenant-lint starts a daemon of its own, and stops the
// older ones.
import { spawn } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { fnv1a, runtimeIdentity } from "./compile-cache.js";

/** The commands a daemon serves: those that load a project's program. */
const DAEMON_COMMANDS = new Set(["check", "baseline"]);
export const IDLE_MS = 15 * 60_000;
/** How long a starting daemon may take to listen before the run goes on without it. */
const START_TIMEOUT_MS = 20_000;
/** Longer than any Unix socket path the platforms accept (104 bytes on macOS). */
const MAX_SOCKET_PATH = 100;
const SERVER_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), "daemon-server.js");

/** What the binary sends: one JSON line. */
export type DaemonRequest =
  | {
      readonly kind: "run";
      readonly args: readonly string[];
      readonly cwd: string;
      readonly env: Readonly<Record<string, string | undefined>>;
      readonly stdout: { readonly isTTY: boolean; readonly columns?: number };
      readonly stderr: { readonly isTTY: boolean };
    }
  | { readonly kind: "status" }
  | { readonly kind: "stop" };

export interface DaemonStatus {
  readonly pid: number;
  readonly startedAt: number;
  readonly runs: number;
  /** Parsed files the daemon keeps for the next run. */
  readonly cachedFiles: number;
  /** Peak resident memory, in MB. */
  readonly peakRssMb: number;
  /** CPU time the daemon has used, in seconds. */
  readonly cpuSeconds: number;
  readonly idleExitMs: number;
}

/** What the daemon sends back: JSON lines. */
export type DaemonReply = { readonly stdout: string } | { readonly stderr: string } | { readonly exit: number } | { readonly status: DaemonStatus } | { readonly stopped: true };

export interface DaemonPlace {
  readonly dir: string;
  readonly socket: string;
  readonly key: string;
}

/**
 * Runs the command in the daemon, starting it on the second run within the idle time, and returns
 * its exit code; undefined when this process should run the command itself.
 */
export async function runInDaemon(args: readonly string[], typescriptFile: string, env: NodeJS.ProcessEnv = process.env): Promise<number | undefined> {
  if (args[0] === undefined || !DAEMON_COMMANDS.has(args[0]) || !daemonAllowed(env)) return undefined;
  const place = daemonPlace(typescriptFile, env);
  if (!place) return undefined;
  let socket = await connect(place.socket);
  if (!socket) {
    if (!markRun(place)) return undefined;
    if (!startDaemon(place)) return undefined;
    socket = await waitForDaemon(place.socket);
    if (!socket) return undefined;
  }
  const request: DaemonRequest = {
    kind: "run",
    args,
    cwd: process.cwd(),
    env,
    stdout: { isTTY: Boolean(process.stdout.isTTY), columns: process.stdout.columns },
    stderr: { isTTY: Boolean(process.stderr.isTTY) },
  };
  return forwardRun(socket, request);
}

/** Whether a daemon may serve runs in this environment. */
export function daemonAllowed(env: NodeJS.ProcessEnv): boolean {
  if (process.platform === "win32" || env.TENANT_LINT_NO_DAEMON || env.TENANT_LINT_NO_COMPILE_CACHE) return false;
  if (env.CI && env.CI !== "false" && env.CI !== "0") return false;
  // `--inspect` or `--cpu-prof` is for this process; and a run started from a startup snapshot has `--snapshot-blob`.
  return process.execArgv.length === 0;
}

/** The daemon's directory and socket for this Node and this build of the tool; undefined where none may be. */
export function daemonPlace(typescriptFile: string, env: NodeJS.ProcessEnv = process.env): DaemonPlace | undefined {
  if (process.platform === "win32" || typeof process.getuid !== "function") return undefined;
  const dir = env.XDG_RUNTIME_DIR ? path.join(env.XDG_RUNTIME_DIR, "tenant-lint") : path.join(os.tmpdir(), `tenant-lint-${process.getuid()}`);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Another user's directory, or one others can enter, could hold a socket that is not ours.
    const stat = fs.statSync(dir);
    if (!stat.isDirectory() || stat.uid !== process.getuid() || (stat.mode & 0o077) !== 0) return undefined;
    const key = daemonKey(typescriptFile, env);
    const socket = path.join(dir, `daemon-${key}.sock`);
    return socket.length > MAX_SOCKET_PATH ? undefined : { dir, socket, key };
  } catch {
    return undefined;
  }
}

/** The Node binary and options, and the identity (size, time) of every file of the tool's code. */
function daemonKey(typescriptFile: string, env: NodeJS.ProcessEnv): string {
  const require = createRequire(import.meta.url);
  const packageDirs = [path.dirname(fileURLToPath(import.meta.url)), ...["@tenant-lint/core", "@tenant-lint/codemods"].map((name) => path.dirname(require.resolve(name)))];
  const files = packageDirs.flatMap((dir) => fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((name) => /\.c?js$/.test(name)).map((name) => path.join(dir, name)));
  return fnv1a(runtimeIdentity([...files, typescriptFile, require.resolve("ts-morph")], env));
}

/**
 * Records a run without the daemon, and says whether one ran within the idle time before: the
 * second run starts the daemon, a one-off run does not.
 */
function markRun(place: DaemonPlace): boolean {
  const marker = path.join(place.dir, `daemon-${place.key}.last-run`);
  let recent = false;
  try {
    recent = Date.now() - fs.statSync(marker).mtimeMs < IDLE_MS;
  } catch {
    // No run yet.
  }
  try {
    fs.writeFileSync(marker, "", { mode: 0o600 });
  } catch {
    return false;
  }
  return recent;
}

/** Starts the daemon in the background, unless another run is starting it; stops daemons of older builds. */
function startDaemon(place: DaemonPlace): boolean {
  const lock = path.join(place.dir, `daemon-${place.key}.starting`);
  try {
    fs.writeFileSync(lock, String(process.pid), { flag: "wx", mode: 0o600 });
  } catch {
    // Another run is starting it (the daemon removes the lock once it listens), unless that start died.
    try {
      if (Date.now() - fs.statSync(lock).mtimeMs < START_TIMEOUT_MS) return true;
      fs.writeFileSync(lock, String(process.pid), { mode: 0o600 });
    } catch {
      return false;
    }
  }
  void stopOtherDaemons(place);
  try {
    const log = fs.openSync(path.join(place.dir, `daemon-${place.key}.log`), "w", 0o600);
    // `--expose-gc`: the daemon collects after each run, which keeps its memory near one program's.
    const child = spawn(process.execPath, ["--expose-gc", SERVER_SCRIPT, place.socket, lock, String(IDLE_MS)], {
      detached: true,
      stdio: ["ignore", log, log],
      cwd: place.dir,
      windowsHide: true,
    });
    fs.closeSync(log);
    child.on("error", () => {});
    child.unref();
    return true;
  } catch {
    fs.rmSync(lock, { force: true });
    return false;
  }
}

async function waitForDaemon(socketPath: string): Promise<net.Socket | undefined> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const socket = await connect(socketPath);
    if (socket) return socket;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return undefined;
}

function connect(socketPath: string): Promise<net.Socket | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect(socketPath);
    socket.once("connect", () => resolve(socket));
    socket.once("error", () => resolve(undefined));
  });
}

/**
 * Sends the run, prints what comes back, and returns the exit code. A daemon that stops before it
 * has written anything leaves the run to this process (undefined); one that stops later fails it.
 */
function forwardRun(socket: net.Socket, request: DaemonRequest): Promise<number | undefined> {
  return new Promise((resolve) => {
    let wrote = false;
    let exitCode: number | undefined;
    readReplies(socket, (reply) => {
      if ("stdout" in reply) process.stdout.write(reply.stdout);
      else if ("stderr" in reply) process.stderr.write(reply.stderr);
      else if ("exit" in reply) {
        exitCode = reply.exit;
        socket.destroy();
      }
      wrote = true;
    });
    socket.once("close", () => {
      if (exitCode !== undefined || !wrote) return resolve(exitCode);
      process.stderr.write("tenant-lint: the daemon stopped during the run (set TENANT_LINT_NO_DAEMON=1 to run without it)\n");
      resolve(2);
    });
    socket.on("error", () => {});
    socket.write(`${JSON.stringify(request)}\n`);
  });
}

/** Calls `onMessage` with each JSON line that arrives on the socket. */
export function readJsonLines<T>(socket: net.Socket, onMessage: (message: T) => void): void {
  let buffered = "";
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (!line) continue;
      let message: T;
      try {
        message = JSON.parse(line) as T;
      } catch {
        // Not one of ours: the other end is not a tenant-lint daemon or binary.
        socket.destroy();
        return;
      }
      onMessage(message);
    }
  });
}

const readReplies = (socket: net.Socket, onReply: (reply: DaemonReply) => void) => readJsonLines(socket, onReply);

/** Asks the daemon at `socketPath` one question; undefined when none answers. */
async function ask(socketPath: string, request: DaemonRequest): Promise<DaemonReply | undefined> {
  const socket = await connect(socketPath);
  if (!socket) return undefined;
  return new Promise((resolve) => {
    let answer: DaemonReply | undefined;
    readReplies(socket, (reply) => {
      answer = reply;
      socket.end();
    });
    socket.once("close", () => resolve(answer));
    socket.on("error", () => {});
    socket.write(`${JSON.stringify(request)}\n`);
  });
}

/** The status of this build's daemon, when one is running. */
export async function daemonStatus(typescriptFile: string, env: NodeJS.ProcessEnv = process.env): Promise<DaemonStatus | undefined> {
  const place = daemonPlace(typescriptFile, env);
  const reply = place && (await ask(place.socket, { kind: "status" }));
  return reply && "status" in reply ? reply.status : undefined;
}

/** Stops every daemon of the user (this build's and older ones); returns how many were running. */
export async function stopDaemons(typescriptFile: string, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const place = daemonPlace(typescriptFile, env);
  if (!place) return 0;
  let stopped = 0;
  for (const socket of socketsIn(place.dir)) if (await stopDaemonAt(socket)) stopped++;
  return stopped;
}

async function stopOtherDaemons(place: DaemonPlace): Promise<void> {
  for (const socket of socketsIn(place.dir)) if (socket !== place.socket) await stopDaemonAt(socket);
}

/** Stops the daemon at `socketPath`, or removes the socket a daemon that died left. */
async function stopDaemonAt(socketPath: string): Promise<boolean> {
  if (await ask(socketPath, { kind: "stop" })) return true;
  fs.rmSync(socketPath, { force: true });
  return false;
}

function socketsIn(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir)
      .filter((name) => /^daemon-\w+\.sock$/.test(name))
      .map((name) => path.join(dir, name));
  } catch {
    return [];
  }
}
