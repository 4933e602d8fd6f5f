import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "@mine-refine/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCK_FILE, lockDirectory } from "./directory-lock.js";
import { StoreError } from "./errors.js";
import { maskUrlPasswords } from "./mask-url.js";
import { openStore, type Store } from "./store.js";
import { noteSkippedPostgres, PG_URL } from "./test/backends.js";
import { startChild } from "./test/child-process.js";

const PASSWORD = "Sup3r-s3cret-pw";

/** Opens a store expecting failure and returns the StoreError. */
async function openError(options: Parameters<typeof openStore>[0]): Promise<StoreError> {
  const error = await openStore(options).then(
    async (store) => {
      await store.close();
      return undefined;
    },
    (caught: unknown) => caught,
  );
  if (!(error instanceof StoreError)) throw new Error(`Expected a StoreError, got ${String(error)}`);
  return error;
}

/** Starts a server on 127.0.0.1 that accepts connections and never sends a byte. */
async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("Server has no TCP address");
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Returns a loopback port that nothing listens on, bound once by the test and then released. */
async function closedPort(): Promise<number> {
  const server = await startSilentServer();
  await server.close();
  return server.port;
}

describe("maskUrlPasswords", () => {
  it("masks the password", () => {
    expect(maskUrlPasswords(`postgresql://ann:${PASSWORD}@db:5432/x`)).toBe("postgresql://ann:***@db:5432/x");
  });

  it("keeps a URL without password", () => {
    expect(maskUrlPasswords("postgresql://ann@db/x")).toBe("postgresql://ann@db/x");
  });

  it("masks every URL in a text", () => {
    expect(maskUrlPasswords("a postgres://u:p1@h/d and mysql://v:p2@h/d")).toBe("a postgres://u:***@h/d and mysql://v:***@h/d");
  });
});

describe("openStore URL errors", () => {
  it("refused port fails with connection_failed", async () => {
    const port = await closedPort();
    const error = await openError({ url: `postgresql://ann:${PASSWORD}@127.0.0.1:${port}/db` });
    expect(error.code).toBe("connection_failed");
    expect(error.message).toMatch(/ECONNREFUSED/);
  });

  it("refused port message hides the password", async () => {
    const port = await closedPort();
    const error = await openError({ url: `postgresql://ann:${PASSWORD}@127.0.0.1:${port}/db` });
    expect(error.message).not.toContain(PASSWORD);
    expect(error.message).toContain("ann:***@");
  });

  it("silent server times out", async () => {
    const server = await startSilentServer();
    try {
      const error = await openError({ url: `postgresql://ann:${PASSWORD}@127.0.0.1:${server.port}/db`, connectTimeoutMs: 300 });
      expect(error.code).toBe("connection_failed");
      expect(error.message).toMatch(/timeout/i);
      expect(error.message).not.toContain(PASSWORD);
    } finally {
      await server.close();
    }
  });

  it("malformed port is invalid_url", async () => {
    const error = await openError({ url: `postgresql://ann:${PASSWORD}@127.0.0.1:port/db` });
    expect(error.code).toBe("invalid_url");
    expect(error.message).not.toContain(PASSWORD);
  });

  it("missing database is invalid_url", async () => {
    const error = await openError({ url: `postgres://ann:${PASSWORD}@127.0.0.1:5432` });
    expect(error.message).toMatch(/database name is missing/);
  });

  it("other scheme is invalid_url", async () => {
    const error = await openError({ url: `mysql://ann:${PASSWORD}@127.0.0.1/db` });
    expect(error.code).toBe("invalid_url");
    expect(error.message).not.toContain(PASSWORD);
  });
});

if (PG_URL === undefined) {
  describe("openStore on postgres", noteSkippedPostgres);
} else {
  const pgUrl: string = PG_URL;
  const serverUrl = new URL(pgUrl);

  describe("openStore on postgres", () => {
    it("wrong password fails without showing it", async () => {
      const wrong = new URL(pgUrl);
      wrong.password = PASSWORD;
      const error = await openError({ url: wrong.toString() });
      expect(error.code).toBe("connection_failed");
      expect(error.message).toMatch(/password authentication failed/);
      expect(error.message).not.toContain(PASSWORD);
    });

    it("logs never contain the password", async () => {
      const records: string[] = [];
      const logger: Logger = { log: (level, message, fields) => records.push(JSON.stringify({ level, message, fields })) };
      const store = await openStore({ url: pgUrl, logger });
      await store.close();
      expect(records.length).toBeGreaterThan(0);
      expect(records.join("\n")).not.toContain(decodeURIComponent(serverUrl.password));
    });

    it("location masks the password", async () => {
      const store = await openStore({ url: pgUrl });
      await store.close();
      expect(store.location).not.toContain(decodeURIComponent(serverUrl.password));
    });
  });
}

describe("openStore directory", () => {
  // A fresh PGlite directory costs several seconds of initdb, so these tests share one store.
  let root: string;
  let directory: string;
  let store: Store | undefined;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "mine-refine-store-"));
    directory = join(root, "nested", "store");
    store = await openStore({ directory });
    await store.createRun("run-1", { seed: 1 });
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("second opener in another process is rejected", { timeout: 30_000 }, async () => {
    const result = await startChild(["open", directory], {}).exited;
    expect(result.code).toBe(1);
    expect(result.events[0]?.code).toBe("directory_locked");
    expect(result.events[0]?.message).toContain(`already open in process ${process.pid}`);
  });

  it("second opener in this process is rejected", async () => {
    const error = await openError({ directory });
    expect(error.code).toBe("directory_locked");
    expect(error.message).toContain("already open in this process");
  });

  it("reopen after close keeps the data", { timeout: 30_000 }, async () => {
    await store!.close();
    store = undefined;
    expect(existsSync(join(directory, LOCK_FILE))).toBe(false);
    store = await openStore({ directory });
    expect((await store.getRun("run-1"))?.config).toEqual({ seed: 1 });
  });

  it("lock of a dead process is taken over", () => {
    const lockRoot = join(root, "lock-only");
    // The pid of a process that has exited, standing for a store killed before it released its lock.
    const deadPid = spawnSync(process.execPath, ["-e", ""]).pid;
    mkdirSync(lockRoot, { recursive: true });
    writeFileSync(join(lockRoot, LOCK_FILE), JSON.stringify({ pid: deadPid, token: "stale" }));
    const lock = lockDirectory(lockRoot);
    expect(JSON.parse(readFileSync(join(lockRoot, LOCK_FILE), "utf8")).pid).toBe(process.pid);
    lock.release();
  });
});
