/** Typed arrays that worker threads can share when their memory is a SharedArrayBuffer. */
export type SharedArray = Int32Array | Float32Array | Float64Array;

/** Returns whether a typed array's memory is a SharedArrayBuffer that workers can see. */
export function isShared(array: SharedArray): boolean {
  return array.buffer instanceof SharedArrayBuffer;
}

/** Allocates a zero-filled Float32Array in a SharedArrayBuffer. */
export function sharedFloat32Array(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(length * Float32Array.BYTES_PER_ELEMENT));
}
