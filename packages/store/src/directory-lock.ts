import { closeSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { StoreError } from "./errors.js";

/** Name of the lock file inside a store directory. */
export const LOCK_FILE = "store.lock";

/** A held store directory lock. */
export interface DirectoryLock {
  release(): void;
}

interface LockHolder {
  pid: number;
  token: string;
}

/**
 * Takes the lock of an embedded store directory. PGlite runs one PostgreSQL backend inside the
 * process and does not lock its data directory itself, so two processes (or two stores in one
 * process) writing one directory would corrupt it. The lock file records the holder's pid. A lock
 * whose process no longer exists, as after a SIGKILL, is taken over.
 *
 * @throws StoreError `directory_locked` while a live process, this one included, holds the lock.
 */
export function lockDirectory(directory: string): DirectoryLock {
  const path = join(directory, LOCK_FILE);
  const holder: LockHolder = { pid: process.pid, token: `${process.pid}-${Date.now()}-${Math.random()}` };

  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(path, holder)) return { release: () => releaseLock(path, holder) };

    const current = readHolder(path);
    if (current !== undefined && isProcessAlive(current.pid)) {
      const holderName = current.pid === process.pid ? "this process" : `process ${current.pid}`;
      throw new StoreError(
        "directory_locked",
        `Store directory ${directory} is already open in ${holderName} (lock file ${path}). ` +
          "An embedded store serves one process at a time: close the other store first, " +
          "or share a PostgreSQL server between processes by passing a postgres:// URL.",
      );
    }
    // The holder is gone. Move its lock aside under a unique name so that two processes that
    // both saw it stale cannot both remove a fresh lock, then try again.
    try {
      renameSync(path, `${path}.stale-${holder.token}`);
      rmSync(`${path}.stale-${holder.token}`, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  // NOTE: a process that creates its lock between another process's staleness check and rename can
  // still lose that lock. The window is a few system calls wide.
  throw new StoreError(
    "directory_locked",
    `Could not take the lock ${path} after 3 attempts because other processes kept taking it. Try again.`,
  );
}

function tryCreate(path: string, holder: LockHolder): boolean {
  let fd: number;
  try {
    fd = openSync(path, "wx");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  try {
    writeSync(fd, JSON.stringify(holder));
  } finally {
    closeSync(fd);
  }
  return true;
}

function readHolder(path: string): LockHolder | undefined {
  try {
    const value = JSON.parse(readFileSync(path, "utf8")) as Partial<LockHolder>;
    if (typeof value.pid === "number" && typeof value.token === "string") return { pid: value.pid, token: value.token };
  } catch {
    // Missing, or half written by a process killed while writing it: no live holder.
  }
  return undefined;
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function releaseLock(path: string, holder: LockHolder): void {
  if (readHolder(path)?.token === holder.token) rmSync(path, { force: true });
}
