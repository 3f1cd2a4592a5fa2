// Path patterns like `/rest/v2/profiles/:id`, matched case-sensitively (as Copernica does).
import type { AuthKind } from './emulator.types';
import type { IncomingHttpHeaders } from 'node:http';

export interface EmulatorRequest {
  method: string;
  /** Pathname with trailing slashes removed. */
  path: string;
  /** The request-target as sent (path and query, still encoded). */
  target: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** Parsed body; undefined when empty or malformed. */
  body: unknown;
  params: Record<string, string>;
  /** Set by the vendor's authenticate step. */
  authKind?: AuthKind;
}

export interface EmulatorResponse {
  status: number;
  /** Serialized as JSON; no body at all when undefined. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Stream without Content-Length (Transfer-Encoding: chunked), as BlueConic's export does. */
  chunked?: boolean;
}

export interface Route {
  method: string;
  path: string;
  /** Skips the vendor's credential check (e.g. the token endpoint checks its own). */
  public?: boolean;
  handle(req: EmulatorRequest): EmulatorResponse | Promise<EmulatorResponse>;
}

interface CompiledRoute {
  route: Route;
  regex: RegExp;
  names: string[];
}

export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'wrong-method' }
  | { kind: 'none' };

export class Router {
  private readonly compiled: CompiledRoute[];

  constructor(routes: Route[]) {
    this.compiled = routes.map((route) => {
      const names: string[] = [];
      const source = route.path
        .split('/')
        .map((segment) => {
          if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          names.push(segment.slice(1));
          return '([^/]+)';
        })
        .join('/');
      return { route, regex: new RegExp(`^${source}$`), names };
    });
  }

  match(method: string, path: string): RouteMatch {
    let pathMatched = false;
    for (const { route, regex, names } of this.compiled) {
      const m = regex.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const params: Record<string, string> = {};
      names.forEach((name, i) => (params[name] = safeDecode(m[i + 1])));
      return { kind: 'found', route, params };
    }
    return pathMatched ? { kind: 'wrong-method' } : { kind: 'none' };
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
