import type { Attributes } from '../otlp/types.ts';
import { stringAttr } from './attributes.ts';
import { claudeCode, isClaudeCode } from './claude-code/index.ts';
import { codex, isCodex } from './codex/index.ts';
import { geminiCli, isGeminiCli } from './gemini-cli/index.ts';
import { genaiSemconv } from './genai-semconv/index.ts';
import type { SourceAdapter } from './types.ts';

const UNNAMED_SERVICE = 'unknown_service';

/** The dialect of a resource, chosen by `service.name`; anything unrecognised speaks GenAI semconv. */
export function adapterFor(resource: Attributes): SourceAdapter {
  const serviceName = stringAttr(resource, 'service.name') ?? UNNAMED_SERVICE;
  if (isClaudeCode(serviceName)) return claudeCode;
  if (isCodex(serviceName)) return codex;
  if (isGeminiCli(serviceName)) return geminiCli;
  return genaiSemconv(serviceName);
}
