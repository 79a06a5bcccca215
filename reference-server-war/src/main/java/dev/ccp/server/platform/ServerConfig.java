package dev.ccp.server.platform;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Settings from the environment ({@code CCP_*}); a system property of the same name wins, so an
 * application server's own configuration can set them too. Read once at start; each value is checked
 * then, so a bad setting stops the server with a clear message instead of failing later.
 */
public final class ServerConfig {

    private final Map<String, String> env;

    public ServerConfig(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    public static ServerConfig fromEnvironment() {
        Map<String, String> all = new java.util.HashMap<>(System.getenv());
        System.getProperties().forEach((k, v) -> {
            if (k.toString().startsWith("CCP_")) {
                all.put(k.toString(), v.toString());
            }
        });
        return new ServerConfig(all);
    }

    public Optional<String> get(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    public String get(String name, String fallback) {
        return get(name).orElse(fallback);
    }

    public int getInt(String name, int fallback, int min, int max) {
        Optional<String> raw = get(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value < min || value > max) {
                throw new IllegalStateException(name + " must be between " + min + " and " + max + ", was " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalStateException(name + " must be a whole number, was '" + raw.get() + "'", e);
        }
    }

    /** The data folder: H2 files and generated keys. {@code CCP_DATA}, else {@code .ccp-data} in the working folder. */
    public Path dataDir() {
        return Path.of(get("CCP_DATA", ".ccp-data")).toAbsolutePath();
    }

    public Path keysDir() {
        return get("CCP_KEYS_DIR").map(Path::of).orElse(dataDir().resolve("keys")).toAbsolutePath();
    }

    /** The JDBC URL: {@code CCP_DB_URL}, else an H2 file database in the data folder. */
    public String dbUrl() {
        return get("CCP_DB_URL").orElseGet(() -> "jdbc:h2:file:" + dataDir().resolve("db").resolve("ccp")
                + ";AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE");
    }

    public Optional<String> dbUser() {
        return get("CCP_DB_USER");
    }

    public Optional<String> dbPassword() {
        return get("CCP_DB_PASSWORD");
    }

    /**
     * The URL people and clients reach the server at; when unset it is taken from each request whose
     * {@code Host} the server {@linkplain #answersFor answers for}.
     */
    public Optional<String> publicUrl() {
        return get("CCP_PUBLIC_URL").map(u -> u.endsWith("/") ? u : u + "/");
    }

    /**
     * Whether a request naming this {@code Host} is for this server: a loopback name (so the
     * quickstart works), the public URL's host, or one listed in {@code CCP_ALLOWED_HOSTS}
     * (comma-separated; {@code name} takes any port, {@code name:port} only that one).
     */
    public boolean answersFor(String hostHeader) {
        String host = hostHeader.strip().toLowerCase(java.util.Locale.ROOT);
        int portAt = host.lastIndexOf(':') > host.lastIndexOf(']') ? host.lastIndexOf(':') : -1;
        String name = portAt < 0 ? host : host.substring(0, portAt);
        if (name.equals("localhost") || name.equals("127.0.0.1") || name.equals("[::1]")) {
            return true;
        }
        if (publicUrl().map(u -> java.net.URI.create(u).getHost()).filter(name::equalsIgnoreCase).isPresent()) {
            return true;
        }
        return get("CCP_ALLOWED_HOSTS").stream().flatMap(list -> java.util.Arrays.stream(list.split(",")))
                .map(a -> a.strip().toLowerCase(java.util.Locale.ROOT))
                .anyMatch(allowed -> allowed.equals(host) || allowed.equals(name));
    }

    /** Whether the public URL is https, so people reach the server over TLS whatever the hop before it was. */
    public boolean publicHttps() {
        return publicUrl().map(u -> u.regionMatches(true, 0, "https:", 0, 6)).orElse(false);
    }

    /**
     * Whether the stand-in sign-in is on ({@code CCP_STAND_IN_LOGIN=on}): it believes whatever email
     * or handle is typed in, which is right on a laptop and wrong anywhere else, so it is off unless
     * asked for, and refused at an https public URL unless
     * {@code CCP_STAND_IN_LOGIN_OVER_HTTPS_BELIEVES_ANYONE=yes} says the operator means it.
     *
     * @throws IllegalStateException when the settings ask for it where it must not run
     */
    public boolean standInLogin() {
        String value = get("CCP_STAND_IN_LOGIN", "off");
        if (!value.equals("on") && !value.equals("off")) {
            throw new IllegalStateException("CCP_STAND_IN_LOGIN must be on or off, was '" + value + "'");
        }
        boolean on = value.equals("on");
        if (on && publicHttps() && !"yes".equals(get("CCP_STAND_IN_LOGIN_OVER_HTTPS_BELIEVES_ANYONE", "no"))) {
            throw new IllegalStateException("CCP_STAND_IN_LOGIN=on believes any email or handle typed in, and " + publicUrl().orElseThrow()
                    + " is a public https address: set up GitHub sign-in (CCP_GITHUB_CLIENT_ID) instead, or set"
                    + " CCP_STAND_IN_LOGIN_OVER_HTTPS_BELIEVES_ANYONE=yes if anyone may really sign in as anyone");
        }
        return on;
    }

    /** Whether a load balancer in front sets {@code X-Forwarded-For} and may be believed. */
    public boolean trustProxy() {
        return Boolean.parseBoolean(get("CCP_TRUST_PROXY", "false"));
    }

    /** The secret Polar signs webhooks with ({@code whsec_…}); without it Polar webhooks are refused. */
    public Optional<String> polarWebhookSecret() {
        return get("CCP_POLAR_WEBHOOK_SECRET");
    }

    /** The Stripe endpoint secret ({@code whsec_…}) for {@code Stripe-Signature}. */
    public Optional<String> stripeWebhookSecret() {
        return get("CCP_STRIPE_WEBHOOK_SECRET");
    }

    /** Which provider a checkout goes to when the request names none: {@code polar} unless set. */
    public String billingProvider() {
        return get("CCP_BILLING_PROVIDER", "polar");
    }

    public Optional<String> operatorToken() {
        return get("CCP_OPERATOR_TOKEN");
    }

    public Duration accessTokenTtl() {
        return Duration.ofSeconds(getInt("CCP_ACCESS_TTL_SECONDS", 900, 60, 86_400));
    }

    public Duration refreshTokenTtl() {
        return Duration.ofDays(getInt("CCP_REFRESH_TTL_DAYS", 90, 1, 3650));
    }

    public Duration deviceCodeTtl() {
        return Duration.ofSeconds(getInt("CCP_DEVICE_TTL_SECONDS", 600, 60, 3600));
    }

    public int devicePollInterval() {
        return getInt("CCP_DEVICE_INTERVAL", 5, 1, 60);
    }

    /** Wrong user codes the whole device page takes per minute, from all addresses together (RFC 8628 §5.1). */
    public int deviceGuessesPerMinute() {
        return getInt("CCP_DEVICE_GUESSES_PER_MINUTE", 30, 1, 100_000);
    }

    public Duration packTtl() {
        return Duration.ofDays(getInt("CCP_PACK_TTL_DAYS", 14, 1, 365));
    }

    public Duration packRefresh() {
        return Duration.ofHours(getInt("CCP_PACK_REFRESH_HOURS", 24, 1, 24 * 30));
    }

    public Duration packGrace() {
        return Duration.ofDays(getInt("CCP_PACK_GRACE_DAYS", 7, 0, 90));
    }

    /**
     * How long audit entries are kept; empty (the default) keeps them for ever. Pruning stops at
     * the newest signed checkpoint before the cut, so what is kept stays verifiable.
     */
    public Optional<Duration> auditRetention() {
        return get("CCP_AUDIT_RETENTION_DAYS").map(v -> Duration.ofDays(getInt("CCP_AUDIT_RETENTION_DAYS", 0, 1, 36_500)));
    }

    /** Minutes between the signing of audit checkpoints for every org whose log moved on. */
    public int auditCheckpointMinutes() {
        return getInt("CCP_AUDIT_CHECKPOINT_MINUTES", 60, 1, 24 * 60);
    }

    /** How long a signed policy pack stays valid; it is signed again when less than half is left. */
    public Duration policyTtl() {
        return Duration.ofHours(getInt("CCP_POLICY_TTL_HOURS", 24, 1, 24 * 30));
    }

    /** Ingest batches one org may send per minute. */
    /** Sign-in and invite pages a client address may load or post per minute. */
    public int signInsPerMinute() {
        return getInt("CCP_SIGNINS_PER_MINUTE", 30, 1, 100_000);
    }

    public int ingestPerMinute() {
        return getInt("CCP_INGEST_PER_MINUTE", 120, 1, 1_000_000);
    }

    public Optional<Path> plansFile() {
        return get("CCP_PLANS_FILE").map(Path::of);
    }
}
