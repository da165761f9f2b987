/**
 * The pipeline's settings: what a team may change without editing code, their safe defaults, and the checks
 * that turn a bad value into a synth-time error naming the setting, instead of a failed deployment later.
 * Settings come as `SeatmeterPipelineProps` (a team embedding the construct) or from CDK context keys
 * `seatmeter:<name>` (cdk.json or `-c`), which `pipelinePropsFromContext` reads into the same props.
 */
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { PartnerConfigError } from '../lambdas/rollup/partner-errors.ts';
import { parseTeamGroupRule } from '../lambdas/rollup/team-rule.ts';

export type StoreKind = 'timestream' | 'lake';
const STORE_KINDS: readonly StoreKind[] = ['timestream', 'lake'];

export interface SeatmeterPipelineProps {
  /**
   * Where records are kept: `timestream` (Timestream for LiveAnalytics, open only to accounts that already
   * used it before 2025-06-20) or `lake` (Firehose → Parquet on S3 → Athena, any account). @default timestream
   */
  readonly store?: StoreKind;
  /** Hours a record stays in Timestream's memory store (fast, dearer). @default 24 */
  readonly memoryStoreRetentionHours?: number;
  /** Days a record stays in Timestream's magnetic store; older records are deleted. @default 730 */
  readonly magneticStoreRetentionDays?: number;
  /** Days after which archived raw exports move to S3 Glacier Instant Retrieval. @default 90 */
  readonly archiveColdAfterDays?: number;
  /** Days kept of every log: the functions' logs, API access logs, S3 server access logs. @default 90 */
  readonly logRetentionDays?: number;
  /** Steady requests per second the ingest API lets through before answering 429. @default 200 */
  readonly throttleRateLimit?: number;
  /** Requests the ingest API lets through in a burst. @default 400 */
  readonly throttleBurstLimit?: number;
  /** Custom domain of the ingest API; needs `certificateArn`. @default - the execute-api URL only */
  readonly domainName?: string;
  /** ACM certificate for `domainName`, in the stack's region. @default - none */
  readonly certificateArn?: string;
  /** Address subscribed by email to the alarm topic. @default - no subscription */
  readonly alarmEmail?: string;
  /** Okta org whose groups make the teams, e.g. `https://acme.okta.com`; needs `teamGroups`. @default - none */
  readonly oktaOrgUrl?: string;
  /**
   * Which Okta groups are teams: `prefix:<p>`, or group names separated by commas; needs `oktaOrgUrl`. Without
   * the two, the rollup is deployed but not scheduled. @default - none
   */
  readonly teamGroups?: string;
  /** EventBridge Scheduler expression of the daily rollup (UTC). @default 'cron(30 1 * * ? *)' */
  readonly rollupSchedule?: string;
  /** Megabytes (10^6 bytes) one Athena query of the team workgroup may scan before Athena cancels it. @default 10000 */
  readonly athenaBytesScannedCutoffMb?: number;
  /**
   * What one developer's seat costs a month, in US dollars: the finance query sets each developer's
   * API-equivalent cost against it. @default 150 — set it to what your seats cost.
   */
  readonly seatPriceUsd?: number;
}

/** Every setting resolved: defaults applied, every value checked. */
export interface PipelineSettings {
  readonly store: StoreKind;
  readonly memoryStoreRetentionHours: number;
  readonly magneticStoreRetentionDays: number;
  readonly archiveColdAfterDays: number;
  readonly logRetention: RetentionDays;
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  readonly customDomain?: { readonly domainName: string; readonly certificateArn: string };
  readonly alarmEmail?: string;
  readonly oktaOrgUrl?: string;
  readonly teamGroups?: string;
  readonly rollupSchedule: string;
  readonly seatPriceUsd: number;
  readonly athenaBytesScannedCutoffMb: number;
}

export class PipelineConfigError extends Error {
  override readonly name = 'PipelineConfigError';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid seatmeter settings:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.problems = problems;
  }
}

const CONTEXT_PREFIX = 'seatmeter:';

const DEFAULTS = {
  memoryStoreRetentionHours: 24,
  magneticStoreRetentionDays: 730,
  archiveColdAfterDays: 90,
  logRetentionDays: 90,
  throttleRateLimit: 200,
  throttleBurstLimit: 400,
  rollupSchedule: 'cron(30 1 * * ? *)',
  // A year of team tables for 10,000 developers is about 1.4 GB (3.9 MB a day in `npm run bench`): 10 GB lets a
  // query read years of them and stops a runaway one at $0.05 ($5 per TB scanned).
  athenaBytesScannedCutoffMb: 10_000,
  seatPriceUsd: 150,
} as const;

type Kind = 'boolean' | 'number' | 'string';

