/**
 * The phone's IndexedDB: the device record (its non-extractable keys and learned clock offsets)
 * and one record per token (its HMAC key, non-extractable). CryptoKeys are stored as they are
 * (structured clone), so no key material ever passes through script.
 */
const NAME = 'tokenward';
const VERSION = 1;

export type StoreName = 'device' | 'tokens';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

export function openDatabase(): Promise<IDBDatabase> {
  const opening = indexedDB.open(NAME, VERSION);
  opening.onupgradeneeded = () => {
    const db = opening.result;
    if (!db.objectStoreNames.contains('device')) db.createObjectStore('device');
    if (!db.objectStoreNames.contains('tokens'))
      db.createObjectStore('tokens', { keyPath: 'serial' });
  };
  return request(opening);
}

export async function read<T>(
  db: IDBDatabase,
  store: StoreName,
  key: string,
): Promise<T | undefined> {
  return (await request(db.transaction(store).objectStore(store).get(key))) as T | undefined;
}

export async function readAll<T>(db: IDBDatabase, store: StoreName): Promise<T[]> {
  return (await request(db.transaction(store).objectStore(store).getAll())) as T[];
}

/** Writes one record and resolves once the transaction committed. */
export function write(
  db: IDBDatabase,
  store: StoreName,
  value: unknown,
  key?: string,
): Promise<void> {
  const tx = db.transaction(store, 'readwrite');
  tx.objectStore(store).put(value, key);
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
}

export function remove(db: IDBDatabase, store: StoreName, key: string): Promise<void> {
  const tx = db.transaction(store, 'readwrite');
  tx.objectStore(store).delete(key);
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
}
