-- API-equivalent cost vs seat price, per developer and month: what each person's agent usage would have
-- cost at API list prices (estimated_cost_usd, all tools) against a monthly seat price of {{seat_price_usd}}
-- US dollars per developer (the deployment's seatmeter:seatPriceUsd setting). Positive api_minus_seat_usd:
-- the seat is the cheaper way to pay for that person's month. Unpriced tokens are shown apart, not counted
-- as $0.
WITH seat AS (
  SELECT CAST({{seat_price_usd}} AS DOUBLE) AS price_usd
),
developer_months AS (
  SELECT
    substr(dt, 1, 7) AS month,
    team,
    user_email,
    sum(estimated_cost_usd) AS api_equivalent_cost_usd,
    sum(unpriced_tokens) AS unpriced_tokens,
    count(DISTINCT dt) AS active_days
  FROM team_usage
  WHERE user_email IS NOT NULL
  GROUP BY substr(dt, 1, 7), team, user_email
)
SELECT
  d.month,
  d.team,
  d.user_email,
  d.api_equivalent_cost_usd,
  seat.price_usd AS seat_price_usd,
  d.api_equivalent_cost_usd - seat.price_usd AS api_minus_seat_usd,
  d.unpriced_tokens,
  d.active_days
FROM developer_months d
CROSS JOIN seat
ORDER BY d.month, api_minus_seat_usd DESC, d.user_email
