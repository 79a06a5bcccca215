package dev.ccp.server.platform.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.jakarta.rs.json.JacksonJsonProvider;
import dev.ccp.spi.wire.Json;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;

/**
 * JSON on the wire through the SPI's Jackson configuration, strict on input: an unknown field in a
 * request is an error, not something silently dropped.
 */
@Provider
@Consumes({MediaType.APPLICATION_JSON, "application/*+json"})
@Produces({MediaType.APPLICATION_JSON, "application/*+json"})
public class JsonProvider extends JacksonJsonProvider {

    public JsonProvider() {
        super(Json.strict());
    }

    /**
     * The Jackson jar also registers its plain provider through META-INF/services, and JAX-RS may pick
     * either; this resolver gives that one the same mapper.
     */
    @Provider
    public static class Mapper implements ContextResolver<ObjectMapper> {
        @Override
        public ObjectMapper getContext(Class<?> type) {
            return Json.strict();
        }
    }
}
