export interface Series { key: string; label: string; color: string }
export interface Point { start: string; values: Record<string, number> }

/** Stacked bars, one per period; a table of the same numbers follows for screen readers. */
export function UsageChart({ points, series, title }: { points: Point[]; series: Series[]; title: string }) {
  const W = 800, H = 220, pad = 28;
  const totals = points.map((p) => series.reduce((n, s) => n + (p.values[s.key] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const bw = (W - pad * 2) / Math.max(1, points.length);
  const label = (iso: string) => new Date(iso).toLocaleString(undefined, points.length > 40 ? { month: 'short', day: 'numeric' } : { month: 'short', day: 'numeric', hour: '2-digit' });
  return (
    <figure className="chartbox">
      <svg className="chart" viewBox={`0 0 ${W} ${H + 30}`} role="img" aria-label={`${title}: ${totals.reduce((a, b) => a + b, 0)} events over ${points.length} periods, at most ${max} in one`}>
        <line x1={pad} y1={H} x2={W - pad} y2={H} stroke="#9aa3ad" />
        <text x={4} y={14} fontSize="11" fill="#5b6470">{max}</text>
        {points.map((p, i) => {
          let y = H;
          return (
            <g key={p.start}>
              <title>{label(p.start)}: {series.map((s) => `${s.label} ${p.values[s.key] ?? 0}`).join(', ')}</title>
              {series.map((s) => {
                const h = ((p.values[s.key] ?? 0) / max) * (H - 20);
                y -= h;
                return h > 0 ? <rect key={s.key} x={pad + i * bw + 1} y={y} width={Math.max(1, bw - 2)} height={h} fill={s.color} /> : null;
              })}
            </g>
          );
        })}
        {points.length ? <><text x={pad} y={H + 16} fontSize="11" fill="#5b6470">{label(points[0]!.start)}</text>
          <text x={W - pad} y={H + 16} fontSize="11" fill="#5b6470" textAnchor="end">{label(points[points.length - 1]!.start)}</text></> : null}
      </svg>
      <figcaption className="legend">{series.map((s) => <span key={s.key}><i style={{ background: s.color }} aria-hidden="true" /> {s.label}</span>)}</figcaption>
      <details><summary>The numbers</summary>
        <table><thead><tr><th scope="col">Period</th>{series.map((s) => <th key={s.key} scope="col">{s.label}</th>)}</tr></thead>
          <tbody>{points.filter((_, i) => totals[i]! > 0).map((p) => <tr key={p.start}><td>{label(p.start)}</td>{series.map((s) => <td key={s.key}>{p.values[s.key] ?? 0}</td>)}</tr>)}</tbody></table>
      </details>
    </figure>
  );
}
