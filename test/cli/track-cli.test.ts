// End-to-end tests for `posfw track parse` through the built CLI (masking, --reveal, bad reads, stdin).
import { runCli } from '../helpers/cli';

const T1 = '%B4111111111111111^DOE/JOHN^25121010000000000000?';
const T2 = ';4111111111111111=25121010000000000?';

describe('posfw track parse', () => {
  it('prints both tracks as JSON with the PAN masked and no track data', async () => {
    const r = await runCli(['track', 'parse', T1 + T2, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      kind: 'card',
      pan: '411111******1111',
      expiry: '2512',
      serviceCode: '101',
      cardholderName: 'DOE/JOHN',
      tracks: [1, 2],
    });
    expect(r.stdout).not.toContain('4111111111111111');
    expect(r.stdout).not.toContain('=2512');
  });

  it('prints the PAN and tracks with --reveal', async () => {
    const r = await runCli(['track', 'parse', T1 + T2 + '\r', '--json', '--reveal']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ pan: '4111111111111111', track2: '4111111111111111=25121010000000000', track1: T1 });
  });

  it('reads track 2 alone from stdin and prints text', async () => {
    const r = await runCli(['track', 'parse'], { input: T2 + '\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(['kind            card', 'pan             411111******1111', 'expiry          2512', 'serviceCode     101', 'tracks          2', ''].join('\n'));
  });

  it('exits 1 with the reason on a bad read', async () => {
    const r = await runCli(['track', 'parse', ';4111111111111112=25121010000000000?', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({ kind: 'bad-read', reason: 'track 2: PAN fails the Luhn check' });
    expect(r.stderr).toBe('posfw track: bad read, swipe again: track 2: PAN fails the Luhn check\n');
  });

  it('refuses a swipe whose tracks disagree', async () => {
    const r = await runCli(['track', 'parse', '%B5555555555554444^DOE/JOHN^2512101?' + T2]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('track 1 and track 2 PANs differ');
    expect(r.stdout).toBe('');
  });
});
