/**
 * Attributes that carry what people typed or what models answered. They are dropped while decoding, so no
 * later stage can store, log or forward them even when a client was configured to send them.
 */
export const PRIVATE_TEXT_ATTRIBUTES: ReadonlySet<string> = new Set([
  'prompt',
  'response',
  'tool_input',
  'tool_parameters',
  'function_args',
  'gen_ai.prompt',
  'gen_ai.completion',
  'gen_ai.system_instructions',
  'gen_ai.input.messages',
  'gen_ai.output.messages',
  'gen_ai.tool.call.arguments',
  'gen_ai.tool.call.result',
  // Gemini CLI puts its whole command line here, `-p "<prompt>"` included.
  'process.command_args',
  'process.command_line',
]);
