// Lookups in knowledge tables by a name taken from user code: only the table's own keys count, never
// Object.prototype's (`constructor`, `toString`, `__proto__`, `hasOwnProperty`, `valueOf` are ordinary names in user
// code).

/** `record[key]` when `key` is the record's own property, else undefined. */
export function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}
