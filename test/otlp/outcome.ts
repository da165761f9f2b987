import { OtlpDecodeError } from '../../lambdas/otlp/errors.ts';

/** 'decoded', the OtlpDecodeError code thrown, or a description of any other (never acceptable) exception. */
export function outcomeOf(run: () => unknown): string {
  try {
    run();
    return 'decoded';
  } catch (error) {
    return error instanceof OtlpDecodeError ? error.code : `untyped ${String(error)}`;
  }
}
