// A V8 startup snapshot of the work every run repeats before it reads the project's own code:
// loading the TypeScript compiler, and parsing and binding the declaration files the program is
// built on (the standard library, @types/node, the ORMs' and frameworks' types). On a run over one
// changed file that is most of the time. The binary starts a run from the snapshot
// (`node --snapshot-blob`), and the compiler it finds there hands ts-morph each prepared file whose
// name, text and parse options are unchanged (startup-snapshot/builder.cts); any other file is
// parsed as usual, so a stale snapshot costs time, never a different result.
//
// A snapshot belongs to one command line in one directory (a slot): the CI job's full check and its
// `--changed-since` run read different programs, and each starts from the declaration files of its
// own. The second run of a command line that has no snapshot, and a run that found too few of its
// declaration files in its snapshot, have one built in the background after they exit
// (startup-snapshot/build.ts), at low priority; the next run uses it. A command line run once gets none.
// Snapshots live beside the code cache, keyed by the Node binary, the compiler file and the snapshot
// scripts, at most `MAX_SLOTS` of them. `TENANT_LINT_NO_STARTUP_SNAPSHOT=1` turns snapshots off, and
// `TENANT_LINT_NO_COMPILE_CACHE=1` both caches. Any failure to build, check or start one leaves runs
// to start as usual.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
// Types only: the binary loads this module before it chooses which compiler the process uses.
import type { ts } from "@tenant-lint/core";
import { defaultCacheDir, fnv1a, runtimeIdentity, writeCache } from "./compile-cache.js";

/** What a process started from the snapshot finds on `globalThis` (set by builder.cts). */
export interface SnapshotState {
  /** The emit target the prepared files were bound for; a program with another gets none of them. */
  readonly bindTarget: ts.ScriptTarget;
  enabled: boolean;
  hits: number;
  misses: number;
  readonly fileCount: number;
}

/** What a slot's `startup-<slot>.json` says of its snapshot, or that it could not be built. */
type SnapshotPointer =
  | {
      readonly key: string;
      readonly blob: string;
      /** The blob's size: a blob of another size is not the one that was checked. */
      readonly size: number;
      readonly files: number;
    }
  | { readonly key: string; readonly failed: true; readonly at: number };

/** What a run writes for the background build of its slot's snapshot (`TENANT_LINT_SNAPSHOT_INPUT`). */
export interface SnapshotInput {
  /** The compiler file the CLI's process loads (ts-morph's copy). */
  readonly typescript: string;
  /** The options declaration files are bound with: of the compiler options, the binder reads only the emit target for them. */
  readonly bindOptions: { readonly target: ts.ScriptTarget };
  readonly files: readonly { fileName: string; text: string; languageVersion: ts.ScriptTarget; scriptKind: ts.ScriptKind }[];
}

const STATE_KEY = Symbol.for("tenant-lint.startup-snapshot");
const SCRIPTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "startup-snapshot");
/** The script `--build-snapshot` runs: it evaluates builder.cjs. */
const SNAPSHOT_SCRIPT = path.join(SCRIPTS_DIR, "..", "..", "bin", "startup-snapshot.cjs");
const BUILD_SCRIPT = path.join(SCRIPTS_DIR, "build.js");
/** A snapshot is rebuilt when more of the run's declaration files than this share were not in it. */
const MISSED_SHARE_TO_REBUILD = 0.1;
const MAX_SLOTS = 4;
const RETRY_FAILED_BUILD_MS = 24 * 60 * 60_000;
const SEEN_KEPT_MS = 30 * 24 * 60 * 60_000;
/** A build lock older than this was left by a build that died. */
const STALE_LOCK_MS = 10 * 60_000;

function snapshotState(): SnapshotState | undefined {
  return (globalThis as Record<symbol, SnapshotState | undefined>)[STATE_KEY];
}

/**
 * Off when asked, and in a process started with Node options of its own (`--inspect`, `--cpu-prof`,
 * V8 flags): a snapshot starts only under the V8 flags it was built with, and a build under
 * `--inspect` would open a debugger. `NODE_OPTIONS`, which every process inherits, is in the key.
 */
function disabled(): boolean {
  return Boolean(process.env.TENANT_LINT_NO_STARTUP_SNAPSHOT || process.env.TENANT_LINT_NO_COMPILE_CACHE || ownNodeOptions().length > 0);
}

/** The process's Node options, but for the `--snapshot-blob` it was started from a snapshot with. */
function ownNodeOptions(): readonly string[] {
  const options = [...process.execArgv];
  const blob = options.indexOf("--snapshot-blob");
  if (blob >= 0 && snapshotState()) options.splice(blob, 2);
  return options;
}

/** The slot of a command line run in a directory. */
export function snapshotSlot(cwd: string, args: readonly string[]): string {
  return fnv1a(JSON.stringify([cwd, ...args]));
}

