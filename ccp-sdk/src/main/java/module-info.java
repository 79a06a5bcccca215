/**
 * The CCP SDK: device login, offline license verification against built-in or pinned keys, and the
 * few account calls a host tool needs. Only {@code dev.ccp.sdk} is API.
 */
module dev.ccp.sdk {
    requires transitive dev.ccp.spi;
    requires java.net.http;

    exports dev.ccp.sdk;
}
