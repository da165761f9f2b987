/** Small builders of the wire-neutral model shared by the protobuf and JSON decoders, so both agree exactly. */
import { Temporality } from './types.ts';
import type { AttributeValue, InstrumentationScope, Resource } from './types.ts';
import { PRIVATE_TEXT_ATTRIBUTES } from './privacy.ts';

/**
 * Attribute keys come from the sender: "__proto__" must become an own key, not replace the object's prototype.
 * Prompt and response text is dropped here, before anything else can see it.
 */
export function setAttribute(target: Record<string, AttributeValue>, key: string, value: AttributeValue): void {
  if (PRIVATE_TEXT_ATTRIBUTES.has(key)) return;
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** Proto3 enums are open: a value outside the known ones says nothing usable about temporality. */
export function toTemporality(value: number): Temporality {
  return value === Temporality.Delta || value === Temporality.Cumulative ? value : Temporality.Unspecified;
}

/** What an absent Resource means in OTLP: no attributes. */
export function emptyResource(): Resource {
  return { attributes: {} };
}

/** What an absent InstrumentationScope means in OTLP: an unnamed scope. */
export function emptyScope(): InstrumentationScope {
  return { name: '', version: '', attributes: {} };
}
