/**
 * Node (V8) flags each hub process runs with, the one list that `npm start` (demo launcher), the
 * benchmark and test harness, deploy/k8s and deploy/compose use (their commands are checked against
 * it in deploy/src/k8s).
 *
 * `--max-semi-space-size` (MB): under load V8 grows the young generation to 2 × 16 MB. The gateway
 * and the ingress keep next to nothing alive per request, so a small one costs them no measurable
 * CPU and keeps their RSS under the goals of the performance issue (bench/README.md). The worker is
 * the other way round: each event lives ~40–60 ms in flight, so with the default a scavenge every
 * ~50 ms promotes most of them and they die in the old generation (`--trace-gc` at 1,400/s: old
 * space 148 MB before a mark-compact, 31 MB after). A larger young generation lets them die young:
 * worker RSS at 1,400/s 220 → 176 MB, at 1,600/s 226 → 193 MB, CPU per event the same.
 */
export const SERVICE_NODE_FLAGS: Record<'gateway' | 'control-plane' | 'ingress' | 'worker' | 'scheduler', readonly string[]> = {
  gateway: ['--max-semi-space-size=2'],
  'control-plane': [],
  ingress: ['--max-semi-space-size=4'],
  worker: ['--max-semi-space-size=32'],
  scheduler: [],
};
