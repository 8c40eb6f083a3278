// Preloaded into every measured process (through NODE_OPTIONS, so processes they start, like the
// policy pack, report too): writes the process's peak resident set size (KB) and CPU time (µs) to
// <BENCH_USAGE_DIR>/<pid>.json when it exits, or when it is stopped with SIGTERM (the plan stops
// the policy pack that way). Plain JavaScript so it loads without ts-node (tsc).
"use strict";
const fs = require("fs");
const path = require("path");

const dir = process.env.BENCH_USAGE_DIR;
if (dir) {
  const report = () => {
    const { maxRSS, userCPUTime, systemCPUTime } = process.resourceUsage();
    fs.writeFileSync(path.join(dir, `${process.pid}.json`), JSON.stringify({ maxRSS, cpu: userCPUTime + systemCPUTime }));
  };
  process.on("exit", report);
  process.once("SIGTERM", () => {
    report();
    process.off("exit", report);
    // With no listener left, SIGTERM gets its default effect again: end the process.
    process.kill(process.pid, "SIGTERM");
  });
}
