// Writes the files @yowasp/yosys bundles in gen/resources-yosys.js (its share/ directory: techmap libraries) into DIR,
// so that both runners can mount them at /share.   node extract-share.mjs RESOURCES_JS DIR
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [resources, out] = process.argv.slice(2);
const { filesystem } = await import(pathToFileURL(resources).href);
function write(dir, tree) {
  mkdirSync(dir, { recursive: true });
  for (const [name, value] of Object.entries(tree)) {
    if (typeof value === 'string' || value instanceof Uint8Array) writeFileSync(join(dir, name), value);
    else write(join(dir, name), value);
  }
}
write(out, filesystem);