const KINDS: { readonly [K in keyof Required<SeatmeterPipelineProps>]: Kind } = {
  store: 'string',
  memoryStoreRetentionHours: 'number',
  magneticStoreRetentionDays: 'number',
  archiveColdAfterDays: 'number',
  logRetentionDays: 'number',
  throttleRateLimit: 'number',
  throttleBurstLimit: 'number',
  domainName: 'string',
  certificateArn: 'string',
  alarmEmail: 'string',
  oktaOrgUrl: 'string',
  teamGroups: 'string',
  rollupSchedule: 'string',
  athenaBytesScannedCutoffMb: 'number',
  seatPriceUsd: 'number',
};

/** CloudWatch Logs accepts only these retentions; "never expire" is left out on purpose. */
const LOG_RETENTIONS = Object.values(RetentionDays).filter((days): days is RetentionDays => typeof days === 'number' && days !== RetentionDays.INFINITE);

const HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const ACM_CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const CRON = /^cron\((\S+(?: \S+){5})\)$/;
const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;

/** Reads `seatmeter:<name>` context values, which arrive as JSON values from cdk.json and as strings from `-c`. */
export function pipelinePropsFromContext(context: Readonly<Record<string, unknown>>): SeatmeterPipelineProps {
  const problems: string[] = [];
  const props: Record<string, boolean | number | string> = {};
  for (const [key, raw] of Object.entries(context)) {
    if (!key.startsWith(CONTEXT_PREFIX)) continue;
    const name = key.slice(CONTEXT_PREFIX.length);
    if (name === 'timestream') {
      problems.push(`${key} is replaced by ${CONTEXT_PREFIX}store: use -c ${CONTEXT_PREFIX}store=timestream or -c ${CONTEXT_PREFIX}store=lake (README, Deploy)`);
      continue;
    }
    const kind = (KINDS as Readonly<Record<string, Kind>>)[name];
    if (kind === undefined) {
      problems.push(`${key} is not a seatmeter setting; known: ${Object.keys(KINDS).map((known) => CONTEXT_PREFIX + known).join(', ')}`);
      continue;
    }
    const value = contextValue(kind, raw);
    if (value === undefined) problems.push(`${key} must be ${kind === 'number' ? 'a number' : kind === 'boolean' ? 'true or false' : 'a string'}, got ${JSON.stringify(raw)}`);
    else props[name] = value;
  }
  if (problems.length > 0) throw new PipelineConfigError(problems);
  return props as SeatmeterPipelineProps;
}

function contextValue(kind: Kind, raw: unknown): boolean | number | string | undefined {
  if (kind === 'string') return typeof raw === 'string' ? raw.trim() : undefined;
  if (kind === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    return raw === 'true' ? true : raw === 'false' ? false : undefined;
  }
  if (typeof raw === 'number') return raw;
  return typeof raw === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : undefined;
}

