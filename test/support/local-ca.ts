// A local certificate authority for tests and benches that need a vendor behind TLS: a CA and a
// certificate for 127.0.0.1 signed by it, made with openssl. A Keyway that should trust it gets
// NODE_EXTRA_CA_CERTS=<ca>.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function makeCa(dir: string): { ca: string; cert: string; key: string } {
  const f = (name: string) => join(dir, name);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  ssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=Keyway test CA',
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.pem'),
  );
  ssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    f('vendor.key'),
    '-out',
    f('vendor.csr'),
  );
  writeFileSync(f('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost');
  ssl(
    'x509',
    '-req',
    '-in',
    f('vendor.csr'),
    '-CA',
    f('ca.pem'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    f('san.ext'),
    '-out',
    f('vendor.pem'),
  );
  return { ca: f('ca.pem'), cert: f('vendor.pem'), key: f('vendor.key') };
}
