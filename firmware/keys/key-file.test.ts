// Key files: durable exclusive writes (never replacing a key) and shredding (bytes overwritten before the unlink).
import { linkSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shredFile, writeFileDurably } from './key-file';

describe('key files', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'posfw-keyfile-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a whole file with the mode asked, leaving no temp file', async () => {
    const path = join(dir, 'a.key');
    await writeFileDurably(path, 'abc\n', { mode: 0o600 });
    expect(readFileSync(path, 'utf8')).toBe('abc\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['a.key']);
  });

  it('an exclusive write never replaces an existing file', async () => {
    const path = join(dir, 'a.key');
    writeFileSync(path, 'old');
    await expect(writeFileDurably(path, 'new', { exclusive: true })).rejects.toMatchObject({ code: 'EEXIST' });
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['a.key']);
  });

  it('shreds: overwrites the bytes in place (a hard link to the inode sees them) and unlinks; missing files are fine', async () => {
    const path = join(dir, 'a.key');
    writeFileSync(path, 'K'.repeat(64));
    const witness = join(dir, 'witness');
    linkSync(path, witness); // same inode: shows what is left on the blocks after the shred
    await shredFile(path);
    expect(readdirSync(dir)).toEqual(['witness']);
    const left = readFileSync(witness, 'latin1');
    expect(left).toHaveLength(64);
    expect(left).not.toContain('KKKK');
    await expect(shredFile(path)).resolves.toBeUndefined();
  });
});
