import { describe, expect, it } from 'vitest';
import { describeDetection, runtimeName, type Detection } from '../../src/domain/detection.js';

const docker: Detection = {
  mode: 'docker',
  available: true,
  runtime: 'Docker Engine',
  version: '28.1.1',
  details: ['rootless', 'OCI runtime: crun'],
  reason: null,
  fix: null,
};

describe('describeDetection', () => {
  it('names what runs a mode, with the facts detection found', () => {
    expect(runtimeName(docker)).toBe('Docker Engine 28.1.1');
    expect(describeDetection(docker)).toBe('Docker Engine 28.1.1 (rootless; OCI runtime: crun)');
    expect(describeDetection({ ...docker, version: null, details: [] })).toBe('Docker Engine');
  });

  it('says why a mode is unavailable and how to fix it', () => {
    const missing: Detection = { ...docker, available: false, runtime: null, version: null, details: [], reason: 'docker not found', fix: 'install Docker' };
    expect(describeDetection(missing)).toBe('docker not found — install Docker');
    expect(describeDetection({ ...missing, reason: null, fix: null })).toBe('unavailable');
  });
});
