const BAR_WIDTH = 30;

/**
 * One line on stderr, rewritten in place: a bar for `share` (0 to 1) of the work, then `text`. Nothing when
 * stderr is not a terminal, so logs and pipes get only the final summary.
 */
export function showProgress(share: number, text: string): void {
  if (!process.stderr.isTTY) return;
  const clamped = Math.min(1, Math.max(0, share));
  const filled = Math.round(clamped * BAR_WIDTH);
  process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${(clamped * 100).toFixed(0).padStart(3)}%  ${text}`);
}

/** Ends the progress line, if one was drawn. */
export function endProgress(): void {
  if (process.stderr.isTTY) process.stderr.write('\n');
}
