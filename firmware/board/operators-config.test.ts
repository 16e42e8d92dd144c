// Board config: passwords are refused (they live hashed in the data folder); operator policy defaults are a real board's.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { BoardConfigError, parseBoard, loadBoard } from './load';

const ROOT = join(__dirname, '..', '..');
const sim = () => JSON.parse(readFileSync(join(ROOT, 'board-configs', 'sim.json'), 'utf8'));

describe('operators in the board config', () => {
  it('refuses a password in the board file, naming where it should live', () => {
    const b = sim();
    b.security.supervisorPassword = '123456';
    expect(() => parseBoard(b, 'shop.json')).toThrow(BoardConfigError);
    try {
      parseBoard(b, 'shop.json');
    } catch (err) {
      expect((err as BoardConfigError).problems).toEqual(['$.security.supervisorPassword: passwords are not kept in the board config: operators log in with passwords stored hashed in the data folder (docs/operators.md)']);
    }
  });

  it('real boards default to login required, factory passwords changed at first login, lock-out after 3', () => {
    expect(loadBoard(join(ROOT, 'board-configs', 'rpi-terminal.json')).operators).toEqual({
      loginRequired: true,
      factoryPasswords: 'must-change',
      autoLogoutMin: 30,
      maxAttempts: 3,
      lockoutSec: 60,
      maxLockoutSec: 3600,
      supervisorFor: ['void', 'refund', 'preauth-cancel', 'completion-void', 'settlement', 'settings'],
    });
    expect(loadBoard(join(ROOT, 'board-configs', 'sim.json')).operators).toMatchObject({ loginRequired: false, factoryPasswords: 'allowed' });
    expect(loadBoard(join(ROOT, 'board-configs', 'sim.json')).policy.maxAmount).toBe(99_999_999);
  });
});
