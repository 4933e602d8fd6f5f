import type { ConfigIssue } from "./errors.js";

/**
 * Replaces every `${NAME}` inside the strings of a parsed config with the environment variable
 * `NAME`, walking arrays and objects. An unset or empty variable becomes "" and adds an issue at the
 * value's dotted path, so a caller can report all of them at once.
 */
export function expandEnvironmentVariables(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
  issues: ConfigIssue[],
  at = "",
): unknown {
  if (typeof value === "string") {
    return value.replace(/\$\{(\w+)\}/g, (_match, name: string) => {
      const found = env[name];
      if (found === undefined || found === "") {
        issues.push({ path: at, message: `environment variable ${name} is not set; set it or edit the value` });
        return "";
      }
      return found;
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => expandEnvironmentVariables(item, env, issues, `${at}.${i}`));
  if (typeof value === "object" && value !== null) {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      result[key] = expandEnvironmentVariables(item, env, issues, at ? `${at}.${key}` : key);
    }
    return result;
  }
  return value;
}
