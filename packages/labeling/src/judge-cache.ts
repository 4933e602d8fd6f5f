import { appendFile, mkdir, readFile } from "node:fs/promises";
import { dirname } from "node:path";

/** Token counts that a chat-completions server reported for one response. */
export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

/** A stored chat-completions response: the parsed HTTP body as the server sent it. */
export interface CachedResponse {
  body: unknown;
  usage: TokenUsage;
  /** Model name the server reported, or the requested model when the server did not say. */
  model: string;
  /** Wall-clock time the response arrived, milliseconds since the Unix epoch. */
  createdAtMs: number;
}

/**
 * Storage for LLM responses keyed by the SHA-256 of the canonical request body, so that a rerun
 * sends no request that was already answered and pays for no token twice.
 */
export interface JudgeCache {
  get(key: string): Promise<CachedResponse | undefined>;
  put(key: string, entry: CachedResponse): Promise<void>;
}

/** A cache that lives as long as the process. */
export class MemoryJudgeCache implements JudgeCache {
  private readonly entries = new Map<string, CachedResponse>();

  async get(key: string): Promise<CachedResponse | undefined> {
    return this.entries.get(key);
  }

  async put(key: string, entry: CachedResponse): Promise<void> {
    this.entries.set(key, entry);
  }

  get size(): number {
    return this.entries.size;
  }
}

interface CacheLine {
  key: string;
  entry: CachedResponse;
}

/**
 * An append-only JSON Lines file with one `{key, entry}` record a line. Each `put` appends one
 * complete line in a single write, so a killed process loses at most the line it was writing. On
 * load, lines that do not parse (such as that torn last line) are skipped and counted in
 * `skippedLines`; the next append starts on a fresh line. A later line for the same key wins.
 */
export class JsonlJudgeCache implements JudgeCache {
  readonly path: string;
  private entries: Map<string, CachedResponse> | undefined;
  private loading: Promise<Map<string, CachedResponse>> | undefined;
  /** Serialises appends so that concurrent puts never interleave within a line. */
  private writeChain: Promise<void> = Promise.resolve();
  private needsLeadingNewline = false;
  private skipped = 0;

  constructor(path: string) {
    this.path = path;
  }

  /** Number of unreadable lines skipped while loading the file. */
  get skippedLines(): number {
    return this.skipped;
  }

  async get(key: string): Promise<CachedResponse | undefined> {
    const entries = await this.load();
    return entries.get(key);
  }

  async put(key: string, entry: CachedResponse): Promise<void> {
    const entries = await this.load();
    entries.set(key, entry);
    const line: CacheLine = { key, entry };
    const prefix = this.needsLeadingNewline ? "\n" : "";
    this.needsLeadingNewline = false;
    const text = `${prefix}${JSON.stringify(line)}\n`;
    const write = this.writeChain.then(() => appendFile(this.path, text, "utf8"));
    // A failed append must not block later appends, but its caller still sees the error.
    this.writeChain = write.catch(() => {});
    await write;
  }

  private load(): Promise<Map<string, CachedResponse>> {
    if (this.entries !== undefined) return Promise.resolve(this.entries);
    this.loading ??= this.readFile().then((entries) => {
      this.entries = entries;
      return entries;
    });
    return this.loading;
  }

  private async readFile(): Promise<Map<string, CachedResponse>> {
    const entries = new Map<string, CachedResponse>();
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      await mkdir(dirname(this.path), { recursive: true });
      return entries;
    }
    this.needsLeadingNewline = text.length > 0 && !text.endsWith("\n");
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      const record = parseCacheLine(line);
      if (record === undefined) {
        this.skipped++;
        continue;
      }
      entries.set(record.key, record.entry);
    }
    return entries;
  }
}

function parseCacheLine(line: string): CacheLine | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const record = value as Partial<CacheLine>;
  if (typeof record.key !== "string" || typeof record.entry !== "object" || record.entry === null) return undefined;
  return record as CacheLine;
}
