import { writeFile } from 'node:fs/promises';
import { styleText } from 'node:util';

type Colour = Parameters<typeof styleText>[0];

/** Colours only when writing to a terminal that wants them (NO_COLOR, FORCE_COLOR respected). */
export function paint(colour: Colour, text: string, stream: NodeJS.WriteStream = process.stdout): string {
  return styleText(colour, text, { stream, validateStream: true });
}

/** Writes an export to a file, or to stdout for "-". */
export async function writeExport(target: string, content: string): Promise<void> {
  if (target === '-') process.stdout.write(content.endsWith('\n') ? content : `${content}\n`);
  else await writeFile(target, content.endsWith('\n') ? content : `${content}\n`);
}
