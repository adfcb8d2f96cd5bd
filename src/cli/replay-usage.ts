/** `cc-iso replay --help`, also part of `cc-iso --help` (kept apart so --help loads no replay code). */
export const REPLAY_USAGE = `cc-iso replay <file> [options]   plays a recorded session offline: no engine, credential or network
  --speed <n>        play n times as fast (default 1; 10 shows a 5-minute session in 30 s)
  --from <seconds>   start that far into the recording
  --cast <file>      render the replay into an asciicast v2 file instead of showing it
  --size <WxH>       the terminal size of --cast (default 120x36)
  --json <file> --markdown <file> --svg <file>   the results files, as the recorded session wrote them
Keys while it plays: space pauses, ← → go back and forward, and the app's keys as in a live session.`;
