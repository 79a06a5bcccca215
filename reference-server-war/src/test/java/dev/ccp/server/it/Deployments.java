package dev.ccp.server.it;

import java.io.File;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The WAR under test is the one the build just packaged, not a hand-picked subset of it. */
public final class Deployments {

    private Deployments() {
    }

    public static WebArchive server() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("ccp.war", "target/ccp.war")));
    }
}