const slotFile = (cacheDir: string, slot: string, suffix: string) => path.join(cacheDir, `startup-${slot}${suffix}`);

/**
 * Runs the binary again from its slot's startup snapshot, when there is one for this Node and
 * compiler, and returns the exit code; undefined when this process should run the command itself.
 */
export function runFromStartupSnapshot(bin: string, args: readonly string[], typescriptFile: string, cacheDir = defaultCacheDir()): number | undefined {
  if (disabled() || snapshotState()) return undefined;
  const pointerFile = slotFile(cacheDir, snapshotSlot(process.cwd(), args), ".json");
  const pointer = readPointer(pointerFile);
  if (!pointer || "failed" in pointer || pointer.key !== snapshotKey(typescriptFile) || sizeOf(pointer.blob) !== pointer.size) return undefined;
  touch(pointerFile);
  // The child writes to a fourth stream once the snapshot has loaded: a snapshot V8 refuses, or a
  // damaged one, stops it before that, and the command then runs here, without the snapshot.
  const child = spawnSync(process.execPath, ["--snapshot-blob", pointer.blob, bin, ...args], {
    stdio: ["inherit", "inherit", "inherit", "pipe"],
    env: { ...process.env, TENANT_LINT_SNAPSHOT_STARTED_FD: "3" },
  });
  if (child.error) return undefined;
  if (!child.output[3]?.length) {
    fs.rmSync(pointerFile, { force: true });
    return undefined;
  }
  if (child.signal) {
    process.kill(process.pid, child.signal);
    return 2;
  }
  return child.status ?? 2;
}

interface RecordedProgram {
  readonly program: ts.Program;
  readonly emitTarget: ts.ScriptTarget;
}

let recordedPrograms: RecordedProgram[] | undefined;

/** Has `programLoaded` keep the programs this process loads, for `refreshStartupSnapshot`. */
export function recordProgramsForStartupSnapshot(): void {
  if (!disabled()) recordedPrograms = [];
}

/**
 * Called before a program is created, with the emit target of its options (`ts.getEmitScriptTarget`):
 * the snapshot's files were bound for one emit target, and a program for another parses its own.
 */
export function useStartupSnapshotFor(emitTarget: ts.ScriptTarget): void {
  const state = snapshotState();
  if (state && emitTarget !== state.bindTarget) state.enabled = false;
}

/** Called once a program is created. */
export function programLoaded(program: ts.Program, emitTarget: ts.ScriptTarget): void {
  recordedPrograms?.push({ program, emitTarget });
}

/** One line for `TENANT_LINT_DEBUG`: whether the run started from a snapshot, and what it reused. */
export function describeStartupSnapshot(): string {
  const state = snapshotState();
  if (!state) return "tenant-lint: started without a startup snapshot";
  return `tenant-lint: started from a startup snapshot of ${state.fileCount} declaration files; ${state.hits} reused, ${state.misses} parsed`;
}

/**
 * After a run: when it had no snapshot or found too few of its declaration files in it, starts a
 * background build of its slot's snapshot from the first program's declaration files. Returns
 * whether a build was started.
 */
export function refreshStartupSnapshot(args: readonly string[], typescriptFile: string, cacheDir = defaultCacheDir()): boolean {
  const recorded = recordedPrograms?.[0];
  if (!recorded || disabled()) return false;
  const state = snapshotState();
  if (state && state.enabled && state.misses <= MISSED_SHARE_TO_REBUILD * (state.hits + state.misses)) return false;
  const slot = snapshotSlot(process.cwd(), args);
  const pointer = readPointer(slotFile(cacheDir, slot, ".json"));
  // A build that failed is tried again only with another Node, compiler or scripts, or a day later.
  if (pointer && "failed" in pointer && pointer.key === snapshotKey(typescriptFile) && Date.now() - pointer.at < RETRY_FAILED_BUILD_MS) return false;
  try {
    fs.mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    // A command line run once (a look at some directory) gets no snapshot: its second run builds one.
    const seen = slotFile(cacheDir, slot, ".seen");
    if (!state && !fs.existsSync(seen)) {
      fs.writeFileSync(seen, "", { mode: 0o600 });
      return false;
    }
    if (!takeLock(slotFile(cacheDir, slot, ".lock"))) return false;
    const files = recorded.program
      .getSourceFiles()
      .filter((file) => file.isDeclarationFile)
      .map((file) => ({ fileName: file.fileName, text: file.text, languageVersion: file.languageVersion, scriptKind: (file as unknown as { scriptKind: ts.ScriptKind }).scriptKind }));
    const input: SnapshotInput = { typescript: typescriptFile, bindOptions: { target: recorded.emitTarget }, files };
    fs.writeFileSync(slotFile(cacheDir, slot, ".input.json"), JSON.stringify(input), { mode: 0o600 });
    const build = spawn(process.execPath, [BUILD_SCRIPT, cacheDir, slot, typescriptFile], { detached: true, stdio: "ignore", windowsHide: true });
    build.on("error", () => {});
    build.unref();
    return true;
  } catch {
    return false;
  }
}

