import { describe, expect, it } from 'vitest';
import { parseContentType } from '../../lambdas/otlp/media-type.ts';
import { outcomeOf } from './outcome.ts';

describe('Content-Type', () => {
  it.each([
    ['application/x-protobuf', 'protobuf'],
    ['application/protobuf', 'protobuf'],
    ['Application/X-Protobuf', 'protobuf'],
    ['application/x-protobuf; charset=utf-8', 'protobuf'],
    ['application/json', 'json'],
    ['application/json; charset=utf-8', 'json'],
    ['application/json;charset=UTF-8', 'json'],
    ['application/json; charset="utf-8"', 'json'],
    [' application/json ; foo=bar', 'json'],
  ])('reads %j as %s', (header, encoding) => {
    expect(parseContentType(header)).toBe(encoding);
  });

  it.each([
    undefined,
    '',
    'text/plain',
    'application/grpc',
    'application/octet-stream',
    'application/jsonl',
    'application/x-protobuf-json',
    'application/json; charset=iso-8859-1',
    'application/json; charset=utf-16',
  ])('refuses %j', (header) => {
    expect(outcomeOf(() => parseContentType(header))).toBe('unsupported_media_type');
  });
});
