/**
 * Charts as server-rendered SVG: no chart library and no JavaScript in the browser. Sizes are
 * SVG attributes (the console's CSP allows no inline styles); hovering a bar shows its <title>.
 */
export interface StackedPoint {
  label: string;
  title: string;
  values: number[];
}

const COLORS = ['#3451c9', '#f59e0b', '#be123c'];

function niceMax(max: number): number {
  if (max <= 5) return Math.max(1, max);
  const magnitude = 10 ** Math.floor(Math.log10(max));
  return Math.ceil(max / magnitude) * magnitude;
}

export function StackedBars({ points, series, label, locale }: { points: StackedPoint[]; series: string[]; label: string; locale: string }) {
  const width = 760;
  const height = 240;
  const pad = { left: 40, right: 8, top: 10, bottom: 28 };
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const max = niceMax(Math.max(0, ...points.map((p) => p.values.reduce((a, b) => a + b, 0))));
  const step = innerW / Math.max(1, points.length);
  const bar = Math.max(1, Math.min(28, step * 0.7));
  const nf = new Intl.NumberFormat(locale);
  const ticks = [0, max / 2, max];
  const labelEvery = Math.max(1, Math.ceil(points.length / 8));
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} className="chart__svg" preserveAspectRatio="xMidYMid meet">
        {ticks.map((tick) => {
          const y = pad.top + innerH - (tick / max) * innerH;
          return (
            <g key={tick}>
              <line x1={pad.left} x2={width - pad.right} y1={y} y2={y} stroke="#e3e6ec" strokeWidth={1} />
              <text x={pad.left - 6} y={y + 4} textAnchor="end" fontSize={11} fill="#556070">
                {nf.format(Math.round(tick))}
              </text>
            </g>
          );
        })}
        {points.map((point, i) => {
          const x = pad.left + i * step + (step - bar) / 2;
          let y = pad.top + innerH;
          return (
            <g key={i}>
              <title>{point.title}</title>
              {point.values.map((value, s) => {
                const h = (value / max) * innerH;
                y -= h;
                return value > 0 ? <rect key={s} x={x} y={y} width={bar} height={h} fill={COLORS[s % COLORS.length]} rx={1.5} /> : null;
              })}
              <rect x={pad.left + i * step} y={pad.top} width={step} height={innerH} fill="transparent" />
              {i % labelEvery === 0 ? (
                <text x={x + bar / 2} y={height - 8} textAnchor="middle" fontSize={11} fill="#556070">
                  {point.label}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption className="legend">
        {series.map((name, s) => (
          <span key={name} className="legend__item">
            <svg width={12} height={12} aria-hidden="true">
              <rect width={12} height={12} rx={2} fill={COLORS[s % COLORS.length]} />
            </svg>
            {name}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

export function HorizontalBars({
  rows,
  locale,
  color = '#be123c',
}: {
  rows: { label: string; value: number; hint?: string }[];
  locale: string;
  color?: string;
}) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const nf = new Intl.NumberFormat(locale);
  return (
    <ul className="hbars">
      {rows.map((row) => (
        <li key={row.label} className="hbars__row">
          <span className="hbars__label" title={row.hint}>
            {row.label}
          </span>
          <svg className="hbars__bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
            <rect width={(row.value / max) * 100} height={10} rx={2} fill={color} />
          </svg>
          <span className="hbars__value">{nf.format(row.value)}</span>
        </li>
      ))}
    </ul>
  );
}
