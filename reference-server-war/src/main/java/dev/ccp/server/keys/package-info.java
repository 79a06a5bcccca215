/**
 * The server's Ed25519 signing keys, one ring per purpose (access tokens, license packs, policy
 * packs), kept as JWK sets in the keys folder and published at {@code /.well-known/jwks.json}. The
 * first key of a ring signs; the others keep verifying until they are retired.
 */
package dev.ccp.server.keys;
