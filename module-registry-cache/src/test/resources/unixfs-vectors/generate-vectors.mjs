// Computes the expected CIDs in generated.csv with the JavaScript UnixFS importer configured like
// `ipfs add` (kubo defaults), and checks that the same importer reproduces every CID in published.csv.
// Usage (see README.md): node generate-vectors.mjs <directory holding published.csv>
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { importer } from 'ipfs-unixfs-importer'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { balanced } from 'ipfs-unixfs-importer/layout'

const KUBO_CHUNK = 262144
const KUBO_LINKS = 174

// Vectors computed here: name, generator, size, chunk size, links per node.
const GENERATED = [
  ['one-chunk', 'xorshift32:1', KUBO_CHUNK, KUBO_CHUNK, KUBO_LINKS],
  ['one-chunk-plus-one', 'xorshift32:2', KUBO_CHUNK + 1, KUBO_CHUNK, KUBO_LINKS],
  ['one-mib', 'xorshift32:3', 1048576, KUBO_CHUNK, KUBO_LINKS],
  ['one-mib-plus-one', 'xorshift32:4', 1048577, KUBO_CHUNK, KUBO_LINKS],
  ['one-full-level', 'xorshift32:5', KUBO_LINKS * KUBO_CHUNK, KUBO_CHUNK, KUBO_LINKS],
  ['two-levels-plus-one', 'xorshift32:6', KUBO_LINKS * KUBO_CHUNK + 1, KUBO_CHUNK, KUBO_LINKS],
  ['two-levels', 'xorshift32:7', (KUBO_LINKS + 2) * KUBO_CHUNK + 100, KUBO_CHUNK, KUBO_LINKS],
  ['small-links-three-levels-full', 'xorshift32:8', 27 * 1024, 1024, 3],
  ['small-links-four-levels', 'xorshift32:9', 28 * 1024 + 5, 1024, 3],
  ['small-links-five-levels', 'xorshift32:10', 100000, 1024, 3]
]

// Content generators; UnixFsTest re-implements each one in Java.
function * content (generator, size) {
  const [kind, arg] = splitOnce(generator, ':')
  const piece = 65536
  if (kind === 'text') {
    const bytes = new TextEncoder().encode(arg.replaceAll('\\n', '\n'))
    if (bytes.length !== size) throw new Error(`${generator}: ${bytes.length} bytes, expected ${size}`)
    yield bytes
  } else if (kind === 'xorshift32') {
    // x ^= x << 13; x ^= x >>> 17; x ^= x << 5 on 32 bits; each state is emitted as 4 little-endian bytes.
    let x = Number(arg) >>> 0
    for (let offset = 0; offset < size; offset += piece) {
      const out = new Uint8Array(Math.min(piece, size - offset))
      for (let i = 0; i < out.length; i += 4) {
        x = (x ^ (x << 13)) >>> 0
        x = (x ^ (x >>> 17)) >>> 0
        x = (x ^ (x << 5)) >>> 0
        for (let b = 0; b < 4 && i + b < out.length; b++) out[i + b] = (x >>> (8 * b)) & 0xff
      }
      yield out
    }
  } else if (kind === 'lcg64') {
    // state = state * 6364136223846793005 + 1442695040888963407 (mod 2^64); each byte is state >>> 56.
    let state = BigInt(arg)
    const mask = (1n << 64n) - 1n
    for (let offset = 0; offset < size; offset += piece) {
      const out = new Uint8Array(Math.min(piece, size - offset))
      for (let i = 0; i < out.length; i++) {
        state = (state * 6364136223846793005n + 1442695040888963407n) & mask
        out[i] = Number(state >> 56n)
      }
      yield out
    }
  } else {
    throw new Error(`unknown generator ${generator}`)
  }
}

function splitOnce (text, separator) {
  const at = text.indexOf(separator)
  return [text.slice(0, at), text.slice(at + 1)]
}

// kubo `ipfs add` (cid-version 0): dag-pb UnixFS File leaves; `--cid-version=1`: raw leaves; `rawLeaves` false with
// cidVersion 1 is `ipfs add --cid-version=1 --raw-leaves=false`.
async function cid (generator, size, cidVersion, rawLeaves, chunkSize, maxChildrenPerNode) {
  const blockstore = { put: async (key) => key }
  const options = {
    cidVersion,
    rawLeaves,
    leafType: 'file',
    reduceSingleLeafToSelf: true,
    chunker: fixedSize({ chunkSize }),
    layout: balanced({ maxChildrenPerNode })
  }
  let root
  for await (const entry of importer([{ content: content(generator, size) }], blockstore, options)) root = entry.cid
  return root.toString()
}

