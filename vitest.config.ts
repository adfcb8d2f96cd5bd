import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    globalSetup: ['test/helpers/global-setup.ts'],
    // Engine tests start real containers; on a 2-core machine they are steadier one file at a time.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 600_000,
    env: { FORCE_COLOR: '0', CC_ISO_CONFIG_DIR: '/tmp/cc-iso-test-config', CC_ISO_DATA_DIR: '/tmp/cc-iso-test-data' },
  },
});
