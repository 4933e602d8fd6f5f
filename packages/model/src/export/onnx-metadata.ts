/**
 * Reads ModelProto.metadata_props (field 14, entries of key = 1 and value = 2) from encoded ONNX
 * bytes. onnxruntime-node 1.30 does not expose a model's metadata, so the loader reads it here. Only
 * the top level of the message is walked and every other field is skipped by its wire type, so large
 * initializers cost no decoding.
 */

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;
const MODEL_METADATA_PROPS = 14;

const utf8 = new TextDecoder("utf-8", { fatal: true });

class ProtoReader {
  position: number;

  constructor(
    private readonly bytes: Uint8Array,
    start: number,
    readonly end: number,
  ) {
    this.position = start;
  }

  /** Reads a varint up to 2^53, enough for every tag and length in a file below 8 PiB. */
  varint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      if (this.position >= this.end) throw new RangeError(`ONNX metadata: truncated varint at byte ${this.position}`);
      const byte = this.bytes[this.position++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
      if (scale > 2 ** 63) throw new RangeError(`ONNX metadata: varint longer than 10 bytes at byte ${this.position}`);
    }
  }

  /** Returns [start, end) of the length-delimited field that follows, and moves past it. */
  delimited(): [number, number] {
    const length = this.varint();
    const start = this.position;
    if (start + length > this.end) throw new RangeError(`ONNX metadata: field of ${length} bytes at byte ${start} runs past the end at ${this.end}`);
    this.position = start + length;
    return [start, start + length];
  }

  skip(wireType: number): void {
    if (wireType === WIRE_VARINT) this.varint();
    else if (wireType === WIRE_FIXED64) this.position += 8;
    else if (wireType === WIRE_FIXED32) this.position += 4;
    else if (wireType === WIRE_LENGTH_DELIMITED) this.delimited();
    else throw new RangeError(`ONNX metadata: unsupported wire type ${wireType} at byte ${this.position}`);
  }
}

/** Returns the metadata_props of an encoded ModelProto as a key → value map. */
export function readOnnxMetadata(bytes: Uint8Array): Map<string, string> {
  const metadata = new Map<string, string>();
  const model = new ProtoReader(bytes, 0, bytes.length);
  while (model.position < model.end) {
    const tag = model.varint();
    const field = Math.floor(tag / 8);
    const wireType = tag % 8;
    if (field !== MODEL_METADATA_PROPS || wireType !== WIRE_LENGTH_DELIMITED) {
      model.skip(wireType);
      continue;
    }
    const [start, end] = model.delimited();
    const entry = new ProtoReader(bytes, start, end);
    let key = "";
    let value = "";
    while (entry.position < entry.end) {
      const entryTag = entry.varint();
      const entryField = Math.floor(entryTag / 8);
      if (entryTag % 8 !== WIRE_LENGTH_DELIMITED) {
        entry.skip(entryTag % 8);
        continue;
      }
      const [from, to] = entry.delimited();
      if (entryField === 1) key = utf8.decode(bytes.subarray(from, to));
      else if (entryField === 2) value = utf8.decode(bytes.subarray(from, to));
    }
    metadata.set(key, value);
  }
  return metadata;
}
