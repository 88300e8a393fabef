/**
 * The Perfetto trace as `lab export --perfetto` writes it: the packets of
 * src/shared/export/perfetto.ts deflated by Node's zlib into `compressed_packets` bundles, as
 * Perfetto's own service writes a trace configured with `compression_type:
 * COMPRESSION_TYPE_DEFLATE` (zlib's format); Perfetto's reader inflates each bundle in place and
 * reads its packets as if they stood there. Trace processor, the UI's included, is built with zlib
 * wherever it is built ("enable_perfetto_zlib = enable_perfetto_trace_processor || ...", google/
 * perfetto gn/perfetto.gni: "to decompress traces (by trace_processor)").
 *
 * Level 1 (Z_BEST_SPEED): book3s-large's 103.1 MB of packets become 28.9 MB for 1.3 s of CPU more
 * than writing them plain (6.6 s); the default level 6 gives 25.2 MB for 3.8 s more (bench, issue
 * 16).
 */
import { constants, deflateSync } from 'node:zlib'
import { perfettoChunks } from '../shared/export/perfetto'
import type { RunResult } from '../shared/result'

const LEVEL = constants.Z_BEST_SPEED

export function perfettoFileChunks(result: RunResult): Generator<Uint8Array> {
  return perfettoChunks(result, { deflate: (packets) => deflateSync(packets, { level: LEVEL }) })
}
