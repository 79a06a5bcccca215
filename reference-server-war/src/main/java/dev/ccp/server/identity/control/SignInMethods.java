package dev.ccp.server.identity.control;

import jakarta.persistence.EntityManager;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ways people prove who they are on this server's pages (the verification page, {@code /login},
 * invite links): GitHub, and the stand-in that believes what is typed, for local use only. Every page
 * offers the same methods.
 */
public final class SignInMethods {

    private final boolean standIn;
    private final GitHubSignIn github;
    private final OidcSignIn oidc;
    private final SsoDirectory sso;

    /**
     * @param github null when GitHub sign-in is not set up
     * @param oidc the client of orgs' own OpenID providers
     * @param sso where orgs' providers are found
     */
    public SignInMethods(boolean standIn, GitHubSignIn github, OidcSignIn oidc, SsoDirectory sso) {
        this.standIn = standIn;
        this.github = github;
        this.oidc = oidc;
        this.sso = sso;
    }

    public boolean standIn() {
        return standIn;
    }

    public Optional<GitHubSignIn> github() {
        return Optional.ofNullable(github);
    }

    /**
     * Who a form says the person is, when the stand-in is on.
     *
     * @throws IllegalArgumentException with a sentence for the person when it is off or the form names no one
     */
    public Identity typed(Map<String, String> form) {
        if (!standIn) {
            throw new IllegalArgumentException(github != null ? "Sign in with GitHub: this server does not take a typed email or handle."
                    : "No way to sign in is set up on this server yet; ask its operator.");
        }
        return Identity.parse(form.get("login")).orElseThrow(() ->
                new IllegalArgumentException("Enter an email address (you@example.com) or a GitHub handle (octocat)."));
    }

    /** Where to send a person to sign in with GitHub, and the {@code state} their browser keeps meanwhile. */
    public record Redirect(URI to, String state) {
    }

    /**
     * Begins a sign-in with GitHub for a page.
     *
     * @param purpose the page that finishes it ({@code web}, {@code device}, {@code invite})
     * @param resume what that page needs to carry on
     * @param baseUrl this server's public URL, for the callback GitHub sends the person back to
     */
    public Redirect startGitHub(EntityManager em, String purpose, Map<String, Object> resume, String baseUrl, Instant now) {
        if (github == null) {
            throw new IllegalStateException("GitHub sign-in is not set up");
        }
        SignInAttempts.Started started = SignInAttempts.start(em, Memberships.GITHUB, purpose, resume, now);
        return new Redirect(github.authorize(started.state(), started.challenge(), callback(baseUrl)), started.state());
    }

    /** Where GitHub sends people back to, as registered with the GitHub app. */
    public static String callback(String baseUrl) {
        return baseUrl + "login/github/callback";
    }

    /** Where orgs' OpenID providers send people back to, as registered with each provider. */
    public static String ssoCallback(String baseUrl) {
        return baseUrl + "login/oidc/callback";
    }

    /** A sign-in through an org's provider, begun: the attempt, and the org whose provider it is. */
    public record SsoStart(SignInAttempts.Started started, SsoDirectory.Connection connection) {
    }

    /**
     * Begins a sign-in through the provider of the org that claimed the email's domain; the
     * provider is asked nothing yet (see {@link #ssoRedirect}), so no transaction waits on it.
     *
     * @throws IllegalArgumentException with a sentence for the person when no org claimed the domain
     */
    public SsoStart startSso(EntityManager em, String email, String purpose, Map<String, Object> resume, Instant now) {
        Identity identity = Identity.parse(email).filter(i -> i.email() != null)
                .orElseThrow(() -> new IllegalArgumentException("Enter your work email address (you@corp.example) to sign in with your company's provider."));
        SsoDirectory.Connection connection = sso.forEmail(em, identity.email()).orElseThrow(() -> new IllegalArgumentException(
                "No org on this server signs in people of " + SsoDirectory.domainOf(identity.email())
                        + " through its own provider." + (github != null ? " Sign in with GitHub instead." : "")));
        Map<String, Object> withOrg = new java.util.HashMap<>(resume);
        withOrg.put("sso_org", connection.orgId());
        return new SsoStart(SignInAttempts.start(em, Memberships.OIDC, purpose, withOrg, now), connection);
    }

    /**
     * A typed email in a domain an org claimed is not believed: the person is sent to that org's
     * provider instead, the way the SSO button would.
     *
     * @return the begun sign-in, or empty when no org claimed the email's domain (or no email was typed)
     */
    public Optional<SsoStart> routeTyped(EntityManager em, Identity typed, String purpose, Map<String, Object> resume, Instant now) {
        if (typed.email() == null || sso.forEmail(em, typed.email()).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(startSso(em, typed.email(), purpose, resume, now));
    }

    /** Where to send the person for a begun sign-in: their org's provider, found through its discovery document. */
    public Redirect ssoRedirect(SsoStart start, String baseUrl) throws SignInRefused {
        SignInAttempts.Started s = start.started();
        return new Redirect(oidc.authorize(client(start.connection()), s.state(), s.nonce(), s.challenge(), ssoCallback(baseUrl)), s.state());
    }

    /** The org whose provider a sign-in went to. */
    public Optional<SsoDirectory.Connection> ssoOf(EntityManager em, SignInAttempts.Attempt attempt) {
        return attempt.resume().get("sso_org") instanceof String org ? sso.ofOrg(em, org) : Optional.empty();
    }

    /**
     * Who the org's provider says the person is, from the code it sent them back with; only an email
     * in the domains the org claimed, since a provider vouches for its own people alone.
     */
    public Identity identifySso(SsoDirectory.Connection connection, SignInAttempts.Attempt attempt, String code, String baseUrl) throws SignInRefused {
        Identity identity = oidc.identify(client(connection), code, attempt.verifier(), attempt.nonce(), ssoCallback(baseUrl));
        if (!connection.covers(identity.email())) {
            throw new SignInRefused("Your company's provider vouched for " + identity.email() + ", which is outside the domains org "
                    + connection.orgSlug() + " set up; ask an owner of the org.");
        }
        return identity;
    }

    private static OidcSignIn.Client client(SsoDirectory.Connection c) {
        return new OidcSignIn.Client(c.issuer(), c.clientId(), c.clientSecret());
    }

    /** The origins the pages' forms may lead to, besides this server: the providers' sign-in pages. */
    public List<String> formTargets() {
        List<String> targets = new ArrayList<>();
        if (github != null) {
            targets.add(github.origin());
        }
        return targets;
    }
}
