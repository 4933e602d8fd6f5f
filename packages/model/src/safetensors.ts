/**
 * The safetensors file format: an 8-byte little-endian unsigned header length N, N bytes of JSON
 * header, then the raw little-endian tensor data. The header maps each tensor name to
 * { dtype, shape, data_offsets: [begin, end] }, offsets counted from the start of the data section,
 * plus an optional "__metadata__" map of strings. Only F32 tensors are written and read here.
 */
import { open, readFile } from "node:fs/promises";
import { InputError } from "@mine-refine/core";

export interface SafetensorsTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function requireLittleEndian(): void {
  // NOTE: big-endian hosts would need a byte swap on write and read, which is not implemented.
  if (!littleEndian) throw new Error("safetensors support here requires a little-endian host");
}

/** Builds the header bytes, padded with spaces so the data section starts at a multiple of 8. */
function encodeHeader(tensors: readonly SafetensorsTensor[], metadata: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const tensor of tensors) {
    const count = tensor.shape.reduce((product, dim) => product * dim, 1);
    if (count !== tensor.data.length) {
      throw new RangeError(`safetensors: tensor "${tensor.name}" has shape [${tensor.shape.join(", ")}] (${count} values) but ${tensor.data.length} values`);
    }
    if (tensor.name in header) throw new RangeError(`safetensors: duplicate tensor name "${tensor.name}"`);
    header[tensor.name] = { dtype: "F32", shape: tensor.shape, data_offsets: [offset, offset + tensor.data.byteLength] };
    offset += tensor.data.byteLength;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = new Uint8Array(Math.ceil((8 + json.length) / 8) * 8 - 8).fill(0x20);
  padded.set(json);
  return padded;
}

/** Writes tensors to `path` as safetensors and flushes the file to disk before returning. */
export async function writeSafetensors(path: string, tensors: readonly SafetensorsTensor[], metadata: Record<string, string> = {}): Promise<void> {
  requireLittleEndian();
  const header = encodeHeader(tensors, metadata);
  const length = new Uint8Array(8);
  new DataView(length.buffer).setBigUint64(0, BigInt(header.length), true);
  const file = await open(path, "w");
  try {
    await file.write(length);
    await file.write(header);
    for (const tensor of tensors) await file.write(new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
    await file.sync();
  } finally {
    await file.close();
  }
}

export interface SafetensorsFile {
  tensors: Map<string, SafetensorsTensor>;
  metadata: Record<string, string>;
}

/** Reads an F32 safetensors file. Throws an InputError naming the file and tensor when it is malformed. */
export async function readSafetensors(path: string): Promise<SafetensorsFile> {
  requireLittleEndian();
  const bytes = await readFile(path);
  const fail = (problem: string, hint = "Write the checkpoint again with saveCheckpoint."): never => {
    throw new InputError("invalid_safetensors", { file: path }, problem, hint);
  };
  if (bytes.length < 8) fail(`file has ${bytes.length} bytes, fewer than the 8-byte header length`);
  const headerLength = Number(bytes.readBigUInt64LE(0));
  if (8 + headerLength > bytes.length) fail(`header length ${headerLength} exceeds the file size ${bytes.length}`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString("utf8")) as Record<string, unknown>;
  } catch (error) {
    return fail(`header is not valid JSON (${(error as Error).message})`);
  }
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const tensors = new Map<string, SafetensorsTensor>();
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === "__metadata__") {
      metadata = entry as Record<string, string>;
      continue;
    }
    const { dtype, shape, data_offsets: offsets } = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (dtype !== "F32") fail(`tensor "${name}" has dtype ${JSON.stringify(dtype)}, expected "F32"`, "Convert the tensor to float32.");
    if (!Array.isArray(shape) || !shape.every((dim) => Number.isInteger(dim) && dim >= 0)) fail(`tensor "${name}" has an invalid shape ${JSON.stringify(shape)}`);
    if (!Array.isArray(offsets) || offsets.length !== 2) fail(`tensor "${name}" has invalid data_offsets ${JSON.stringify(offsets)}`);
    const [begin, end] = offsets as [number, number];
    const count = (shape as number[]).reduce((product, dim) => product * dim, 1);
    if (!(Number.isInteger(begin) && Number.isInteger(end) && begin >= 0 && end <= dataLength && end - begin === count * 4)) {
      fail(`tensor "${name}" with shape [${(shape as number[]).join(", ")}] needs ${count * 4} bytes but data_offsets are [${begin}, ${end}] in a data section of ${dataLength} bytes`);
    }
    // Copy into a fresh buffer, because the data offset need not be 4-byte aligned in the file buffer.
    const data = new Float32Array(count);
    new Uint8Array(data.buffer).set(bytes.subarray(dataStart + begin, dataStart + end));
    tensors.set(name, { name, shape: shape as number[], data });
  }
  return { tensors, metadata };
}
