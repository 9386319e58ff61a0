// Layouts for the referrer-graph UI checks, written by the core engine in the test process: a subject with a
// chain of referrers (each signing the one before), and a graph of exactly `count` nodes.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pushArtifact } from '../../../src/core/files/artifact';
import type { Descriptor } from '../../../src/core/oci/descriptor';
import { LayoutTarget } from '../../../src/core/layout/LayoutTarget';
import { attachBytes } from '../../../src/core/supplyChain';

export interface GraphLayout {
  /** The folder holding the layout (remove it when done). */
  dir: string;
  layout: string;
  target: LayoutTarget;
  subject: Descriptor;
}

/** A layout with `app.txt` pushed as `<tag>`. */
/** Runs `work` on a fresh subject layout (see subjectLayout) and removes the layout afterwards. */
export async function withSubjectLayout(tag: string, work: (fixture: GraphLayout) => Promise<void>): Promise<void> {
  const fixture = await subjectLayout(tag);
  try {
    await work(fixture);
  } finally {
    fs.rmSync(fixture.dir, { recursive: true, force: true });
  }
}

export async function subjectLayout(tag: string): Promise<GraphLayout> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stowage-graph-ui-'));
  const file = path.join(dir, 'app.txt');
  fs.writeFileSync(file, `the ${tag} artifact\n`);
  const layout = path.join(dir, 'layout');
  const target = await LayoutTarget.open(layout, { create: true });
  const pushed = await pushArtifact(target, [file], { tag, artifactType: 'application/vnd.stowage.demo.v1' });
  return { dir, layout, target, subject: pushed.descriptor };
}

/** A referrer of `subject` with one small text file, told apart by `name` (in its content and annotation). */
export function attachNote(target: LayoutTarget, subject: Descriptor, name: string): Promise<Descriptor> {
  return attachBytes(target, subject, {
    artifactType: 'application/vnd.example.note.v1',
    documents: [{ title: `${name}.txt`, mediaType: 'text/plain', bytes: Buffer.from(`${name}\n`) }],
    annotations: { 'org.example.name': name },
  });
}

/** `length` referrers, each referring to the one before (the first to the subject); returns them in order. */
export async function attachChain(target: LayoutTarget, subject: Descriptor, length: number): Promise<Descriptor[]> {
  const chain: Descriptor[] = [];
  let previous = subject;
  for (let i = 1; i <= length; i++) {
    previous = await attachNote(target, previous, `level-${i}`);
    chain.push(previous);
  }
  return chain;
}

/**
 * `count` nodes in two levels (the subject, `branches` referrers of it, and the rest spread over those), the shape
 * of many signed SBOMs and attestations: wide, like real graphs, rather than one long column.
 */
export async function attachFanOut(
  target: LayoutTarget,
  subject: Descriptor,
  count: number,
  branches = 20,
): Promise<void> {
  const middle: Descriptor[] = [];
  for (let i = 0; i < branches; i++) middle.push(await attachNote(target, subject, `branch-${i}`));
  for (let i = 0; i < count - 1 - branches; i++) await attachNote(target, middle[i % branches]!, `leaf-${i}`);
}
