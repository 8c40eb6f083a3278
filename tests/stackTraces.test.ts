import { withCheapStackTraces } from "../tools/engine/stackTraces";

describe("withCheapStackTraces", () => {
  it("turns traces off inside and restores the limit and the source-map hook after", async () => {
    const before = { limit: Error.stackTraceLimit, prepare: Error.prepareStackTrace };
    const inside = await withCheapStackTraces(async () => ({ limit: Error.stackTraceLimit, stack: new Error("boom").stack }));
    expect(inside).toEqual({ limit: 0, stack: "Error: boom" });
    expect(Error.stackTraceLimit).toBe(before.limit);
    expect(Error.prepareStackTrace).toBe(before.prepare);
  });

  it("restores them when the run throws", async () => {
    const limit = Error.stackTraceLimit;
    await expect(withCheapStackTraces(async () => Promise.reject(new Error("failed run")))).rejects.toThrow("failed run");
    expect(Error.stackTraceLimit).toBe(limit);
  });

  it("keeps traces when PULUMI_DEBUG_PROMISE_LEAKS asks for them", async () => {
    process.env.PULUMI_DEBUG_PROMISE_LEAKS = "true";
    try {
      const limit = await withCheapStackTraces(async () => Error.stackTraceLimit);
      expect(limit).toBe(Error.stackTraceLimit);
      expect(limit).toBeGreaterThan(0);
    } finally {
      delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    }
  });
});
