import { describe, expect, it } from "vitest";
import type { ConfigIssue } from "./errors.js";
import { expandEnvironmentVariables } from "./env.js";

describe("expandEnvironmentVariables", () => {
  it("replaces variables in nested values", () => {
    const issues: ConfigIssue[] = [];
    // biome-ignore lint/suspicious/noTemplateCurlyInString: ${NAME} is the syntax under test
    const result = expandEnvironmentVariables({ a: { b: ["${DIR}/x"] } }, { DIR: "/data" }, issues);
    expect(result).toEqual({ a: { b: ["/data/x"] } });
    expect(issues).toEqual([]);
  });

  it("names an unset variable by path", () => {
    const issues: ConfigIssue[] = [];
    // biome-ignore lint/suspicious/noTemplateCurlyInString: ${NAME} is the syntax under test
    expandEnvironmentVariables({ data: { path: "${NOPE}" } }, {}, issues);
    expect(issues).toEqual([{ path: "data.path", message: "environment variable NOPE is not set; set it or edit the value" }]);
  });
});
