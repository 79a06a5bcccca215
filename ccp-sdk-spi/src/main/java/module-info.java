/**
 * The CCP contract: the JSON records of the HTTP API, the license pack codec shared by the SDK and
 * the server, and the plug points of the SDK.
 */
module dev.ccp.spi {
    requires transitive com.fasterxml.jackson.databind;
    requires transitive com.nimbusds.jose.jwt;
    requires com.fasterxml.jackson.datatype.jsr310;
    requires io.github.javadiffutils;

    exports dev.ccp.spi.audit;
    exports dev.ccp.spi.license;
    exports dev.ccp.spi.policy;
    exports dev.ccp.spi.runs;
    exports dev.ccp.spi.store;
    exports dev.ccp.spi.usage;
    exports dev.ccp.spi.wire;

    opens dev.ccp.spi.license to com.fasterxml.jackson.databind;
    // Open, not only to Jackson: the JSON Schema of the document is a resource of this package.
    opens dev.ccp.spi.policy;
    opens dev.ccp.spi.wire to com.fasterxml.jackson.databind;
}
