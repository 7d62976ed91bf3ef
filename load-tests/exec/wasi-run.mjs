// Runs a WASI preview 1 module on Node's WASI, as `cidra exec` runs it: node wasi-run.mjs [--mount HOST:GUEST]...
// FILE.wasm [ARG...]. Exits with the guest's exit code. For exec-vs-node.sh.
import fs from 'node:fs';
import { WASI } from 'node:wasi';

const argv = process.argv.slice(2);
const preopens = {};
while (argv[0] === '--mount') {
  const [host, guest] = argv[1].split(':');
  preopens[guest] = host;
  argv.splice(0, 2);
}
const file = argv.shift();
const wasi = new WASI({ version: 'preview1', args: [file, ...argv], env: {}, preopens, returnOnExit: true });
const module = await WebAssembly.compile(fs.readFileSync(file));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
