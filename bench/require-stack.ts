import type { CommandContext } from '../core/command.ts';
import { settingsFromConfig, type StackSettings } from '../stack/settings.ts';
import { stackStatus } from '../stack/stack.ts';
import { AppError } from '../core/errors.ts';

/** The dev stack's settings, or a clear error when it is not up (benches do not start it themselves). */
export async function requireStack(ctx: CommandContext): Promise<StackSettings> {
  const s = settingsFromConfig(ctx.config, ctx.root);
  const down = (await stackStatus(s)).filter((c) => !c.healthy).map((c) => c.component);
  if (down.length) throw new AppError(`the stack is not up (${down.join(', ')}): run \`npm run stack -- up\` first`);
  return s;
}
