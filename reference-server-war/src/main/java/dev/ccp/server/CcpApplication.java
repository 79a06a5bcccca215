package dev.ccp.server;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;

/** The JAX-RS application at the root of the WAR's context; resources and providers are discovered. */
@ApplicationPath("")
public class CcpApplication extends Application {

    @Override
    public Map<String, Object> getProperties() {
        // Turns off the JSON features a server may bring (JSON-B on Payara), so the one JSON provider
        // is dev.ccp.server.platform.http.JsonProvider with the SPI's Jackson configuration. WADL is off:
        // it would publish every route, operator endpoints included, to anyone asking with OPTIONS;
        // the API is described by /openapi.
        return Map.of("jersey.config.jsonFeature", "ccp", "jersey.config.server.wadl.disableWadl", true);
    }
}
