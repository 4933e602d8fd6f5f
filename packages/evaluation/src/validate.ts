/** Raises a RangeError unless `value` is a non-negative integer; `name` names the argument in the message. */
export function requireCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, received ${value}`);
  }
}

/** Raises a RangeError unless `value` is a positive integer; `name` names the argument in the message. */
export function requirePositiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive integer, received ${value}`);
  }
}
