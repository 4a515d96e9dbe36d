/**
 * Real key material generated at test time with the machine's tools
 * (openssl, ssh-keygen, gpg) in a temporary directory, and the renderings
 * logs show PEM text in. Nothing generated here is committed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KeySet {
  privateKeys: Record<string, string>;
  /** Public material that must pass unchanged. */
  publicMaterial: Record<string, string>;
  cleanup(): void;
}

function run(cmd: string, args: string[], env?: NodeJS.ProcessEnv): string {
  return execFileSync(cmd, args, { encoding: 'latin1', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

export function generateKeys(): KeySet {
  const dir = mkdtempSync(join(tmpdir(), 'scrub-detect-keys-'));
  const f = (name: string) => join(dir, name);
  const read = (name: string) => readFileSync(f(name), 'latin1');
  run('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024', '-out', f('rsa.pem')]);
  run('openssl', ['pkey', '-in', f('rsa.pem'), '-traditional', '-out', f('rsa-trad.pem')]);
  run('openssl', ['rsa', '-in', f('rsa.pem'), '-traditional', '-aes128', '-passout', 'pass:test', '-out', f('rsa-legacy-enc.pem')]);
  run('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', f('ec.pem')]);
  run('openssl', ['ec', '-in', f('ec.pem'), '-out', f('ec-trad.pem')]);
  run('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024', '-aes-128-cbc', '-pass', 'pass:test', '-out', f('enc.pem')]);
  run('openssl', ['dsaparam', '-genkey', '-noout', '-out', f('dsa.pem'), '1024']);
  run('openssl', ['dsa', '-in', f('dsa.pem'), '-out', f('dsa-trad.pem')]);
  run('openssl', ['genpkey', '-algorithm', 'ED25519', '-out', f('ed25519.pem')]);
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'test@example.invalid', '-f', f('id_ed25519')]);
  run('ssh-keygen', ['-q', '-t', 'rsa', '-b', '1024', '-N', '', '-C', 'test@example.invalid', '-f', f('id_rsa')]);
  const gnupg = join(dir, 'gnupg');
  run('mkdir', ['-m', '700', gnupg]);
  const genv = { GNUPGHOME: gnupg };
  run('gpg', ['--batch', '--pinentry-mode', 'loopback', '--passphrase', '', '--quick-gen-key', 'Test Key <test@example.invalid>', 'ed25519', 'sign', 'never'], genv);
  const pgp = run('gpg', ['--batch', '--pinentry-mode', 'loopback', '--passphrase', '', '--export-secret-keys', '--armor'], genv);
  const pgpPub = run('gpg', ['--batch', '--export', '--armor'], genv);
  run('openssl', ['pkey', '-in', f('rsa.pem'), '-pubout', '-out', f('rsa-pub.pem')]);
  run('openssl', ['req', '-x509', '-new', '-key', f('rsa.pem'), '-subj', '/CN=test.example.invalid', '-days', '1', '-out', f('cert.pem')]);
  const certText = run('openssl', ['x509', '-in', f('cert.pem'), '-text', '-noout']);
  return {
    privateKeys: {
      'PKCS#8 RSA': read('rsa.pem'),
      'RSA (traditional)': read('rsa-trad.pem'),
      'RSA (legacy encrypted, Proc-Type headers)': read('rsa-legacy-enc.pem'),
      'PKCS#8 EC': read('ec.pem'),
      'EC (traditional)': read('ec-trad.pem'),
      'ENCRYPTED PKCS#8': read('enc.pem'),
      'DSA (traditional)': read('dsa-trad.pem'),
      'PKCS#8 Ed25519': read('ed25519.pem'),
      'OpenSSH ed25519': read('id_ed25519'),
      'OpenSSH rsa': read('id_rsa'),
      'PGP private key block': pgp,
    },
    publicMaterial: {
      'PEM public key': read('rsa-pub.pem'),
      certificate: read('cert.pem'),
      'openssl x509 -text': certText,
      'ssh-ed25519 public key': read('id_ed25519.pub'),
      'ssh-rsa public key': read('id_rsa.pub'),
      'PGP public key block': pgpPub,
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The renderings of a multi-line text (LF lines) that logs show. */
export function renderings(pem: string): Record<string, string> {
  const text = pem.endsWith('\n') ? pem.slice(0, -1) : pem;
  const lines = text.split('\n');
  const json = JSON.stringify(text);
  return {
    LF: text + '\n',
    CRLF: lines.join('\r\n') + '\r\n',
    'YAML indented': 'tls:\n  key: |\n' + lines.map((l) => '    ' + l).join('\n') + '\n  other: 1\n',
    'docker compose prefix': lines.map((l) => 'web_1  | ' + l).join('\n') + '\nweb_1  | done\n',
    'timestamp prefix': lines.map((l, i) => `2026-12-01T11:00:${String(i % 60).padStart(2, '0')}.1234567Z ${l}`).join('\n') + '\n',
    'JSON one line': `{"private_key": ${json}, "n": 1}\n`,
    'JSON with \\/': `{"private_key": ${json.replace(/\//g, '\\/')}}\n`,
    'JSON in JSON (\\\\n)': `{"log": ${JSON.stringify(`{"key": ${json}}`)}}\n`,
    quoted: `KEY="${text}"\nNEXT=1\n`,
    'flattened with spaces': `KEY=${lines.join(' ')} rest\n`,
  };
}

/** The body lines of a PEM text: every line between the armor lines that is base64 (not a header). */
export function bodyLines(pem: string): string[] {
  const lines = pem.split('\n').map((l) => l.trim());
  return lines.filter((l) => !l.startsWith('-----') && /^[A-Za-z0-9+/=]{16,}$/.test(l));
}

/**
 * An armor line (five dashes, BEGIN or END, the label, five dashes), built at run time: the
 * tests need the armor, and committing it literally makes the repository
 * look like it holds key material (bodies are generated, see above).
 */
export function armor(edge: 'BEGIN' | 'END', label: string): string {
  const dashes = '-'.repeat(5);
  return `${dashes}${edge} ${label}${dashes}`;
}
