// Programmable failures: the same rules come from tests (handle.faults) and from other
// processes (POST /_emulator/faults).
import { FaultInjector, FaultRule } from './emulator.types';

interface LiveRule {
  rule: FaultRule;
  pattern?: RegExp;
  remaining: number;
}

export class FaultRules implements FaultInjector {
  private rules: LiveRule[] = [];

  add(rule: FaultRule): void {
    const problem = faultRuleProblem(rule);
    if (problem) throw new Error(`invalid fault rule: ${problem}`);
    this.rules.push({
      rule: { ...rule },
      pattern: rule.pathPattern !== undefined ? new RegExp(rule.pathPattern) : undefined,
      remaining: rule.times ?? Infinity,
    });
  }

  clear(): void {
    this.rules = [];
  }

  active(): FaultRule[] {
    return this.rules.map(({ rule, remaining }) => (Number.isFinite(remaining) ? { ...rule, times: remaining } : { ...rule }));
  }

  /** The first rule matching this request, consuming one of its `times`. */
  take(method: string, path: string): FaultRule | undefined {
    const live = this.rules.find(
      (r) => (r.rule.method === undefined || r.rule.method.toUpperCase() === method.toUpperCase()) && (!r.pattern || r.pattern.test(path)),
    );
    if (!live) return undefined;
    live.remaining -= 1;
    if (live.remaining <= 0) this.rules = this.rules.filter((r) => r !== live);
    return live.rule;
  }
}

const KNOWN_KEYS = new Set(['method', 'pathPattern', 'status', 'body', 'retryAfterSec', 'latencyMs', 'resetConnection', 'times']);

/** Why a value is not a usable FaultRule, or undefined when it is. */
export function faultRuleProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'a fault rule is a JSON object';
  const rule = value as Record<string, unknown>;
  const unknown = Object.keys(rule).filter((k) => !KNOWN_KEYS.has(k));
  if (unknown.length) return `unknown keys: ${unknown.join(', ')}`;
  if (rule.method !== undefined && typeof rule.method !== 'string') return 'method must be a string';
  if (rule.pathPattern !== undefined) {
    if (typeof rule.pathPattern !== 'string') return 'pathPattern must be a string';
    try {
      new RegExp(rule.pathPattern);
    } catch {
      return 'pathPattern is not a valid regular expression';
    }
  }
  if (rule.status !== undefined && !(Number.isInteger(rule.status) && (rule.status as number) >= 100 && (rule.status as number) <= 599)) {
    return 'status must be an integer from 100 to 599';
  }
  for (const key of ['retryAfterSec', 'latencyMs'] as const) {
    if (rule[key] !== undefined && !(typeof rule[key] === 'number' && (rule[key] as number) >= 0)) return `${key} must be a number >= 0`;
  }
  if (rule.times !== undefined && !(Number.isInteger(rule.times) && (rule.times as number) >= 1)) return 'times must be an integer >= 1';
  if (rule.resetConnection !== undefined && typeof rule.resetConnection !== 'boolean') return 'resetConnection must be a boolean';
  const acts = rule.status !== undefined || rule.retryAfterSec !== undefined || rule.latencyMs !== undefined || rule.resetConnection === true;
  if (!acts) return 'a rule needs at least one of status, retryAfterSec, latencyMs, resetConnection';
  return undefined;
}