/**
 * The background build of a slot's snapshot from its input file: `node --build-snapshot`, then a
 * start from the new snapshot, which must succeed before the slot points at it. Always releases
 * the slot's lock.
 */
export function buildStartupSnapshot(cacheDir: string, slot: string, typescriptFile: string): boolean {
  const inputFile = slotFile(cacheDir, slot, ".input.json");
  const partial = slotFile(cacheDir, slot, `.${process.pid}.tmp`);
  const blob = slotFile(cacheDir, slot, ".blob");
  try {
    const build = spawnSync(process.execPath, ["--snapshot-blob", partial, "--build-snapshot", SNAPSHOT_SCRIPT], {
      env: { ...process.env, TENANT_LINT_SNAPSHOT_INPUT: inputFile },
      stdio: "ignore",
      timeout: 300_000,
    });
    const check = build.status === 0 ? spawnSync(process.execPath, ["--snapshot-blob", partial], { env: { ...process.env, TENANT_LINT_SNAPSHOT_SELF_TEST: "1" }, encoding: "utf8", timeout: 60_000 }) : undefined;
    const files = Number(check?.stdout?.trim());
    if (check?.status !== 0 || !(files >= 0)) {
      writePointer(slotFile(cacheDir, slot, ".json"), { key: snapshotKey(typescriptFile), failed: true, at: Date.now() });
      return false;
    }
    // It holds the text of the program's declaration files, like the input it was made from.
    fs.chmodSync(partial, 0o600);
    const size = fs.statSync(partial).size;
    fs.renameSync(partial, blob);
    writePointer(slotFile(cacheDir, slot, ".json"), { key: snapshotKey(typescriptFile), blob, size, files });
    fs.rmSync(slotFile(cacheDir, slot, ".seen"), { force: true });
    evictSlots(cacheDir);
    return true;
  } catch {
    return false;
  } finally {
    fs.rmSync(inputFile, { force: true });
    fs.rmSync(partial, { force: true });
    fs.rmSync(slotFile(cacheDir, slot, ".lock"), { force: true });
  }
}

/** The Node binary and options, the compiler file and the snapshot scripts a snapshot was made with. */
function snapshotKey(typescriptFile: string): string {
  return runtimeIdentity([typescriptFile, SNAPSHOT_SCRIPT, path.join(SCRIPTS_DIR, "builder.cjs"), path.join(SCRIPTS_DIR, "launch.cjs")]);
}

/** Keeps the `MAX_SLOTS` snapshots used last (a run touches its slot's pointer), and a month of one-off runs' marks. */
function evictSlots(cacheDir: string): void {
  for (const name of fs.readdirSync(cacheDir).filter((name) => /^startup-\w+\.seen$/.test(name))) {
    const file = path.join(cacheDir, name);
    if (Date.now() - fs.statSync(file).mtimeMs > SEEN_KEPT_MS) fs.rmSync(file, { force: true });
  }
  const pointers = fs
    .readdirSync(cacheDir)
    .filter((name) => /^startup-\w+\.json$/.test(name))
    .map((name) => ({ file: path.join(cacheDir, name), used: fs.statSync(path.join(cacheDir, name)).mtimeMs }))
    .sort((a, b) => b.used - a.used);
  for (const { file } of pointers.slice(MAX_SLOTS)) {
    fs.rmSync(file.replace(/\.json$/, ".blob"), { force: true });
    fs.rmSync(file, { force: true });
  }
}

function takeLock(lockFile: string): boolean {
  try {
    fs.writeFileSync(lockFile, String(process.pid), { flag: "wx", mode: 0o600 });
    return true;
  } catch {
    try {
      if (Date.now() - fs.statSync(lockFile).mtimeMs < STALE_LOCK_MS) return false;
      fs.writeFileSync(lockFile, String(process.pid), { mode: 0o600 });
      return true;
    } catch {
      return false;
    }
  }
}

function sizeOf(file: string): number | undefined {
  try {
    return fs.statSync(file).size;
  } catch {
    return undefined;
  }
}

function touch(file: string): void {
  try {
    const now = new Date();
    fs.utimesSync(file, now, now);
  } catch {
    // Only the eviction order depends on it.
  }
}

function readPointer(file: string): SnapshotPointer | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as SnapshotPointer;
  } catch {
    return undefined;
  }
}

function writePointer(file: string, pointer: SnapshotPointer): void {
  writeCache(file, JSON.stringify(pointer));
}
