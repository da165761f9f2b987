-- Monthly cost by team and model: what each team's usage of each model came to, re-priced by the rollup at
-- today's API list prices (estimated_cost_usd), beside what the clients reported themselves.
-- Tokens of a model without a price are counted in unpriced_tokens and left out of the cost, never as $0.
-- Rows with a null model hold activity only (active time, commits) and carry no tokens, so they are skipped.
-- Add `AND dt >= 'YYYY-MM-DD'` to scan fewer days.
SELECT
  substr(dt, 1, 7) AS month,
  team,
  model,
  sum(input_tokens) AS input_tokens,
  sum(cache_read_tokens) AS cache_read_tokens,
  sum(cache_write_tokens) AS cache_write_tokens,
  sum(output_tokens) AS output_tokens,
  sum(reasoning_tokens) AS reasoning_tokens,
  sum(estimated_cost_usd) AS estimated_cost_usd,
  sum(unpriced_tokens) AS unpriced_tokens,
  sum(reported_cost_usd) AS reported_cost_usd,
  count(DISTINCT user_email) AS developers
FROM team_usage
WHERE model IS NOT NULL
GROUP BY substr(dt, 1, 7), team, model
ORDER BY month, team, estimated_cost_usd DESC, model
