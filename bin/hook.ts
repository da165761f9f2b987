// The command hook the clients spawn on every tool call and prompt, bundled into one file by bin/build-hook.ts
// so that it starts without the TypeScript toolchain.
import { hookCommand } from './commands/hook.ts';

hookCommand.run(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
