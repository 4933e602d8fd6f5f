import { describe, expect, it } from "vitest";
import { ProtoWriter } from "./protobuf.js";

describe("ProtoWriter", () => {
  it("varint 300", () => {
    expect([...new ProtoWriter().varint(300).finish()]).toEqual([0xac, 0x02]);
  });

  it("varint negative uses ten bytes", () => {
    expect([...new ProtoWriter().varint(-1).finish()]).toEqual([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
  });

  it("int field tag and value", () => {
    // Field 1, wire type 0: tag byte 0x08.
    expect([...new ProtoWriter().int(1, 150).finish()]).toEqual([0x08, 0x96, 0x01]);
  });

  it("string field", () => {
    // Field 2, wire type 2: tag byte 0x12, then the length 7.
    expect([...new ProtoWriter().string(2, "testing").finish()]).toEqual([0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67]);
  });

  it("packed ints", () => {
    // Field 4 packed: tag 0x22, length 6, then 3, 270 and 86942 as varints.
    expect([...new ProtoWriter().packedInts(4, [3, 270, 86942]).finish()]).toEqual([0x22, 0x06, 0x03, 0x8e, 0x02, 0x9e, 0xa7, 0x05]);
  });

  it("float field little-endian", () => {
    // Field 2, wire type 5: tag 0x15; 1.0f is 0x3f800000.
    expect([...new ProtoWriter().float(2, 1).finish()]).toEqual([0x15, 0x00, 0x00, 0x80, 0x3f]);
  });

  it("nested message length prefix", () => {
    const bytes = new ProtoWriter().message(3, (child) => child.int(1, 150)).finish();
    expect([...bytes]).toEqual([0x1a, 0x03, 0x08, 0x96, 0x01]);
  });

  it("grows past initial capacity", () => {
    const payload = new Uint8Array(1000).fill(7);
    const bytes = new ProtoWriter().bytes(1, payload).finish();
    expect(bytes.length).toBe(1 + 2 + 1000);
    expect(bytes[bytes.length - 1]).toBe(7);
  });
});
