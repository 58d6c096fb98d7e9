// The background process that builds a slot's startup snapshot (../startup-snapshot.ts), started
// detached by the run that asked for it: `node build.js <cacheDir> <slot> <typescriptFile>`. It
// runs at the lowest priority, so it takes no time from whatever the machine does next.
import os from "node:os";
import { buildStartupSnapshot } from "../startup-snapshot.js";

const [cacheDir, slot, typescriptFile] = process.argv.slice(2);
try {
  os.setPriority(19);
} catch {
  // Not permitted: the build runs at the priority it has.
}
if (cacheDir && slot && typescriptFile) buildStartupSnapshot(cacheDir, slot, typescriptFile);
