package dev.ccp.server.keys.boundary;

import dev.ccp.server.keys.control.KeyStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Response;

/** {@code GET /.well-known/jwks.json}: the public keys of every purpose, signing and retiring. */
@ApplicationScoped
@Path(".well-known/jwks.json")
public class JwksResource {

    @Inject
    KeyStore keys;

    @GET
    public Response jwks() {
        CacheControl cache = new CacheControl();
        cache.setMaxAge(300);
        return Response.ok(keys.published().toPublicJwks(), "application/jwk-set+json").cacheControl(cache).build();
    }
}
