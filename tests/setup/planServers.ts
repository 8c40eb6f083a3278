import { ChildProcess, fork } from "child_process";
import * as http from "http";
import * as path from "path";
import type { Capture } from "../../tools/engine/capture";
import type { RunOptions } from "../../tools/engine/engine";

/** Plan servers (tests/setup/planServer.ts): one per jest worker, started for one `npm test` run. */

/** The socket of the server that serves jest worker `workerId`, in the run's directory. */
export function planServerSocket(dir: string, workerId: string): string {
  return path.join(dir, `plan-server-${workerId}.sock`);
}

/** Starts a server for each of `workers` jest workers; resolves once every one listens. */
export function startPlanServers(dir: string, workers: number): Promise<ChildProcess[]> {
  const start = (workerId: string) =>
    new Promise<ChildProcess>((resolve, reject) => {
      const child = fork(path.join(__dirname, "planServer.ts"), [planServerSocket(dir, workerId)], {
        execArgv: ["-r", "ts-node/register/transpile-only"],
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      });
      const early = (code: number | null) => reject(new Error(`plan server ${workerId} exited (code ${code}) before listening`));
      child.once("exit", early);
      child.once("message", () => {
        child.off("exit", early);
        resolve(child);
      });
    });
  return Promise.all(Array.from({ length: workers }, (_, i) => start(String(i + 1))));
}

/** What a plan server is asked: run options as JSON, with the config keys set to `undefined` named (JSON drops them). */
export interface PlanRequest {
  options: RunOptions;
  unset: string[];
}

/** Runs a stack in the plan server listening on `socketPath`. */
export function planInServer(socketPath: string, request: PlanRequest): Promise<Capture> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, method: "POST", path: "/" }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => (res.statusCode === 200 ? resolve(JSON.parse(body) as Capture) : reject(new Error(`plan server failed: ${body}`))));
    });
    req.on("error", reject);
    req.end(JSON.stringify(request));
  });
}
