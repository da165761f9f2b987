-- Coverage gaps in Claude Code telemetry, per person and day, from the reconciliation with Anthropic's
-- Claude Code Analytics API (which the rollup compares with telemetry and never adds to it):
--   analytics_only  usage reached Anthropic but not seatmeter: telemetry not set up on a machine, or dropped;
--   both, drift_ratio below -0.1  telemetry saw more than a tenth less than Anthropic did;
--   telemetry_only  usage seatmeter saw that the API does not cover (Bedrock, Vertex, Foundry), or that the
--                   API had not published yet when the day was rolled up.
-- Days rolled up without an Anthropic admin key (coverage not_configured) compared nothing and are left out.
SELECT
  dt AS day,
  team,
  user_email,
  coverage,
  telemetry_tokens,
  analytics_tokens,
  drift_ratio,
  telemetry_estimated_cost_usd,
  analytics_estimated_cost_usd,
  cost_drift_ratio
FROM claude_code_coverage
WHERE coverage IN ('analytics_only', 'telemetry_only') OR drift_ratio < -0.1
ORDER BY day DESC, team, user_email
