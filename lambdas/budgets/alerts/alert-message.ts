import { scopeText } from '../definition.ts';
import type { SpendShare } from '../spend.ts';
import type { DueAlert } from './alert-rules.ts';

/** What the scope's spend in the period was made of, biggest first. */
export interface AlertBreakdown {
  readonly users: readonly SpendShare[];
  readonly models: readonly SpendShare[];
  readonly repos: readonly SpendShare[];
}

/** One alert as every channel sends it: Slack takes `text` (the notification) and `blocks`; SNS the subject and text. */
export interface AlertMessage {
  readonly subject: string;
  readonly text: string;
  readonly blocks: readonly unknown[];
}

const money = (unit: 'usd' | 'tokens', value: number): string =>
  unit === 'usd' ? `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}` : `${Math.round(value).toLocaleString('en-US')} tokens`;

function headline(alert: DueAlert): string {
  const { budget } = alert.standing;
  const percent = Math.round((alert.standing.used / alert.standing.limit) * 100);
  switch (alert.kind) {
    case 'threshold':
      return alert.threshold === 1
        ? `Budget "${budget.name}" is exhausted${budget.hard ? ': its agents are capped' : ''} (${percent} %)`
        : `Budget "${budget.name}" passed ${Math.round((alert.threshold ?? 0) * 100)} % (${percent} % used)`;
    case 'projection':
      return `Budget "${budget.name}" is on course to run out before the period ends (${percent} % used)`;
    case 'spike':
      return `Spend spike on budget "${budget.name}": the last 5 minutes at ${((alert.spike?.recent ?? 0) / Math.max(alert.spike?.usual ?? 0, Number.MIN_VALUE)).toFixed(1)}× the usual`;
  }
}

function shareLines(title: string, shares: readonly SpendShare[], unit: 'usd' | 'tokens'): string {
  const lines = shares.map((share, index) => `${index + 1}. ${share.key ?? '(none)'}: ${money(unit, unit === 'usd' ? share.usd : share.tokens)}`);
  return `*${title}*\n${lines.length === 0 ? '(none)' : lines.join('\n')}`;
}

/**
 * A Block Kit message (api.slack.com/reference/block-kit): what was crossed, spend against the limit, the
 * projection, and the top 5 users, models and repos, which tell on-call whose runaway it is.
 */
export function alertMessage(alert: DueAlert, breakdown: AlertBreakdown, boardUrl: string | null): AlertMessage {
  const { budget, period, used, limit } = alert.standing;
  const unit = budget.limit.unit;
  const subject = `seatmeter: ${headline(alert)}`;
  const fields = [
    `*Scope*\n${scopeText(budget.scope)}${budget.tool === null ? '' : `, ${budget.tool}`}${budget.model === null ? '' : `, ${budget.model}`}`,
    `*Period*\n${period.key} (${budget.timeZone})`,
    `*Spend / limit*\n${money(unit, used)} / ${money(unit, limit)}`,
    `*Used*\n${((used / limit) * 100).toFixed(1)} %`,
    `*Projected end of period*\n${money(unit, alert.projected)}`,
    `*Resets*\n${new Date(period.endMs).toISOString()}`,
  ];
  if (alert.spike !== null) fields.push(`*Last 5 minutes*\n${money(unit, alert.spike.recent)} (usual ${money(unit, alert.spike.usual)})`);
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: headline(alert).slice(0, 150) } },
    { type: 'section', fields: fields.map((text) => ({ type: 'mrkdwn', text })) },
    { type: 'section', fields: [shareLines('Top users', breakdown.users, unit), shareLines('Top models', breakdown.models, unit)].map((text) => ({ type: 'mrkdwn', text })) },
    { type: 'section', text: { type: 'mrkdwn', text: shareLines('Top repos', breakdown.repos, unit) } },
  ];
  const context = [`${budget.hard ? 'Hard cap on' : 'Alert only'}${budget.owner === null ? '' : `; owner ${budget.owner}`}`];
  if (boardUrl !== null) context.push(`<${boardUrl}|Open the board>`);
  blocks.push({ type: 'context', elements: context.map((text) => ({ type: 'mrkdwn', text })) });
  const text = `${subject}: ${money(unit, used)} of ${money(unit, limit)} in ${period.key}, projected ${money(unit, alert.projected)}.`;
  return { subject, text, blocks };
}
