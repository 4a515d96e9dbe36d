/**
 * The structural detectors by name, with a one-line description each (the
 * public contract: options, stats, the CLI's --list-detectors). The
 * detectors themselves live in src/detect; this is only the list.
 */
export const DETECTORS = Object.freeze([
  { name: 'private-key', description: 'PEM/OpenSSH/PGP private key blocks: the body between the armor lines, masked as it streams' },
  { name: 'github', description: 'GitHub tokens ghp_/gho_/ghu_/ghs_/ghr_ (CRC32 checked) and github_pat_ fine-grained tokens' },
  { name: 'npm', description: 'npm access tokens npm_ (CRC32 checked)' },
  { name: 'gitlab', description: 'GitLab tokens glpat-, gldt-, glrt-, glcbt-, glptt-, glft-, glimt-, glagent-, glsoat-, glffct-, gloas-' },
  { name: 'slack', description: 'Slack tokens xoxb-/xoxp-/xoxa-/xoxr-/xoxs-/xoxe-, xapp- and hooks.slack.com webhook paths' },
  { name: 'stripe', description: 'Stripe secret and restricted keys sk_live_, rk_live_, sk_test_, rk_test_' },
  { name: 'aws', description: 'AWS access key ids AKIA/ASIA/ABIA/ACCA + 16, and secret keys right after aws_secret_access_key / SecretAccessKey' },
  { name: 'google', description: 'Google API keys AIza + 35' },
  { name: 'pypi', description: 'PyPI upload tokens pypi-AgEIcHlwaS5vcmc...' },
  { name: 'openai', description: 'OpenAI keys sk-proj-, sk-svcacct-, sk-admin-, and legacy sk-...T3BlbkFJ...' },
  { name: 'anthropic', description: 'Anthropic keys sk-ant-api03-, sk-ant-admin01-' },
  { name: 'jwt', description: 'JSON Web Tokens eyJ...eyJ...sig whose header decodes to JSON with "alg"' },
  { name: 'url-password', description: 'the password in scheme://user:password@host' },
  { name: 'auth-header', description: 'the credential after Authorization: Basic|Bearer|Token (any case)' },
  { name: 'query-param', description: 'values of sensitive URL query parameters (token, access_token, private_token, X-Amz-Signature, sig, ...)' },
] as const);

export type DetectorName = (typeof DETECTORS)[number]['name'];

/** Every detector name, in the order above. */
export const DETECTOR_NAMES: readonly DetectorName[] = Object.freeze(DETECTORS.map((d) => d.name));
