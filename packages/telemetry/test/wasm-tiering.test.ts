import { beforeAll, describe, expect, it } from 'vitest';
import { buildTelemetry, builtModule, inFreshNode } from './support/fresh-node.js';

/**
 * The flag is process-wide V8 state, so each case runs in a node of its own on the built module. The
 * WebAssembly is one hand-assembled function (a counting loop) called until V8 tiers it up or 2,000 rounds
 * of 1,000 calls have passed; V8's test intrinsics (--allow-natives-syntax, for this probe only) say which
 * compiler's code it runs.
 */

const BUILT = builtModule('wasm-tiering.js');

// (func (param i32) (result i32) (local i32) loop: acc += n; n -= 1; br_if n; end; acc)
const BODY = [
  0x01, 0x01, 0x7f, 0x03, 0x40, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x21, 0x01, 0x20, 0x00, 0x41, 0x01, 0x6b, 0x22,
  0x00, 0x0d, 0x00, 0x0b, 0x20, 0x01, 0x0b,
];
const MODULE = [
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
  ...[0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f],
  ...[0x03, 0x02, 0x01, 0x00],
  ...[0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00],
  ...[0x0a, BODY.length + 2, 0x01, BODY.length, ...BODY],
];

interface Tier {
  turbofan: boolean;
  liftoff: boolean;
  sum: number;
}

function hotFunction(setup: string): Tier {
  const script = `
    import { keepWasmOnLiftoff } from ${JSON.stringify(BUILT)};
    ${setup}
    const { exports: { f } } = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(${JSON.stringify(MODULE)})));
    let rounds = 0;
    const round = () => {
      for (let i = 0; i < 1000; i++) f(1000);
      const turbofan = %IsTurboFanFunction(f);
      if (turbofan || ++rounds === 2000) process.stdout.write(JSON.stringify({ turbofan, liftoff: %IsLiftoffFunction(f), sum: f(1000) }));
      else setImmediate(round);
    };
    round();
  `;
  return inFreshNode<Tier>(script, ['--allow-natives-syntax']);
}

beforeAll(buildTelemetry, 60_000);

describe('keepWasmOnLiftoff', () => {
  it('without it, V8 recompiles a hot WebAssembly function with TurboFan', () => {
    expect(hotFunction('')).toEqual({ turbofan: true, liftoff: false, sum: 500_500 });
  });

  it('keeps the same hot function on Liftoff, with the same answers', () => {
    expect(hotFunction('keepWasmOnLiftoff();')).toEqual({ turbofan: false, liftoff: true, sum: 500_500 });
  });
});
