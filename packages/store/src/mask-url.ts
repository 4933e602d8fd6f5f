/** Matches the password part of `scheme://user:password@`. */
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]*@/gi;

/** Replaces the password of every URL in `text` with `***`, so the text can be logged or shown. */
export function maskUrlPasswords(text: string): string {
  return text.replace(URL_PASSWORD, "$1***@");
}

/**
 * Masks URL passwords in `text` and, when `password` is given, every literal occurrence of it, so
 * that a driver message that quotes the password outside a URL is masked too.
 */
export function maskSecrets(text: string, password: string | undefined): string {
  let masked = maskUrlPasswords(text);
  if (password !== undefined && password.length > 0) masked = masked.split(password).join("***");
  return masked;
}
