/** The data directory shared by `serve`, `report` and the other local commands. */
export function dataDirOption(flag: string | undefined): string {
  return flag ?? process.env.SEATMETER_DATA_DIR ?? '.seatmeter';
}
