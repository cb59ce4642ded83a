import { v7 as uuidv7 } from 'uuid';

/** Time-ordered ids (UUIDv7): they sort by creation, which keeps indexes compact. */
export function newId(): string {
  return uuidv7();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
