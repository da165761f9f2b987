/** One object of a rolled-up day, by its key under the team bucket (or output folder). */
export interface RollupFile {
  readonly key: string;
  readonly body: Uint8Array;
  readonly contentType: string;
}

/**
 * Port: where rolled-up days go (a folder, or the team bucket). Keys are fixed per table and day, so writing
 * a day again replaces it and never leaves a second file beside the first.
 */
export interface RollupOutput {
  /** Writes the files in order, each replacing the one at its key; throws if any could not be written. */
  writeDay(files: readonly RollupFile[]): Promise<void>;
}
