package dev.ccp.server.identity.control;

/**
 * Who is calling, from a verified access token: the user, the one org the token is for, and the
 * token family (so that revoking the family ends the token at once).
 */
public record Principal(String userId, String orgId, String familyId, String clientId) {
}
