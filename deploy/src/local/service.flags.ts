/**
 * Node (V8) flags each hub process runs with, the one list that `npm start` (demo launcher), the
 * benchmark and test harness, deploy/k8s and deploy/compose use (their commands are checked against
 * it in deploy/src/k8s).
 *
 * `--max-semi-space-size` (MB): under load V8 grows the young generation to 2 × 16 MB. The gateway
 * and the ingress keep next to nothing alive per request, so a small one costs them no measurable
 * CPU and keeps their RSS under the goals of the performance issue (bench/README.md). The worker
 * keeps each event ~40 ms in flight: a small young generation promotes those objects, which cost
 * it more CPU and more RSS in the same run, so it keeps V8's default.
 */
export const SERVICE_NODE_FLAGS: Record<'gateway' | 'control-plane' | 'ingress' | 'worker' | 'scheduler', readonly string[]> = {
  gateway: ['--max-semi-space-size=2'],
  'control-plane': [],
  ingress: ['--max-semi-space-size=4'],
  worker: [],
  scheduler: [],
};
