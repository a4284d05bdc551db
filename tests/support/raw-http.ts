// One request over node:http with exactly the headers given (fetch would fill in Host and Origin itself): how the
// hardening suites send what a browser, an attacker or a broken client would.
import { request } from 'node:http';

export interface RawAnswer {
  status: number;
  body: string;
}

export const rawRequest = (url: URL, method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<RawAnswer> =>
  new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path, headers: { host: url.host, ...headers, ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