/** Applies the defaults and checks every value; all problems are reported together. */
export function resolvePipelineSettings(props: SeatmeterPipelineProps): PipelineSettings {
  const problems: string[] = [];
  const whole = (name: keyof typeof DEFAULTS & keyof SeatmeterPipelineProps, min: number, max: number, why: string): number => {
    const value = props[name] ?? DEFAULTS[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) problems.push(`${name} must be a whole number from ${min} to ${max} (${why}), got ${value}`);
    return value as number;
  };
  const store = props.store ?? 'timestream';
  if (!STORE_KINDS.includes(store)) problems.push(`store must be ${STORE_KINDS.join(' or ')}, got "${String(store)}"`);
  const memoryStoreRetentionHours = whole('memoryStoreRetentionHours', 1, 8766, "Timestream's memory store limits");
  const magneticStoreRetentionDays = whole('magneticStoreRetentionDays', 1, 73000, "Timestream's magnetic store limits");
  const archiveColdAfterDays = whole('archiveColdAfterDays', 1, 36500, 'days before the archive moves to Glacier Instant Retrieval');
  const throttleRateLimit = props.throttleRateLimit ?? DEFAULTS.throttleRateLimit;
  if (!(throttleRateLimit > 0 && throttleRateLimit <= 10_000)) problems.push(`throttleRateLimit must be above 0 and at most 10000 requests per second (API Gateway's account quota), got ${throttleRateLimit}`);
  const throttleBurstLimit = whole('throttleBurstLimit', 1, 5000, "API Gateway's account burst quota");
  const logRetentionDays = props.logRetentionDays ?? DEFAULTS.logRetentionDays;
  if (!LOG_RETENTIONS.includes(logRetentionDays)) problems.push(`logRetentionDays must be one of CloudWatch Logs' retentions (${LOG_RETENTIONS.join(', ')}), got ${logRetentionDays}`);
  const customDomain = resolveCustomDomain(props, problems);
  if (props.alarmEmail !== undefined && !EMAIL.test(props.alarmEmail)) problems.push(`alarmEmail must be an email address, got "${props.alarmEmail}"`);
  const oktaOrgUrl = props.oktaOrgUrl === undefined ? undefined : resolveOktaOrgUrl(props.oktaOrgUrl, problems);
  if (props.teamGroups !== undefined) problems.push(...teamGroupsProblems(props.teamGroups));
  if ((props.oktaOrgUrl === undefined) !== (props.teamGroups === undefined)) {
    problems.push('oktaOrgUrl and teamGroups go together: the rollup reads the team groups from that Okta org (set both to schedule it, neither to leave it off)');
  }
  const rollupSchedule = props.rollupSchedule ?? DEFAULTS.rollupSchedule;
  const scheduleProblem = scheduleExpressionProblem(rollupSchedule);
  if (scheduleProblem !== null) problems.push(scheduleProblem);
  const athenaBytesScannedCutoffMb = whole('athenaBytesScannedCutoffMb', 10, 10_000_000, "Athena's minimum of 10 MB; above 10 TB, $50 a query, it guards nothing");
  const seatPriceUsd = props.seatPriceUsd ?? DEFAULTS.seatPriceUsd;
  if (!(Number.isFinite(seatPriceUsd) && seatPriceUsd > 0 && seatPriceUsd <= 100_000)) {
    problems.push(`seatPriceUsd must be a monthly price in US dollars above 0 and at most 100000, got ${seatPriceUsd}`);
  }
  if (problems.length > 0) throw new PipelineConfigError(problems);
  return {
    store,
    memoryStoreRetentionHours,
    magneticStoreRetentionDays,
    archiveColdAfterDays,
    logRetention: logRetentionDays as RetentionDays,
    throttle: { rateLimit: throttleRateLimit, burstLimit: throttleBurstLimit },
    ...(customDomain === undefined ? {} : { customDomain }),
    ...(props.alarmEmail === undefined ? {} : { alarmEmail: props.alarmEmail }),
    ...(oktaOrgUrl === undefined ? {} : { oktaOrgUrl }),
    ...(props.teamGroups === undefined ? {} : { teamGroups: props.teamGroups }),
    rollupSchedule,
    athenaBytesScannedCutoffMb,
    seatPriceUsd,
  };
}

function resolveCustomDomain(props: SeatmeterPipelineProps, problems: string[]): PipelineSettings['customDomain'] {
  const { domainName, certificateArn } = props;
  if (domainName === undefined && certificateArn === undefined) return undefined;
  if (domainName === undefined || certificateArn === undefined) {
    problems.push('domainName and certificateArn go together: the custom domain needs its ACM certificate');
    return undefined;
  }
  const name = domainName.toLowerCase();
  if (!HOSTNAME.test(name)) problems.push(`domainName must be a DNS name such as seatmeter.example.com, got "${domainName}"`);
  if (!ACM_CERTIFICATE_ARN.test(certificateArn)) problems.push(`certificateArn must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>), got "${certificateArn}"`);
  return { domainName: name, certificateArn };
}

function resolveOktaOrgUrl(raw: string, problems: string[]): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`oktaOrgUrl must be a URL such as https://acme.okta.com, got "${raw}"`);
    return undefined;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.pathname !== '/' || url.search !== '' || url.hash !== '') {
    problems.push(`oktaOrgUrl must be the org's https origin alone, such as https://acme.okta.com, got "${raw}"`);
    return undefined;
  }
  return url.origin;
}

/** The rollup's own parser, so a rule that synthesizes is a rule the rollup accepts. */
function teamGroupsProblems(rule: string): string[] {
  try {
    parseTeamGroupRule(rule, 'teamGroups');
    return [];
  } catch (error) {
    if (error instanceof PartnerConfigError) return [error.message];
    throw error;
  }
}

function scheduleExpressionProblem(expression: string): string | null {
  const rate = RATE.exec(expression);
  if (rate !== null) {
    const amount = Number(rate[1]);
    const unit = rate[2] as string;
    if (amount === 0) return `rollupSchedule rate must be at least 1, got "${expression}"`;
    if ((amount === 1) !== !unit.endsWith('s')) return `rollupSchedule must say rate(1 ${unit.replace(/s$/, '')}) or rate(N ${unit.replace(/s?$/, 's')}), got "${expression}"`;
    return null;
  }
  return CRON.test(expression) ? null : `rollupSchedule must be an EventBridge Scheduler expression, cron(minutes hours day-of-month month day-of-week year) or rate(N unit), got "${expression}"`;
}
