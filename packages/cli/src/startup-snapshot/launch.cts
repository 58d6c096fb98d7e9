// Started by the startup snapshot's main function (builder.cts): the snapshot's own script cannot
// import ES modules, so this CommonJS module, loaded from the disk, imports the binary the process
// was started with (`node --snapshot-blob <blob> <bin> ...args`).
import url = require("node:url");

import(url.pathToFileURL(process.argv[1]!).href).catch((error: unknown) => {
  process.stderr.write(`tenant-lint: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
});
