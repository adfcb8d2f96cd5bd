import { describe, expect, it } from 'vitest';
import { hostInfo } from '../../src/export/host-info.js';

describe('hostInfo', () => {
  it('names the user and uid', () => {
    expect(hostInfo(() => ({ uid: 1000, username: 'alice' })).user).toBe('alice (uid 1000)');
  });

  it('still describes a uid without a passwd entry instead of stopping the run', () => {
    // What os.userInfo() throws for such a uid (a container's --user, a sandbox).
    const noEntry = () => {
      throw Object.assign(new Error('A system error occurred: uv_os_get_passwd returned ENOENT (no such file or directory)'), {
        code: 'ERR_SYSTEM_ERROR',
      });
    };
    expect(hostInfo(noEntry).user).toMatch(/ \(uid \d+\)$/);
  });
});
