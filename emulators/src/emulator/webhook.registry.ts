// Outgoing webhooks an emulated platform keeps (registered through its API) and calls when a record
// changes: fire-and-forget form posts with a short timeout, as the vendors document (no retries).
export interface RegisteredWebhook {
  id: string;
  url: string;
  /** Vendor-specific fields as registered (name, events, trigger, database …). */
  spec: Record<string, unknown>;
}

export interface WebhookCall {
  url: string;
  status: number | null;
  error?: string;
}

export class WebhookRegistry {
  private hooks = new Map<string, RegisteredWebhook>();
  private nextId = 1;
  /** Every outgoing call made, newest last (tests read it). */
  readonly calls: WebhookCall[] = [];

  constructor(private readonly timeoutMs = 2_000) {}

  add(url: string, spec: Record<string, unknown>): RegisteredWebhook {
    const hook = { id: String(this.nextId++), url, spec };
    this.hooks.set(hook.id, hook);
    return hook;
  }

  all(): RegisteredWebhook[] {
    return [...this.hooks.values()];
  }

  get(id: string): RegisteredWebhook | undefined {
    return this.hooks.get(id);
  }

  delete(id: string): boolean {
    return this.hooks.delete(id);
  }

  clear(): void {
    this.hooks.clear();
    this.nextId = 1;
    this.calls.length = 0;
  }

  /** Posts `form` to every hook `wants` accepts; never waits for, nor throws from, the receivers. */
  fire(form: URLSearchParams, wants: (hook: RegisteredWebhook) => boolean = () => true): void {
    for (const hook of this.all().filter(wants)) {
      const call: WebhookCall = { url: hook.url, status: null };
      this.calls.push(call);
      fetch(hook.url, {
        method: 'POST', body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' },
        signal: AbortSignal.timeout(this.timeoutMs),
      }).then(async (res) => {
        call.status = res.status;
        await res.arrayBuffer();
      }).catch((e: unknown) => {
        call.error = (e as Error).message;
      });
    }
  }
}
