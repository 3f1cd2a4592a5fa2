import { readPath, type Pagination } from '@datahub/connectors';

// Walking a list operation as its manifest says: by cursor, page number or offset. A position is
// what the run's checkpoint stores (text); null means the first page. Pure: no I/O.

export function pageSize(p: Pagination, wanted: number): number {
  return Math.max(1, Math.min(wanted, p.maxPageSize ?? wanted));
}

/** Query parameters for the page at `position` (null: the first). */
export function pageQuery(p: Pagination, position: string | null, size: number): Record<string, string> {
  const q: Record<string, string> = { [p.sizeParam]: String(size) };
  switch (p.style) {
    case 'cursor': {
      const cursor = position ?? p.firstCursor;
      if (cursor !== undefined) q[p.cursorParam!] = cursor;
      return q;
    }
    case 'page':
      q[p.pageParam!] = position ?? String(p.firstPage ?? 1);
      return q;
    case 'offset':
      q[p.offsetParam!] = position ?? '0';
      return q;
    default: {
      const never: never = p.style;
      throw new Error(`unknown pagination style ${String(never)}`);
    }
  }
}

/** Where the page after this one starts, or null when this was the last. */
export function nextPosition(p: Pagination, position: string | null, size: number, body: unknown, received: number): string | null {
  switch (p.style) {
    case 'cursor': {
      const next = readPath(body, p.nextCursorPath);
      return typeof next === 'string' && next !== '' && next !== position ? next : null;
    }
    case 'page': {
      if (received < size || received === 0) return null;
      return String(Number(position ?? p.firstPage ?? 1) + 1);
    }
    case 'offset': {
      const offset = Number(position ?? 0) + received;
      const total = totalOf(p, body);
      if (received === 0 || received < size || (total !== null && offset >= total)) return null;
      return String(offset);
    }
    default: {
      const never: never = p.style;
      throw new Error(`unknown pagination style ${String(never)}`);
    }
  }
}

/** The total the platform reports (numbers or numeric strings, as ActiveCampaign's meta.total), or null. */
export function totalOf(p: Pagination, body: unknown): number | null {
  if (!p.totalPath) return null;
  const raw = readPath(body, p.totalPath);
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
  return Number.isFinite(n) ? n : null;
}
