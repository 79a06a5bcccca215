package dev.ccp.server.platform.http;

import dev.ccp.spi.wire.OAuthError;
import dev.ccp.spi.wire.Problem;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;

/**
 * Reads every request body whole, before anything is built from it, and refuses what no endpoint
 * takes: more than {@link #MAX_BYTES}, a {@code Content-Type} that cannot be read or names a charset
 * that does not exist, a JSON body that starts with a byte order mark, and a NUL character anywhere
 * in a JSON or form body (no text the API takes contains one, and PostgreSQL refuses it). The OAuth
 * endpoints take only form bodies, and answer in the RFC 6749 §5.2 shape.
 */
@Provider
@PreMatching
public class BodyGuard implements ContainerRequestFilter {

    public static final long MAX_BYTES = 4L * 1024 * 1024;

    @Override
    public void filter(ContainerRequestContext request) {
        boolean oauth = request.getUriInfo().getPath().replaceFirst("^/", "").startsWith("oauth/")
                && "POST".equals(request.getMethod());
        if (request.getLength() > MAX_BYTES) {
            request.abortWith(tooLarge());
            return;
        }
        // Read first, whatever is refused below: a client still sending its body would not read an
        // answer given before the server read it, and both would wait.
        // Whatever the method: a GET may carry a body too, and it is read as well. Only a declared
        // body is read: a request without one (such as an HTTP/2 upgrade) has no end to wait for.
        boolean declared = request.getLength() > 0 || request.getHeaderString("Transfer-Encoding") != null;
        byte[] body = declared ? read(request.getEntityStream()) : new byte[0];
        if (body == null) {
            request.abortWith(tooLarge());
            return;
        }
        request.setEntityStream(new ByteArrayInputStream(body));
        MediaType type;
        try {
            type = request.getMediaType();
        } catch (IllegalArgumentException | ProcessingException e) {
            request.abortWith(refuse(oauth, 400, "bad-content-type", "Unreadable Content-Type",
                    "the Content-Type header cannot be read; send a media type such as application/json"));
            return;
        }
        if (oauth && (type == null || !MediaType.APPLICATION_FORM_URLENCODED_TYPE.isCompatible(type))) {
            request.abortWith(refuse(true, 400, null, null,
                    "send the parameters as Content-Type: application/x-www-form-urlencoded"));
            return;
        }
        String charset = type == null ? null : type.getParameters().get(MediaType.CHARSET_PARAMETER);
        if (charset != null && !known(charset)) {
            request.abortWith(refuse(oauth, 415, "unsupported-charset", "Unsupported charset",
                    "charset \"" + abbreviate(charset) + "\" is not one this server reads; send UTF-8"));
            return;
        }
        boolean json = type != null && (type.getSubtype().equals("json") || type.getSubtype().endsWith("+json"));
        boolean form = type != null && MediaType.APPLICATION_FORM_URLENCODED_TYPE.isCompatible(type);
        if (json && body.length >= 3 && (body[0] & 0xff) == 0xEF && (body[1] & 0xff) == 0xBB && (body[2] & 0xff) == 0xBF) {
            request.abortWith(refuse(false, 400, "bad-json", "Malformed request body",
                    "the body starts with a byte order mark; send plain UTF-8 JSON"));
            return;
        }
        if (json && nulInJson(body) || form && nulInForm(body)) {
            request.abortWith(refuse(oauth, 400, "nul-character", "NUL character",
                    "the body contains a NUL character (\\u0000 or %00), which no field takes"));
        }
    }

    /** The problem for a NUL character found in {@code where}. */
    static Problem nul(String where) {
        return Problem.of(400, "nul-character", "NUL character", where + " contains a NUL character (%00), which no field takes");
    }

    /** A raw NUL byte, or a {@code \u0000} escape that is not itself an escaped backslash followed by text. */
    static boolean nulInJson(byte[] body) {
        for (int i = 0; i < body.length; i++) {
            if (body[i] == 0) {
                return true;
            }
            if (body[i] == '\\' && i + 5 < body.length && body[i + 1] == 'u' && body[i + 2] == '0' && body[i + 3] == '0'
                    && body[i + 4] == '0' && body[i + 5] == '0') {
                int backslashes = 0;
                for (int j = i; j >= 0 && body[j] == '\\'; j--) {
                    backslashes++;
                }
                if (backslashes % 2 == 1) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean nulInForm(byte[] body) {
        for (int i = 0; i < body.length; i++) {
            if (body[i] == 0 || body[i] == '%' && i + 2 < body.length && body[i + 1] == '0' && body[i + 2] == '0') {
                return true;
            }
        }
        return false;
    }

    /** The whole body, or null when it is longer than the limit (a chunked body declares no length). */
    private static byte[] read(InputStream in) {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) >= 0;) {
                out.write(buffer, 0, n);
                if (out.size() > MAX_BYTES) {
                    return null;
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("reading the request body failed", e);
        }
    }

    private static boolean known(String charset) {
        try {
            return Charset.isSupported(charset);
        } catch (IllegalCharsetNameException e) {
            return false;
        }
    }

    /** A body too large to read: the answer closes the connection, so the client stops sending. */
    static Response tooLarge() {
        return Response.status(413).type(Problem.MEDIA_TYPE).header("Connection", "close")
                .entity(Problem.of(413, "body-too-large", "Request body too large",
                        "a request body may have at most " + MAX_BYTES + " bytes; send smaller batches"))
                .build();
    }

    private static Response refuse(boolean oauth, int status, String slug, String title, String detail) {
        if (oauth) {
            return Response.status(400).type(MediaType.APPLICATION_JSON).header("Cache-Control", "no-store")
                    .entity(new OAuthError(OAuthError.INVALID_REQUEST, detail)).build();
        }
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(Problem.of(status, slug, title, detail)).build();
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }
}
