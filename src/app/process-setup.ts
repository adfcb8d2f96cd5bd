import { setFlagsFromString } from 'node:v8';

/*
 * Imported before Ink and React. React picks its development or production build by NODE_ENV
 * when it is first loaded, and the development build does several times the work per render.
 * The runs the app starts must not inherit the change, so restoreEnvironment() undoes it once
 * React is loaded.
 */
const previous = process.env.NODE_ENV;
process.env.NODE_ENV ??= 'production';

export function restoreEnvironment(): void {
  if (previous === undefined) delete process.env.NODE_ENV;
  else process.env.NODE_ENV = previous;
}

/**
 * A busy UI makes V8 double its young generation again and again (to 134 MB here), trading memory
 * for fewer minor collections. Under a flood of output that doubled the peak RSS; the young
 * generation at its start size keeps it under 200 MB, with minor collections well under a
 * millisecond. V8 reads this flag each time it would grow the space, so setting it late works.
 */
export function capYoungGeneration(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}
