package dev.ccp.server.it;

import java.io.File;
import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Base of the integration tests: each test class starts the WAR the build just packaged (not a
 * hand-picked subset of it) on Payara Micro and talks to it over HTTP as a client.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
abstract class ServerIT {

    static final String OPERATOR = "it-operator-token-0123456789abcdef";

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive war() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("ccp.war", "target/ccp.war")));
    }

    Http http() {
        return new Http(base);
    }
}
