// The CNCF Wasm config names a module's WASI version and a component's world; anything else in those places (a
// terminal escape, a path, an object) is not shown.
import * as assert from 'node:assert/strict';
import { parseWasmConfig } from '../../../src/core/graph';

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('WebAssembly configs (CNCF layout): what they say of a module', () => {
  it('reads the WASI version, the world a component targets and the creation time', () => {
    assert.deepEqual(
      parseWasmConfig(
        json({
          created: '2026-12-06T05:00:00Z',
          architecture: 'wasm',
          os: 'wasip2',
          layerDigests: [],
          component: { exports: [], imports: [], target: 'wasi:http/proxy@0.2.0' },
        }),
      ),
      { os: 'wasip2', target: 'wasi:http/proxy@0.2.0', created: '2026-12-06T05:00:00Z' },
    );
    assert.deepEqual(parseWasmConfig(json({ architecture: 'wasm', os: 'wasip1' })), { os: 'wasip1' });
  });

  it('drops values that are no WASI version or world, and reads nothing from what is not a JSON object', () => {
    assert.deepEqual(parseWasmConfig(json({ os: 'linux', component: { target: 'x\u001b[2J' } })), {});
    assert.deepEqual(parseWasmConfig(json({ os: 'wasip2\n', component: { target: { world: 'x' } } })), {});
    assert.equal(parseWasmConfig(Buffer.from('{')), undefined);
    assert.equal(parseWasmConfig(json(['wasip2'])), undefined);
  });
});
