export type ClientId = 'claude-code' | 'codex' | 'gemini';

/** Validated flags of `seatmeter client-config`. */
export interface ClientConfigRequest {
  readonly client: ClientId;
  /** Base URL of the seatmeter receiver, without a trailing slash. */
  readonly endpoint: string;
  readonly token: string | undefined;
  readonly user: string | undefined;
  /** The administrator's machine-wide file instead of the user's own. */
  readonly managed: boolean;
  /** The budget hook beside the telemetry: the bundled command, Claude Code's `http` hook, or none. */
  readonly hooks: HookWiring;
  /** What the command hook does when seatmeter cannot answer. */
  readonly fail: 'open' | 'closed';
  /** Where the bundled hook file lives on the machine the client runs on. */
  readonly hookPath: string;
  /** Where Gemini CLI sends OTLP/gRPC instead of OTLP/HTTP to `endpoint` (`--protocol grpc`); `endpoint` still answers its hook. */
  readonly grpcEndpoint: string | undefined;
}

export const HOOK_WIRINGS = ['command', 'http', 'none'] as const;
export type HookWiring = (typeof HOOK_WIRINGS)[number];

/** One file to edit: one heading per place it may live, and what to paste there. */
export interface ConfigSection {
  readonly headings: readonly string[];
  readonly content: string;
}

export interface ClientConfig {
  readonly sections: readonly ConfigSection[];
  /** Advice that is not pasted anywhere. */
  readonly notes: readonly string[];
}
