import type { ResultsFile } from '../domain/results.js';
import { renderMarkdown } from './markdown.js';
import { renderSvg } from './svg.js';

export const EXPORT_KINDS = ['json', 'markdown', 'svg'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

/** The --json / --markdown / --svg targets: a file, `-` for stdout, or null (or absent) when not asked for. */
export type ExportTargets = { [kind in ExportKind]?: string | null };

/** Where the app's e / j keys write when no target was given: the working folder. */
export const DEFAULT_EXPORT_NAMES: Record<ExportKind, string> = { json: 'results.json', markdown: 'RESULTS.md', svg: 'results.svg' };

/** What an export file holds. */
export function exportContent(file: ResultsFile, kind: ExportKind): string {
  if (kind === 'json') return `${JSON.stringify(file, null, 2)}\n`;
  return kind === 'markdown' ? renderMarkdown(file) : renderSvg(file);
}

/**
 * Rewrites the export files with the results so far (after every finished run, so an interrupted
 * session keeps what it measured). Writes go one after another, so an earlier, slower write never
 * lands over a newer one; a failed write rejects its own call and the next ones still run. `-` is
 * skipped: stdout takes the export once, at the end.
 */
export function exportWriter(
  targets: ExportTargets,
  write: (target: string, content: string) => Promise<unknown>,
): (file: ResultsFile) => Promise<void> {
  let queue: Promise<unknown> = Promise.resolve();
  return (file) => {
    const next = queue.then(async () => {
      for (const kind of EXPORT_KINDS) {
        const target = targets[kind];
        if (target && target !== '-') await write(target, exportContent(file, kind));
      }
    });
    queue = next.catch(() => {});
    return next;
  };
}
