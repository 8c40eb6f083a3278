import * as http from "http";
import { runStack } from "../../tools/engine/engine";
import type { PlanRequest } from "./planServers";

/**
 * A plan server: the offline engine in a process of its own, serving one jest worker over a Unix
 * socket (argv[2]). POST a {@link PlanRequest} as JSON; the answer is the capture as JSON.
 *
 * Why not run plans inside the jest worker: jest runs every test inside an AsyncLocalStorage
 * context, so Node's promise hooks fire for each of the thousands of promises the Pulumi SDK
 * makes per resource, and each test file loads the SDK anew and runs it cold. A plan took about
 * twice the CPU time there that it takes in a plain, warm Node process.
 */
const socketPath = process.argv[2];

const server = http.createServer((req, res) => {
  let body = "";
  req.setEncoding("utf8");
  req.on("data", (chunk: string) => (body += chunk));
  req.on("end", () => {
    const { options, unset } = JSON.parse(body) as PlanRequest;
    const config = options.config === undefined ? undefined : { ...options.config, ...Object.fromEntries(unset.map((key) => [key, undefined])) };
    runStack({ ...options, config }).then(
      (capture) => res.end(JSON.stringify(capture)),
      (err: unknown) => {
        res.statusCode = 500;
        res.end(err instanceof Error ? (err.stack ?? err.message) : String(err));
      },
    );
  });
});
server.listen(socketPath, () => process.send?.("listening"));
// The jest run that started this server is gone: so is the server.
process.on("disconnect", () => process.exit(0));
