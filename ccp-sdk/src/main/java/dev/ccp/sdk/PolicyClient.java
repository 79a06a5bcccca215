package dev.ccp.sdk;

import dev.ccp.sdk.internal.PolicyEngine;
import dev.ccp.spi.policy.PolicyDocument;
import java.util.Optional;

/**
 * The policy of the logged-in org in one channel, kept current. It starts from the verified disk
 * cache (or the pack bundled with the host tool), so a policy is in force before the network
 * answers; {@link #start()} then keeps a long poll open so that a publish is active within about a
 * second. Every pack is verified before it is used or cached; a refused one leaves the active pack
 * in force and is reported in {@link #status()}.
 *
 * <pre>{@code
 * PolicyClient policy = ccp.policy();
 * policy.addListener((document, status) -> reconfigure(document));
 * policy.start();
 * if (!policy.current().map(p -> p.allowsModel(model)).orElse(true)) { … }
 * }</pre>
 *
 * <p>Get one from {@link CcpClient#policy()}; it is closed with its {@link CcpClient}.
 */
public final class PolicyClient {

    private final PolicyEngine engine;
    private final Runnable start;

    PolicyClient(PolicyEngine engine, Runnable start) {
        this.engine = engine;
        this.start = start;
    }

    public String channel() {
        return engine.channel();
    }

    /** The document in force, if any. Cheap: a volatile read; call it on every model request. */
    public Optional<PolicyDocument> current() {
        return Optional.ofNullable(engine.document());
    }

    public PolicyStatus status() {
        return engine.status();
    }

    /** Starts the background long poll; calling it again does nothing. Does nothing in offline mode. */
    public PolicyClient start() {
        start.run();
        return this;
    }

    /**
     * Asks the server now, without waiting for a change, and makes a newer pack active.
     *
     * @throws CcpException when the server cannot be asked or its pack is refused
     *     ({@link CcpException.Kind#POLICY_INVALID}); the active pack then stays, and the failure is
     *     also in {@link #status()}
     */
    public PolicyReload reload() {
        return engine.fetch(0);
    }

    public void addListener(PolicyListener listener) {
        engine.addListener(listener);
    }
}
