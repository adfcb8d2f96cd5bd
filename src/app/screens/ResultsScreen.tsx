import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { placementLabel } from '../../domain/targets.js';
import { Chart } from '../../components/Chart.js';
import { ResultsTable } from '../../components/ResultsTable.js';
import { chartHeight, chartLines, chartModel, timelineLines } from '../../domain/chart.js';
import { relativeStartupLine } from '../../export/statistics.js';
import { useAppState } from '../context.js';
import { fittedModel, fittedStatistics } from '../results-view.js';

/**
 * The results file of the session: the table, the chart of each mode's timings and the statistics
 * (what fits), each mode's verdict, the errors; t swaps them for each run's timeline.
 */
export function ResultsScreen({ width, height }: { width: number; height: number }) {
  const results = useAppState((s) => s.results);
  const timeline = useAppState((s) => s.timeline);
  const runs = results?.runs;
  const summaries = results?.summary;
  const model = useMemo(() => fittedModel(runs ?? [], width - 2), [runs, width]);
  // With one run per mode the statistics would only repeat the table.
  const allStatistics = useMemo(
    () => (summaries?.some((summary) => summary.passed >= 2) ? fittedStatistics(summaries, width - 2) : null),
    [summaries, width],
  );
  const chart = useMemo(() => chartModel(summaries ?? []), [summaries]);
  if (!results) return null;
  if (timeline) {
    // The runs' timeline first; the chart above it where the rest of the screen holds it.
    const runsRows = Math.min(results.runs.length + 2, height - 2);
    const chartRoom = height - 3 - runsRows - 2;
    return (
      <Box flexDirection="column" paddingX={1} paddingTop={1} height={height} overflow="hidden">
        {chart.modes.length > 0 && chartRoom > chart.modes.length ? (
          <Box flexDirection="column" marginBottom={1}>
            <Text bold>Median timings per mode</Text>
            <Chart lines={chartLines(chart, width - 2, chartRoom)} />
          </Box>
        ) : null}
        <Text bold>Where each run's time went</Text>
        <Chart lines={timelineLines(results.runs, width - 2, height - 2)} />
      </Box>
    );
  }
  const advice = results.recommendation ?? '';
  const failures = results.runs.filter((record) => record.error);
  // The recommendation wraps: count the rows it takes.
  const adviceRows = Math.ceil(advice.length / Math.max(20, width - 2));
  const notes = results.summary.length + failures.length + adviceRows + 1;
  const room = height - 5 - notes;
  // The statistics (a blank, header, rule, a row per mode) only where the table keeps three rows.
  const statisticsRows = allStatistics ? allStatistics.rows.length + 3 : 0;
  const statistics = allStatistics && room - statisticsRows >= 3 ? allStatistics : null;
  const left = room - (statistics ? statisticsRows : 0);
  // The chart under the table where it keeps a row per mode and its axis (t shows it in full).
  const chartLeast = chart.modes.length + 2;
  const chartFits = chart.modes.length > 0 && left - 3 >= chartLeast;
  // The table gets what the rest leaves, but never fewer than three rows.
  const tableRows = Math.max(3, chartFits ? Math.min(model.rows.length, left - chartLeast) : left);
  const chartShown = chartFits ? chartLines(chart, width - 2, Math.min(chartHeight(chart), left - tableRows - 1)) : [];
  return (
    <Box flexDirection="column" paddingX={1} paddingTop={1} height={height} overflow="hidden">
      <ResultsTable model={model} maxRows={tableRows} />
      {chartShown.length > 0 ? (
        <Box marginTop={1}>
          <Chart lines={chartShown} />
        </Box>
      ) : null}
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
