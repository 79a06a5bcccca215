package dev.ccp.benchmarks.hello;

import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Answers {@code GET /hello}. A CDI bean, so the baseline starts CDI as well as JAX-RS, as the
 * server's WAR does.
 */
@Path("hello")
@RequestScoped
public class HelloResource {

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public String hello() {
        return "hello";
    }
}
