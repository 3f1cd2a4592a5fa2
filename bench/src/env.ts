import { z } from 'zod';

/** Every setting a benchmark reads, parsed once (flags override some of them: see each bench). */
const schema = z.object({
  /** bench:ingress: seconds per target and autocannon connections. */
  BENCH_SECONDS: z.coerce.number().positive().default(20),
  BENCH_CONNECTIONS: z.coerce.number().int().positive().default(64),
  /** A directory for V8 CPU profiles of the hub processes (`--cpu-prof`). */
  BENCH_PROFILE_DIR: z.string().optional(),
  BENCH_NODE_ARGS: z.string().optional(),
  BENCH_WARMUP_SEC: z.string().optional(),
  /** bench:control-plane. */
  BENCH_SYNCS: z.coerce.number().int().positive().default(10_000),
  BENCH_REQUESTS: z.coerce.number().int().positive().default(300),
  BENCH_CONCURRENCY: z.coerce.number().int().positive().default(8),
  BENCH_EXPLAIN: z.enum(['0', '1']).default('0'),
  /** bench:e2e (also as flags: --rates, --step-sec, …). */
  BENCH_RATES: z.string().optional(),
  BENCH_STEP_SEC: z.string().optional(),
  BENCH_WORKERS: z.string().optional(),
  BENCH_TARGETS: z.string().optional(),
  BENCH_SOAK_SEC: z.string().optional(),
  BENCH_RATE: z.string().optional(),
  BENCH_DRAIN_SEC: z.string().optional(),
  /** bare-publish.server: the broker and its port. */
  HUB_AMQP_URL: z.string().optional(),
  PORT: z.coerce.number().int().min(0).default(0),
});

export type BenchEnv = z.infer<typeof schema>;

export const benchEnv: BenchEnv = schema.parse(process.env);
