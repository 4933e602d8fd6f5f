/** Raises a RangeError unless `value` is a non-negative integer; `name` says which argument it was. */
export function requireCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, received ${value}`);
  }
}

/** Raises a RangeError unless `value` is a positive integer; `name` says which argument it was. */
export function requirePositiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive integer, received ${value}`);
  }
}
