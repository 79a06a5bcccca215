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

    /** @param github null when GitHub sign-in is not set up */
    public SignInMethods(boolean standIn, GitHubSignIn github) {
        this.standIn = standIn;
        this.github = github;
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
        SignInAttempts.Started started = SignInAttempts.start(em, "github", purpose, resume, now);
        return new Redirect(github.authorize(started.state(), started.challenge(), callback(baseUrl)), started.state());
    }

    /** Where GitHub sends people back to, as registered with the GitHub app. */
    public static String callback(String baseUrl) {
        return baseUrl + "login/github/callback";
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