const dir = process.argv[2] ?? '.'
let mismatches = 0
const [header, ...rows] = readFileSync(join(dir, 'published.csv'), 'utf8').trim().split('\n')
if (header !== 'name,generator,size,v0,v1,v1_dag_pb_leaves,source') throw new Error(`unexpected header ${header}`)
for (const row of rows) {
  const [name, generator, size, v0, v1, v1DagPb] = row.split(',')
  const computed = [
    await cid(generator, Number(size), 0, false, KUBO_CHUNK, KUBO_LINKS),
    await cid(generator, Number(size), 1, true, KUBO_CHUNK, KUBO_LINKS),
    await cid(generator, Number(size), 1, false, KUBO_CHUNK, KUBO_LINKS)
  ]
  ;[v0, v1, v1DagPb].forEach((published, i) => {
    const ok = published === '-' || published === computed[i]
    if (!ok) mismatches++
    console.log(`${ok ? 'agrees ' : 'DIFFERS'} published ${name} ${['v0', 'v1', 'v1 dag-pb leaves'][i]}: ${published} computed ${computed[i]}`)
  })
}

const lines = ['name,generator,size,chunk_size,max_links,v0,v1,v1_dag_pb_leaves']
for (const [name, generator, size, chunkSize, maxLinks] of GENERATED) {
  const v0 = await cid(generator, size, 0, false, chunkSize, maxLinks)
  const v1 = await cid(generator, size, 1, true, chunkSize, maxLinks)
  const v1DagPb = await cid(generator, size, 1, false, chunkSize, maxLinks)
  lines.push([name, generator, size, chunkSize, maxLinks, v0, v1, v1DagPb].join(','))
  console.log(lines.at(-1))
}
writeFileSync(join(dir, 'generated.csv'), lines.join('\n') + '\n')

// Directories as `ipfs add -r` builds them: the entries (path|generator|size, a path ending in / is a directory,
// separated by ;) are imported under one wrapping directory, whose CID is the vector. `published` holds the CIDs kubo
// prints for the same tree, where its tests give them; the importer must agree with them.
const DIRECTORIES = [
  ['planets', 'mars.txt|text:Hello Mars!\\n|12;venus.txt|text:Hello Venus!\\n|13',
    { v0: 'QmWSgS32xQEcXMeqd3YPJLrNBLSdsfYCep2U7CFkyrjXwY', v1: 'bafybeih7e5dmkyk25up5vxug4q3hrg2fxbzf23dfrac2fns5h7z4aa7ioi' },
    'kubo test/sharness/t0040-add-and-cat.sh (add_directory and add_directory \'--cid-version=1\')'],
  ['empty', '', {}, 'importer'],
  ['result', 'exitCode|text:0|1;stderr|text:|0;stdout|text:hello\\n|6;outputs/;outputs/a.txt|text:first output\\n|13;' +
    'outputs/empty/;outputs/nested/;outputs/nested/big.bin|xorshift32:11|600000', {}, 'importer'],
  ['name-order', 'b|text:1|1;B|text:2|1;a.txt|text:3|1;a|text:4|1;a-b/;a-b/c|text:5|1;\u00e4|text:6|1;Z/|text:|0', {}, 'importer']
]

async function directoryCid (entries, cidVersion) {
  const blockstore = { put: async (key) => key }
  const options = cidVersion === 0
    ? { cidVersion: 0, rawLeaves: false, leafType: 'file', reduceSingleLeafToSelf: true }
    : { cidVersion: 1, rawLeaves: true }
  const files = entries === '' ? [] : entries.split(';').map(entry => {
    const [path, generator, size] = entry.split('|')
    return path.endsWith('/')
      ? { path: 'root/' + path.slice(0, -1) }
      : { path: 'root/' + path, content: content(generator, Number(size)) }
  })
  if (files.length === 0) files.push({ path: 'root' })
  let root
  const all = { ...options, chunker: fixedSize({ chunkSize: KUBO_CHUNK }), layout: balanced({ maxChildrenPerNode: KUBO_LINKS }) }
  for await (const entry of importer(files, blockstore, all)) if (entry.path === 'root') root = entry.cid
  return root.toString()
}

const directoryLines = ['name,entries,v0,v1,source']
for (const [name, entries, published, source] of DIRECTORIES) {
  const v0 = await directoryCid(entries, 0)
  const v1 = await directoryCid(entries, 1)
  for (const [version, computed] of [['v0', v0], ['v1', v1]]) {
    if (published[version] === undefined) continue
    const ok = published[version] === computed
    if (!ok) mismatches++
    console.log(`${ok ? 'agrees ' : 'DIFFERS'} published directory ${name} ${version}: ${published[version]} computed ${computed}`)
  }
  directoryLines.push([name, entries, v0, v1, source].join(','))
  console.log(directoryLines.at(-1))
}
writeFileSync(join(dir, 'directories.csv'), directoryLines.join('\n') + '\n')
if (mismatches > 0) {
  console.error(`${mismatches} published CIDs differ from the importer`)
  process.exit(1)
}
