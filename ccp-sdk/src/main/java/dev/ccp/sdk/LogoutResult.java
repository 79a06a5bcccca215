package dev.ccp.sdk;

/**
 * What {@link CcpClient#logout()} did. The local files are always gone afterwards; the session may
 * still be alive on the server when it could not be revoked (it then ends when its tokens expire).
 *
 * @param wasLoggedIn whether there were credentials to remove
 * @param revoked whether the server confirmed the revocation
 * @param detail why revocation failed, or null
 */
public record LogoutResult(boolean wasLoggedIn, boolean revoked, String detail) {
}
