import { describe, expect, it } from 'vitest';
import { chooseContainerUser } from '../../src/runtimes/container-user.js';

const workspace = (uid: number, adopt = false) => ({ path: '/work/ws', uid, gid: uid, adopt });

describe('who the agent runs as inside a container', () => {
  it('is the workspace owner on a rootful engine, with a writable HOME when the image has none for it', () => {
    expect(chooseContainerUser('docker', false, workspace(1000))).toMatchObject({ args: ['--user', '1000:1000'], env: {} });
    expect(chooseContainerUser('docker', false, workspace(501))).toMatchObject({ args: ['--user', '501:501'], env: { HOME: '/tmp' } });
  });

  it('maps the host user with keep-id on rootless Podman', () => {
    expect(chooseContainerUser('podman', true, workspace(1000))).toMatchObject({ args: ['--userns', 'keep-id'], adopt: false });
  });

  // Rootless Docker maps root inside to the host user; uid 1000 inside is a subordinate id that
  // cannot write a folder the host user owns.
  it('is root on rootless Docker, which is the host user outside', () => {
    const user = chooseContainerUser('docker', true, workspace(1000));
    expect(user).toMatchObject({ args: ['--user', '0:0'], env: { IS_SANDBOX: '1' }, adopt: false });
    expect(user.note).toMatch(/rootless Docker/);
  });

  it('hands a folder cc-iso made as root to the image user, and says so for a root-owned folder the user chose', () => {
    expect(chooseContainerUser('docker', false, workspace(0, true))).toMatchObject({ args: ['--user', '1000:1000'], adopt: true });
    const root = chooseContainerUser('podman', false, workspace(0));
    expect(root).toMatchObject({ args: ['--user', '0:0'], env: { IS_SANDBOX: '1' }, adopt: false });
    expect(root.note).toBe('the workspace /work/ws belongs to root, so the agent runs as root inside the container');
  });
});
