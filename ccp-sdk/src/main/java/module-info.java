/**
 * The CCP SDK: device login, offline license verification against built-in or pinned keys, the few
 * account calls a host tool needs, and usage recording with hourly rollups exported to the server.
 * Only {@code dev.ccp.sdk} is API.
 */
module dev.ccp.sdk {
    requires transitive dev.ccp.spi;
    requires java.net.http;
    requires java.sql;
    // H2's jar names this automatic module in its manifest (Automatic-Module-Name).
    requires com.h2database;

    exports dev.ccp.sdk;
}
