import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { PipelineConfigError, pipelinePropsFromContext, resolvePipelineSettings } from '../../lib/pipeline-config.ts';
import type { SeatmeterPipelineProps } from '../../lib/pipeline-config.ts';

const CERTIFICATE = 'arn:aws:acm:eu-west-1:123456789012:certificate/0b7c8f2e-2d1a-4c57-9c43-6f0e1c2b3a4d';
const OKTA = 'https://acme.okta.com';
const TEAMS = 'prefix:team-';

function problemsOf(props: SeatmeterPipelineProps): readonly string[] {
  try {
    resolvePipelineSettings(props);
  } catch (error) {
    if (error instanceof PipelineConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a PipelineConfigError');
}

describe('resolvePipelineSettings', () => {
  it('applies the documented defaults', () => {
    expect(resolvePipelineSettings({})).toEqual({
      store: 'timestream',
      memoryStoreRetentionHours: 24,
      magneticStoreRetentionDays: 730,
      archiveColdAfterDays: 90,
      logRetention: RetentionDays.THREE_MONTHS,
      throttle: { rateLimit: 200, burstLimit: 400 },
      rollupSchedule: 'cron(30 1 * * ? *)',
      athenaBytesScannedCutoffMb: 10_000,
      seatPriceUsd: 150,
    });
  });

  it('keeps every valid setting, normalizing the domain and the Okta origin', () => {
    const settings = resolvePipelineSettings({
      memoryStoreRetentionHours: 8766,
      magneticStoreRetentionDays: 1,
      archiveColdAfterDays: 30,
      logRetentionDays: 365,
      throttleRateLimit: 12.5,
      throttleBurstLimit: 25,
      domainName: 'Seatmeter.Example.com',
      certificateArn: CERTIFICATE,
      alarmEmail: 'ops@example.com',
      oktaOrgUrl: 'https://acme.okta.com/',
      teamGroups: 'prefix:team-',
      rollupSchedule: 'rate(1 day)',
      athenaBytesScannedCutoffMb: 10,
      seatPriceUsd: 39.99,
    });
    expect(settings).toEqual({
      store: 'timestream',
      memoryStoreRetentionHours: 8766,
      magneticStoreRetentionDays: 1,
      archiveColdAfterDays: 30,
      logRetention: RetentionDays.ONE_YEAR,
      throttle: { rateLimit: 12.5, burstLimit: 25 },
      customDomain: { domainName: 'seatmeter.example.com', certificateArn: CERTIFICATE },
      alarmEmail: 'ops@example.com',
      oktaOrgUrl: 'https://acme.okta.com',
      teamGroups: 'prefix:team-',
      rollupSchedule: 'rate(1 day)',
      athenaBytesScannedCutoffMb: 10,
      seatPriceUsd: 39.99,
    });
  });

  it.each<[string, SeatmeterPipelineProps, string]>([
    ['a store seatmeter does not have', { store: 'influx' as never }, 'store must be timestream or lake, got "influx"'],
    ['memory retention past Timestream limits', { memoryStoreRetentionHours: 8767 }, 'memoryStoreRetentionHours must be a whole number from 1 to 8766'],
    ['fractional memory retention', { memoryStoreRetentionHours: 1.5 }, 'memoryStoreRetentionHours must be a whole number'],
    ['zero magnetic retention', { magneticStoreRetentionDays: 0 }, 'magneticStoreRetentionDays must be a whole number from 1 to 73000'],
    ['no cold-storage delay', { archiveColdAfterDays: 0 }, 'archiveColdAfterDays must be a whole number from 1'],
    ['a log retention CloudWatch does not offer', { logRetentionDays: 10 }, 'logRetentionDays must be one of'],
    ['logs kept forever', { logRetentionDays: RetentionDays.INFINITE }, 'logRetentionDays must be one of'],
    ['no throughput', { throttleRateLimit: 0 }, 'throttleRateLimit must be above 0'],
    ['NaN throughput', { throttleRateLimit: Number.NaN }, 'throttleRateLimit must be above 0'],
    ['a burst past the account quota', { throttleBurstLimit: 5001 }, 'throttleBurstLimit must be a whole number from 1 to 5000'],
    ['a domain without certificate', { domainName: 'seatmeter.example.com' }, 'domainName and certificateArn go together'],
    ['a certificate without domain', { certificateArn: CERTIFICATE }, 'domainName and certificateArn go together'],
    ['a domain that is a URL', { domainName: 'https://seatmeter.example.com', certificateArn: CERTIFICATE }, 'domainName must be a DNS name'],
    ['an IAM certificate', { domainName: 'seatmeter.example.com', certificateArn: 'arn:aws:iam::123456789012:server-certificate/x' }, 'certificateArn must be an ACM certificate ARN'],
    ['an alarm address without domain', { alarmEmail: 'ops' }, 'alarmEmail must be an email address'],
    ['an Okta URL that is not a URL', { oktaOrgUrl: 'acme.okta.com', teamGroups: TEAMS }, 'oktaOrgUrl must be a URL'],
    ['an Okta URL over http', { oktaOrgUrl: 'http://acme.okta.com', teamGroups: TEAMS }, "oktaOrgUrl must be the org's https origin"],
    ['an Okta URL with a path', { oktaOrgUrl: 'https://acme.okta.com/api/v1', teamGroups: TEAMS }, "oktaOrgUrl must be the org's https origin"],
    ['an empty team prefix', { oktaOrgUrl: OKTA, teamGroups: 'prefix: ' }, 'teamGroups: "prefix:" needs the start of the group names after it'],
    ['an empty team name', { oktaOrgUrl: OKTA, teamGroups: 'payments,,platform' }, 'teamGroups: group name 2 of 3 is empty'],
    ['a team named twice', { oktaOrgUrl: OKTA, teamGroups: 'payments, platform,payments' }, 'teamGroups: group "payments" is listed twice'],
    ['team groups without their Okta org', { teamGroups: TEAMS }, 'oktaOrgUrl and teamGroups go together'],
    ['a seat price of nothing', { seatPriceUsd: 0 }, 'seatPriceUsd must be a monthly price in US dollars above 0 and at most 100000, got 0'],
    ['an Okta org without team groups', { oktaOrgUrl: OKTA }, 'oktaOrgUrl and teamGroups go together'],
    ['a scan cutoff under Athena\'s minimum', { athenaBytesScannedCutoffMb: 9 }, 'athenaBytesScannedCutoffMb must be a whole number from 10 to 10000000'],
    ['a cron with five fields', { rollupSchedule: 'cron(30 1 * * ?)' }, 'rollupSchedule must be an EventBridge Scheduler expression'],
    ['a crontab line', { rollupSchedule: '30 1 * * *' }, 'rollupSchedule must be an EventBridge Scheduler expression'],
    ['a plural rate of one', { rollupSchedule: 'rate(1 days)' }, 'rollupSchedule must say rate(1 day) or rate(N days)'],
    ['a singular rate of two', { rollupSchedule: 'rate(2 hour)' }, 'rollupSchedule must say rate(1 hour) or rate(N hours)'],
    ['a rate of zero', { rollupSchedule: 'rate(0 minutes)' }, 'rollupSchedule rate must be at least 1'],
  ])('refuses %s', (_, props, message) => {
    expect(problemsOf(props)).toEqual([expect.stringContaining(message)]);
  });

  it('reports every problem at once', () => {
    expect(problemsOf({ memoryStoreRetentionHours: 0, alarmEmail: 'ops', rollupSchedule: 'daily' })).toHaveLength(3);
  });
});

describe('pipelinePropsFromContext', () => {
  it('reads seatmeter keys from -c strings and from cdk.json values alike, and ignores other context', () => {
    const props = pipelinePropsFromContext({
      '@aws-cdk/aws-iam:minimizePolicies': true,
      'seatmeter:store': 'lake',
      'seatmeter:memoryStoreRetentionHours': '48',
      'seatmeter:throttleRateLimit': 12.5,
      'seatmeter:alarmEmail': ' ops@example.com ',
    });
    expect(props).toEqual({ store: 'lake', memoryStoreRetentionHours: 48, throttleRateLimit: 12.5, alarmEmail: 'ops@example.com' });
  });

  it.each([
    ['seatmeter:alarmEmial', 'ops@example.com', 'seatmeter:alarmEmial is not a seatmeter setting; known: seatmeter:store'],
    ['seatmeter:memoryStoreRetentionHours', '2 days', 'seatmeter:memoryStoreRetentionHours must be a number, got "2 days"'],
    ['seatmeter:timestream', 'true', 'seatmeter:timestream is replaced by seatmeter:store: use -c seatmeter:store=timestream or -c seatmeter:store=lake'],
    ['seatmeter:domainName', 42, 'seatmeter:domainName must be a string, got 42'],
  ])('refuses %s=%j', (key, value, message) => {
    expect(() => pipelinePropsFromContext({ [key]: value })).toThrow(message);
  });
});
