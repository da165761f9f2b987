/** Row 2 of the board: who uses how much, and when. */
import { barChart } from '../charts/bar-chart.js';
import { legend } from '../charts/legend.js';
import { stackedColumns } from '../charts/stacked-columns.js';
import { html } from '../dom.js';
import { formatCompact, formatDuration, formatUsd, formatUser } from '../format.js';
import { boardRow, panel } from './panel.js';

/** @typedef {import('../api.js').DashboardData} DashboardData */

/**
 * @param {DashboardData} data
 * @param {(email: string | null) => string} colorOf
 */
export function developersRow(data, colorOf) {
  const byTokens = data.developers.map((developer) => ({
    label: formatUser(developer.user_email),
    value: developer.tokens,
    valueText: formatCompact(developer.tokens),
    color: colorOf(developer.user_email),
  }));
  const byCost = [...data.developers]
    .sort((a, b) => b.estimated_cost_usd - a.estimated_cost_usd)
    .map((developer) => ({
      label: formatUser(developer.user_email),
      value: developer.estimated_cost_usd,
      valueText: formatUsd(developer.estimated_cost_usd),
      color: colorOf(developer.user_email),
    }));
  const bucket = formatDuration(data.rate.bucket_ms);

  return boardRow(
    'developers',
    'Per developer',
    html(
      'div',
      { class: 'panels' },
      panel({ id: 'developer-tokens', title: 'Tokens by developer', subtitle: 'ranked' }, barChart({ description: 'Tokens by developer, ranked', bars: byTokens })),
      panel({ id: 'developer-cost', title: 'Estimated cost by developer', subtitle: 'ranked, at API list prices' }, barChart({ description: 'Estimated cost by developer, ranked', bars: byCost })),
      panel(
        { id: 'token-rate', title: 'Token rate per developer', subtitle: `tokens per ${bucket}, stacked by developer`, wide: true },
        stackedColumns({
          description: `Tokens per ${bucket} for each developer over the selected range`,
          fromMs: data.query.fromMs,
          toMs: data.query.toMs,
          bucketMs: data.rate.bucket_ms,
          points: data.rate.points.map((point) => ({ time_ms: point.time_ms, key: point.user_email, value: point.tokens })),
          series: data.developers.map((developer) => ({ key: developer.user_email, label: formatUser(developer.user_email), color: colorOf(developer.user_email) })),
          unit: 'tokens',
        }),
        legend(data.developers.map((developer) => ({ label: formatUser(developer.user_email), color: colorOf(developer.user_email) }))),
      ),
    ),
  );
}
