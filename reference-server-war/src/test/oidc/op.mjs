// A real OpenID provider (the certified npm package oidc-provider) for OidcSignInIT. Settings come
// from the environment: PORT, REDIRECT_URI (the server's /login/oidc/callback), JWKS_FILE (kept
// between starts, so a restart with ROTATE_KID adds a new signing key in front of the old ones).
// Anyone may sign in on its development login page; a login that is an email address is that
// address, verified unless it starts with "unverified".
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const PORT = Number(process.env.PORT);
const ISSUER = `http://127.0.0.1:${PORT}`;
const JWKS_FILE = process.env.JWKS_FILE;

function rsaKey(kid) {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' };
}
if (!existsSync(JWKS_FILE)) {
  writeFileSync(JWKS_FILE, JSON.stringify({ keys: [rsaKey('rsa-1')] }));
}
if (process.env.ROTATE_KID) {
  const jwks = JSON.parse(readFileSync(JWKS_FILE, 'utf8'));
  if (!jwks.keys.some((k) => k.kid === process.env.ROTATE_KID)) {
    jwks.keys.unshift(rsaKey(process.env.ROTATE_KID));
    writeFileSync(JWKS_FILE, JSON.stringify(jwks));
  }
}

const client = (id, alg) => ({
  client_id: id,
  client_secret: `${id}-secret-long-enough-for-hmac-sha-256`,
  redirect_uris: [process.env.REDIRECT_URI],
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_basic',
  id_token_signed_response_alg: alg,
});

const provider = new Provider(ISSUER, {
  clients: [client('ccp-rs256', 'RS256'), client('ccp-hs256', 'HS256')],
  pkce: { required: () => true },
  jwks: JSON.parse(readFileSync(JWKS_FILE, 'utf8')),
  cookies: { keys: ['oidc-it-cookie-key'] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'] },
  features: { devInteractions: { enabled: true } },
  enabledJWA: { idTokenSigningAlgValues: ['RS256', 'HS256'] },
  async findAccount(ctx, sub) {
    const email = sub.includes('@') ? sub : `${sub}@example.test`;
    return {
      accountId: sub,
      async claims() {
        return { sub, email, email_verified: !sub.startsWith('unverified') };
      },
    };
  },
});
provider.on('server_error', (ctx, err) => console.error('server_error', err));
provider.listen(PORT, '127.0.0.1', () => console.log(`OP listening at ${ISSUER}`));
