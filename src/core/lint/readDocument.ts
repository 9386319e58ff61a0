// Reads a file for linting as bytes, so invalid UTF-8 is reported rather than silently replaced.
import { promises as fs } from 'node:fs';
import { decodeDocument, type DecodedDocument } from './utf8';

export async function readDocument(file: string): Promise<DecodedDocument> {
  return decodeDocument(await fs.readFile(file));
}
