import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../../core/errors.js';

/** An uploaded file spooled to disk: imports read it row by row, twice (dry run, commit). */
export interface UploadedFile {
  path: string;
  size: number;
  /** SHA-256 of the content: an Idempotency-Key is matched against the file, not its temp path. */
  sha256: string;
  /** Set once a job owns the file; an unclaimed upload is deleted when the response is sent. */
  claimed?: boolean;
}

export const UPLOAD_TYPES = [
  'text/csv',
  'application/csv',
  'text/plain',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  // What browsers on Windows call a .csv file, and what a script sends when it does not know.
  'application/vnd.ms-excel',
  'application/octet-stream',
];

/** Uploads have their own limit (the JSON body limit is 4 MiB): 200 MiB by default. */
export const maxUploadBytes = () => Number(process.env.CANGKU_IMPORT_MAX_BYTES ?? 200 * 1024 * 1024);
export const importDirectory = () => process.env.CANGKU_IMPORT_DIR ?? join(tmpdir(), 'cangku-imports');

/**
 * Register the body parsers of file uploads. They stream the body to a file in the import
 * directory (never into memory) and hand the route its path; only POST /imports takes them, any
 * other route answers 415 before a byte is stored. Authentication runs before body parsing, so an
 * anonymous upload is refused without being read.
 */
export function registerImportUploads(app: FastifyInstance, apiPrefix = '/api/v1'): void {
  app.addContentTypeParser(UPLOAD_TYPES, (request, payload, done) => {
    if (request.method !== 'POST' || request.url.split('?')[0] !== `${apiPrefix}/imports`) {
      done(new DomainError('validation', `${request.headers['content-type']} bodies are only accepted by POST ${apiPrefix}/imports`, undefined, undefined, 415), undefined);
      return;
    }
    void spool(payload).then((file) => done(null, file), (error) => done(error as Error, undefined));
  });
  // A refused upload (bad query, no right) leaves no file behind.
  app.addHook('onResponse', async (request) => {
    const body = request.body;
    if (isUploadedFile(body) && !body.claimed) await unlink(body.path).catch(() => undefined);
  });
}

async function spool(payload: NodeJS.ReadableStream): Promise<UploadedFile> {
  const dir = importDirectory();
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${randomUUID()}.upload`);
  const limit = maxUploadBytes();
  let size = 0;
  const digest = createHash('sha256');
  const counter = new Transform({
    transform(chunk: Buffer, _enc, next) {
      size += chunk.length;
      if (size > limit) next(new DomainError('validation', `the file is larger than ${limit} bytes`, undefined, undefined, 413));
      else {
        digest.update(chunk);
        next(null, chunk);
      }
    },
  });
  try {
    await pipeline(payload, counter, createWriteStream(path));
  } catch (error) {
    await unlink(path).catch(() => undefined);
    throw error;
  }
  return { path, size, sha256: digest.digest('hex') };
}

export function isUploadedFile(value: unknown): value is UploadedFile {
  return typeof value === 'object' && value !== null && typeof (value as UploadedFile).path === 'string' && typeof (value as UploadedFile).size === 'number';
}
