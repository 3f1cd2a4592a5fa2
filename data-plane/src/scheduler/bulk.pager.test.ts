import type { Pagination } from '@datahub/connectors';
import { nextPosition, pageQuery, pageSize, totalOf } from './bulk.pager';

const cursor: Pagination = { style: 'cursor', sizeParam: 'count', cursorParam: 'cursor', firstCursor: '*', nextCursorPath: 'nextCursor', totalPath: 'totalResults' };
const offset: Pagination = { style: 'offset', sizeParam: 'limit', offsetParam: 'offset', maxPageSize: 100, totalPath: 'meta.total' };
const page: Pagination = { style: 'page', sizeParam: 'per_page', pageParam: 'page', firstPage: 1 };

describe('bulk pager', () => {
  it('walks a cursor list: first cursor, then nextCursor until a page has none', () => {
    expect(pageQuery(cursor, null, 200)).toEqual({ count: '200', cursor: '*' });
    expect(nextPosition(cursor, null, 200, { nextCursor: 'abc' }, 200)).toBe('abc');
    expect(pageQuery(cursor, 'abc', 200)).toEqual({ count: '200', cursor: 'abc' });
    expect(nextPosition(cursor, 'abc', 200, { profiles: [] }, 10)).toBeNull();
    expect(nextPosition(cursor, 'abc', 200, { nextCursor: 'abc' }, 200)).toBeNull(); // a cursor that does not move ends the walk
  });

  it('walks an offset list, capped at the maximum page size, stopping at meta.total (a string)', () => {
    expect(pageSize(offset, 500)).toBe(100);
    expect(pageQuery(offset, null, 100)).toEqual({ limit: '100', offset: '0' });
    expect(nextPosition(offset, null, 100, { meta: { total: '250' } }, 100)).toBe('100');
    expect(nextPosition(offset, '200', 100, { meta: { total: '250' } }, 50)).toBeNull();
    expect(nextPosition(offset, '100', 100, { meta: { total: '200' } }, 100)).toBeNull();
    expect(totalOf(offset, { meta: { total: '250' } })).toBe(250);
  });

  it('walks a page-numbered list until a short page', () => {
    expect(pageQuery(page, null, 50)).toEqual({ per_page: '50', page: '1' });
    expect(nextPosition(page, null, 50, {}, 50)).toBe('2');
    expect(nextPosition(page, '2', 50, {}, 49)).toBeNull();
  });
});
