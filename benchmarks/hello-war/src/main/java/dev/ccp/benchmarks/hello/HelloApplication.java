package dev.ccp.benchmarks.hello;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The JAX-RS application at the root of the WAR's context, its resources discovered, as the server's is. */
@ApplicationPath("")
public class HelloApplication extends Application {
}
