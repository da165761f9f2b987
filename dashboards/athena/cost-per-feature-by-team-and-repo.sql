-- Cost per feature, by team and repo, per month: what each feature's sessions came to, wherever its work
-- happened. A feature is the `feature/<slug>` label (or slug rule) of the pull request a session worked toward;
-- each session is in one feature only, so the features of a month, `unattributed` among them, sum to its total.
-- Days rolled up before the column existed read as unattributed.
SELECT
  substr(dt, 1, 7) AS month,
  coalesce(feature, 'unattributed') AS feature,
  team,
  repo,
  count(DISTINCT user_email) AS developers,
  sum(sessions) AS sessions,
  sum(input_tokens + cache_read_tokens + cache_write_tokens + output_tokens) AS tokens,
  sum(estimated_cost_usd) AS estimated_cost_usd,
  sum(unpriced_tokens) AS unpriced_tokens
FROM team_usage
GROUP BY substr(dt, 1, 7), coalesce(feature, 'unattributed'), team, repo
ORDER BY month, CASE WHEN coalesce(feature, 'unattributed') = 'unattributed' THEN 1 ELSE 0 END, feature, estimated_cost_usd DESC, team, repo
