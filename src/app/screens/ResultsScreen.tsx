import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { placementLabel } from '../../domain/targets.js';
import { ResultsTable } from '../../components/ResultsTable.js';
import { relativeStartupLine } from '../../export/statistics.js';
import { useAppState } from '../context.js';
import { fittedModel, fittedStatistics } from '../results-view.js';

/** The results file of the session: the table and the statistics (the columns that fit), each mode's verdict, the errors. */
export function ResultsScreen({ width, height }: { width: number; height: number }) {
  const results = useAppState((s) => s.results);
  const runs = results?.runs;
  const summaries = results?.summary;
  const model = useMemo(() => fittedModel(runs ?? [], width - 2), [runs, width]);
  // With one run per mode the statistics would only repeat the table.
  const allStatistics = useMemo(
    () => (summaries?.some((summary) => summary.passed >= 2) ? fittedStatistics(summaries, width - 2) : null),
    [summaries, width],
  );
  if (!results) return null;
  const advice = results.recommendation ?? '';
  const failures = results.runs.filter((record) => record.error);
  // The recommendation wraps: count the rows it takes.
  const adviceRows = Math.ceil(advice.length / Math.max(20, width - 2));
  const notes = results.summary.length + failures.length + adviceRows + 1;
  // The statistics (a blank, header, rule, a row per mode) only where the table keeps three rows.
  const room = height - 5 - notes;
  const statistics = allStatistics && room - (allStatistics.rows.length + 3) >= 3 ? allStatistics : null;
  // The table gets what the rest leaves, but never fewer than three rows.
  const tableRows = Math.max(3, room - (statistics ? statistics.rows.length + 3 : 0));
  return (
    <Box flexDirection="column" paddingX={1} paddingTop={1} height={height} overflow="hidden">
      <ResultsTable model={model} maxRows={tableRows} />
      {statistics ? (
        <Box marginTop={1}>
          <ResultsTable model={statistics} maxRows={statistics.rows.length} />
        </Box>
      ) : null}
      <Box flexDirection="column" marginTop={1}>
        {results.summary.map((summary) => (
          <Text key={placementLabel({ mode: summary.mode, target: summary.target ?? null })} wrap="truncate-end">
            <Text bold>{placementLabel({ mode: summary.mode, target: summary.target ?? null })}</Text>
            <Text dimColor>
              {' '}
              {summary.passed}/{summary.runs} passed · {summary.recommendation}
              {relativeStartupLine(summary) ? ` · ${relativeStartupLine(summary)}` : ''}
            </Text>
          </Text>
        ))}
        {failures.map((record) => (
          <Text key={record.id} wrap="truncate-end">
            <Text color="red">✗</Text> {placementLabel({ mode: record.mode, target: record.target ?? null })} #{record.iteration}: {record.error}
          </Text>
        ))}
      </Box>
      <Box marginTop={1}>
        <Text bold>{advice}</Text>
      </Box>
    </Box>
  );
}
