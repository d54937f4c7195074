/**
 * The ts-kafka installation directory (the one holding package.json, conf/ and bin/), found from the
 * location of the running code so it works both compiled (dist/src/...) and from sources.
 */
import fs from 'node:fs';
import path from 'node:path';

export function installDir(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'conf'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}
