/**
 * Plug points of the SDK: where a host tool may keep credentials somewhere other than the default
 * files (an OS keychain, a CI secret store), and where it keeps recorded usage and its hourly
 * rollups ({@link dev.ccp.spi.store.UsageStore}) when the default embedded database does not suit it.
 */
package dev.ccp.spi.store;
