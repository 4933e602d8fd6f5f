import { InputError } from "@mine-refine/core";
import { zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { decodeText, findInvalidUtf8Offset, unzipCsvMember } from "./read-input.js";

describe("findInvalidUtf8Offset", () => {
  const cases: Array<[string, number[], number]> = [
    ["valid text", [0x61, 0xc3, 0xa9, 0xe3, 0x83, 0x89], -1],
    ["a Latin-1 byte", [0x61, 0x62, 0xe9, 0x20], 2],
    ["a truncated sequence", [0x61, 0xe3, 0x83], 1],
    ["an overlong form", [0xc0, 0x80], 0],
    ["a surrogate", [0x61, 0xed, 0xa0, 0x80], 1],
    ["a stray continuation byte", [0x80], 0],
  ];
  for (const [name, bytes, expected] of cases) {
    it(`finds ${name}`, () => {
      expect(findInvalidUtf8Offset(new Uint8Array(bytes))).toBe(expected);
    });
  }
});

describe("decodeText", () => {
  it("drops a byte order mark", () => {
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]), "utf-8", "a.csv")).toBe("a");
  });

  it("decodes Latin-1", () => {
    expect(decodeText(new Uint8Array([0x63, 0xe9]), "latin1", "a.csv")).toBe("c\u00e9");
  });
});

describe("unzipCsvMember", () => {
  const text = new TextEncoder();

  it("rejects several csv members", () => {
    const archive = zipSync({ "a.csv": text.encode("x"), "b.csv": text.encode("y") });
    expect(() => unzipCsvMember(archive, "two.zip")).toThrow(/a\.csv, b\.csv/);
  });

  it("rejects an archive without csv", () => {
    const archive = zipSync({ "notes.txt": text.encode("x") });
    expect(() => unzipCsvMember(archive, "none.zip")).toThrow(InputError);
  });

  it("rejects bytes that are not a zip", () => {
    expect(() => unzipCsvMember(text.encode("not a zip"), "bad.zip")).toThrow(/zip archive could not be read/);
  });
});
