// Runs a WASI preview 1 command with Node.js (V8) the way FirstRun runs it with Cidra: RUNS runs in one process, each
// printing its wall time; the first includes compiling the module.
//   node wasi-run.mjs RUNS WASM [--mount HOST:GUEST[:ro]]... -- ARGS...
// Prints "node run=<n> ms=<wall> exit=<code>" per run, the guest's stdout/stderr go to this process's.
import { WASI } from 'node:wasi';
import { readFileSync } from 'node:fs';

const argv = process.argv.slice(2);
const split = argv.indexOf('--');
if (argv.length < 2 || split < 2) {
  console.error('usage: node wasi-run.mjs RUNS WASM [--mount HOST:GUEST[:ro]]... -- ARGS...');
  process.exit(2);
}
const runs = Number(argv[0]);
const bytes = readFileSync(argv[1]);
const preopens = {};
for (let i = 2; i < split; i += 2) {
  const [host, guest] = argv[i + 1].split(':');
  preopens[guest] = host;
}
const args = argv.slice(split + 1);
for (let run = 1; run <= runs; run++) {
  const begin = performance.now();
  const wasi = new WASI({ version: 'preview1', args: ['main', ...args], env: {}, preopens, returnOnExit: true });
  const module = await WebAssembly.compile(bytes);
  const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
  const code = wasi.start(instance);
  console.log(`node run=${run} ms=${Math.round(performance.now() - begin)} exit=${code}`);
  if (code !== 0) process.exit(1);
}
