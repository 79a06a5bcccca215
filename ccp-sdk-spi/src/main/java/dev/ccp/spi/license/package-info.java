/**
 * License packs: the claims, the Ed25519 keys that sign them, and the one codec that the server signs
 * with and the SDK verifies with, so that the two can never drift. Verification is offline and its
 * outcome is a {@link dev.ccp.spi.license.LicenseStatus} value, never an exception.
 */
package dev.ccp.spi.license;
