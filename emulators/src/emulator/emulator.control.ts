// /_emulator/*: lets tests in other processes and the demo drive an emulator over HTTP. No
// credentials, never faulted, never recorded.
import type { EmulatorResponse } from './emulator.router';
import type { VendorAdapter } from './emulator.server';
import type { RecordedRequest } from './emulator.types';
import { faultRuleProblem, FaultRules } from './fault.injector';

export const CONTROL_PREFIX = '/_emulator';

export interface ControlContext {
  method: string;
  path: string;
  rawBody: string;
  adapter: VendorAdapter;
  faults: FaultRules;
  requests: RecordedRequest[];
  reset(): void;
}

const problem = (status: number, message: string): EmulatorResponse => ({ status, body: { error: message } });

export function handleControl(ctx: ControlContext): EmulatorResponse {
  const route = `${ctx.method} ${ctx.path.slice(CONTROL_PREFIX.length)}`;
  switch (route) {
    case 'GET /state':
      return { status: 200, body: ctx.adapter.state() };
    case 'GET /faults':
      return { status: 200, body: { faults: ctx.faults.active() } };
    case 'POST /faults': {
      let rule: unknown;
      try {
        rule = JSON.parse(ctx.rawBody);
      } catch {
        return problem(400, 'body must be a JSON fault rule');
      }
      const why = faultRuleProblem(rule);
      if (why) return problem(400, why);
      ctx.faults.add(rule as Parameters<FaultRules['add']>[0]);
      return { status: 201, body: { faults: ctx.faults.active() } };
    }
    case 'DELETE /faults':
      ctx.faults.clear();
      return { status: 204 };
    case 'POST /reset':
      ctx.reset();
      return { status: 204 };
    case 'GET /requests':
      return { status: 200, body: ctx.requests };
    case 'DELETE /requests':
      ctx.requests.length = 0;
      return { status: 204 };
    default:
      return problem(404, `no control endpoint ${route}`);
  }
}
