/**
 * Plug points of the SDK: where a host tool may keep credentials somewhere other than the default
 * files (an OS keychain, a CI secret store).
 */
package dev.ccp.spi.store;
