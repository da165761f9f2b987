-- Active developers by team, per month (adoption): people with any agent usage or activity, the days they
-- were active on, the tools they used, and what their work came to. Usage without an identity has no
-- developer to count and is left out here (it stays in the team `unassigned` of the cost query).
SELECT
  substr(dt, 1, 7) AS month,
  team,
  count(DISTINCT user_email) AS active_developers,
  count(DISTINCT user_email || '|' || dt) AS developer_days,
  count(DISTINCT tool) AS tools,
  sum(input_tokens + cache_read_tokens + cache_write_tokens + output_tokens) AS tokens,
  sum(estimated_cost_usd) AS estimated_cost_usd,
  sum(requests) AS requests,
  sum(lines_added) AS lines_added,
  sum(lines_removed) AS lines_removed,
  sum(commits) AS commits,
  sum(pull_requests) AS pull_requests
FROM team_usage
WHERE user_email IS NOT NULL
GROUP BY substr(dt, 1, 7), team
ORDER BY month, active_developers DESC, team
