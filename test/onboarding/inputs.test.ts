import { describe, expect, it } from 'vitest';
import { clientConfigRequest } from '../../lambdas/onboarding/client-config.ts';
import { OnboardingInputError } from '../../lambdas/onboarding/errors.ts';
import { bearerToken, receiverEndpoint, userEmail } from '../../lambdas/onboarding/inputs.ts';

describe('receiverEndpoint', () => {
  it.each([
    ['http://127.0.0.1:4318', 'http://127.0.0.1:4318'],
    ['http://127.0.0.1:4318/', 'http://127.0.0.1:4318'],
    ['  https://abc.execute-api.us-east-1.amazonaws.com/prod//  ', 'https://abc.execute-api.us-east-1.amazonaws.com/prod'],
    ['HTTPS://Meter.Example.com:443/', 'https://meter.example.com'],
  ])('%j → %j', (raw, endpoint) => {
    expect(receiverEndpoint(raw)).toBe(endpoint);
  });

  it.each([
    [undefined, '--endpoint is required'],
    ['', '--endpoint is required'],
    ['127.0.0.1:4318', '"127.0.0.1:4318" is not a URL; give the receiver\'s base URL'],
    ['localhost:4318', 'must start with http:// or https://, got "localhost:4318"'],
    ['ftp://meter.example.com', 'must start with http:// or https://'],
    ['grpc://meter.example.com:4317', 'must start with http:// or https://'],
    ['https://user:pw@meter.example.com', 'must not carry credentials'],
    ['https://meter.example.com/?k=1', 'query or fragment'],
    ['https://meter.example.com/v1/metrics', 'drop the /v1/... path'],
  ])('rejects %j', (raw, message) => {
    expect(() => receiverEndpoint(raw)).toThrow(OnboardingInputError);
    expect(() => receiverEndpoint(raw)).toThrow(message);
  });
});

describe('userEmail', () => {
  it.each(['dev@example.com', 'first.last+ci@mail.example.co.uk', 'a_b-c@x-y.io'])('accepts %j', (email) => {
    expect(userEmail(email)).toBe(email);
  });

  it('is optional', () => {
    expect(userEmail(undefined)).toBeUndefined();
  });

  it.each(['dev', 'dev@', '@example.com', 'dev@example', 'de v@example.com', 'dev@example.com,team=x', 'a..b@example.com', 'dev@-x.com', 'dév@example.com'])(
    'rejects %j',
    (email) => {
      expect(() => userEmail(email)).toThrow(`--user "${email}" is not an e-mail address`);
    },
  );
});

describe('bearerToken', () => {
  it('accepts printable ASCII, quotes and all', () => {
    expect(bearerToken(`sm_"a'b\\c=`)).toBe(`sm_"a'b\\c=`);
  });

  it.each(['two words', 'tab\there', 'line\nbreak', 'bell\u0007', 'del\u007f', 'naïve', ''])('rejects %j without echoing it', (token) => {
    expect(() => bearerToken(token)).toThrow('--token must be printable ASCII with no spaces or control characters');
  });
});

describe('clientConfigRequest', () => {
  const flags = { client: 'codex', endpoint: 'http://127.0.0.1:4318/', token: 'tok', user: 'dev@example.com', managed: false };

  it('returns the checked flags', () => {
    expect(clientConfigRequest(flags)).toEqual({ ...flags, endpoint: 'http://127.0.0.1:4318', hooks: 'command', fail: 'open', hookPath: '~/.seatmeter/seatmeter-hook.cjs' });
  });

  it.each([
    [{ ...flags, client: 'copilot' }, 'unknown client "copilot"; expected one of claude-code, codex, gemini'],
    [{ ...flags, client: 'toString' }, 'unknown client "toString"'],
    [{ ...flags, client: undefined }, 'name the client: claude-code, codex, gemini'],
    [{ ...flags, client: 'gemini', managed: true }, '--managed applies to claude-code and codex only'],
    [{ ...flags, endpoint: undefined }, '--endpoint is required'],
    [{ ...flags, user: 'nobody' }, '--user "nobody"'],
    [{ ...flags, token: 'a b' }, '--token must be printable ASCII'],
    [{ ...flags, hooks: 'webhook' }, '--hooks must be one of command, http, none, got "webhook"'],
    [{ ...flags, hooks: 'http' }, '--hooks http applies to claude-code only'],
    [{ ...flags, fail: 'shut' }, '--fail must be open or closed, got "shut"'],
    [{ ...flags, hookPath: 'a\nb' }, '--hook-path must be a path on one line'],
  ])('rejects %j', (bad, message) => {
    expect(() => clientConfigRequest(bad)).toThrow(message);
  });
});
