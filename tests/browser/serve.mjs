// A tiny static file server for the built site, with no dependencies: serves DIR under a base
// path (e.g. /tsunagu/) on 127.0.0.1 and a random port, like a static host would.
//
//   import { serve } from './serve.mjs';
//   const server = await serve({ root: '/tmp/out', base: '/tsunagu/' });
//   server.url // http://127.0.0.1:PORT/tsunagu/
//   await server.close();
//
// Run directly to look at a build by hand: node tests/browser/serve.mjs DIR [/base/] [port]

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

export const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.bin': 'application/octet-stream',
};

export function contentType(path) {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

async function isFile(path) {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function isDir(path) {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Serves `root` under `base` (leading and trailing slash, default "/").
 * Resolves to { server, port, origin, url, close() }.
 */
export async function serve({ root, base = '/', host = '127.0.0.1', port = 0 } = {}) {
  if (!base.startsWith('/')) base = `/${base}`;
  if (!base.endsWith('/')) base = `${base}/`;
  const rootDir = resolve(root);
  const notFoundPage = join(rootDir, '404.html');

  async function send(res, status, path, method) {
    const body = await readFile(path);
    res.writeHead(status, {
      'content-type': contentType(path),
      'content-length': body.length,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
    res.end(method === 'HEAD' ? undefined : body);
  }

  async function notFound(res, method) {
    if (await isFile(notFoundPage)) return send(res, 404, notFoundPage, method);
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(method === 'HEAD' ? undefined : 'not found\n');
  }

  async function handle(req, res) {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      res.end('method not allowed\n');
      return;
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('bad request\n');
      return;
    }
    // The base path itself without its slash redirects, as static hosts do.
    if (pathname === base.slice(0, -1)) {
      res.writeHead(301, { location: base });
      res.end();
      return;
    }
    if (!pathname.startsWith(base) || pathname.includes('\0')) return notFound(res, method);
    const rel = pathname.slice(base.length);
    const file = resolve(rootDir, `.${sep}${rel}`);
    if (file !== rootDir && !file.startsWith(rootDir + sep)) return notFound(res, method);
    if (await isDir(file)) {
      if (!pathname.endsWith('/')) {
        res.writeHead(301, { location: `${pathname}/` });
        res.end();
        return;
      }
      const index = join(file, 'index.html');
      if (await isFile(index)) return send(res, 200, index, method);
      return notFound(res, method);
    }
    if (await isFile(file)) return send(res, 200, file, method);
    return notFound(res, method);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`internal error: ${err.message}\n`);
    });
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, ok);
  });
  const actualPort = server.address().port;
  const origin = `http://${host}:${actualPort}`;
  return {
    server,
    port: actualPort,
    origin,
    base,
    url: `${origin}${base}`,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections?.();
        server.close(() => ok());
      }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [root = 'public', base = '/', port = '0'] = process.argv.slice(2);
  const s = await serve({ root, base, port: Number(port) });
  console.log(`serving ${resolve(root)} at ${s.url}`);
}
