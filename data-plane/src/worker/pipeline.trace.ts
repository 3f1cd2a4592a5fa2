import type { CapturedRequest } from '@datahub/connectors';

/** The pipeline's steps in order; a sandbox run reports each one it reached. */
export type StepName = 'receive' | 'fetch' | 'filter' | 'transform' | 'change_detection' | 'deliver';

export interface StepError {
  message: string;
  /** Character offset in the JSONata expression, when the step is filter or transform. */
  position: number | null;
}

export interface StepTrace {
  step: StepName;
  output: unknown;
  durationMs: number;
  error: StepError | null;
}

/** A request the run made (or, in a dry run, would have made), with what came back. */
export interface TracedRequest extends CapturedRequest {
  response: { status: number | null; body: string; error: string | null } | null;
}

/**
 * Turns a pipeline run into a sandbox run: every step's output, duration and error is recorded,
 * and every outgoing request captured (secrets redacted). `dryRun`: writes are built and signed
 * but not sent, and the target's breaker and rate limit are left alone. Live runs carry no trace.
 */
export class PipelineTrace {
  readonly steps: StepTrace[] = [];
  readonly requests: TracedRequest[] = [];

  constructor(readonly dryRun: boolean) {}

  /** Runs one step, timing it; `describe` turns its value into the reported output or error. */
  async step<T>(step: StepName, fn: () => Promise<T>, describe: (value: T) => { output: unknown; error?: StepError | null }): Promise<T> {
    const started = performance.now();
    const value = await fn();
    const { output, error } = describe(value);
    this.steps.push({ step, output: output ?? null, durationMs: Math.round(performance.now() - started), error: error ?? null });
    return value;
  }

  capture(req: CapturedRequest): void {
    this.requests.push({ ...req, response: null });
  }

  /** The answer to the request captured last. */
  answered(status: number | null, body: string, error: string | null): void {
    const last = this.requests.at(-1);
    if (last && last.sent && !last.response) last.response = { status, body: body.slice(0, 2000), error };
  }
}
