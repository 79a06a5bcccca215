package dev.ccp.server.platform.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /openapi}: the API's OpenAPI 3.1 document, written by hand in {@code ccp/openapi.yaml}
 * (a test holds it to the routes the code declares and validates it). YAML by default; JSON with
 * {@code Accept: application/json} or {@code ?format=json}.
 */
@ApplicationScoped
@Path("openapi")
public class OpenApiResource {

    public static final String YAML = "application/yaml";
    private static final Document DOCUMENT = Document.load();

    /** The document in both forms, read once. */
    private record Document(byte[] yaml, byte[] json) {
        static Document load() {
            try (InputStream in = OpenApiResource.class.getResourceAsStream("/ccp/openapi.yaml")) {
                if (in == null) {
                    throw new IllegalStateException("ccp/openapi.yaml is missing from the WAR");
                }
                byte[] yaml = in.readAllBytes();
                JsonNode tree = new YAMLMapper().readTree(yaml);
                return new Document(yaml, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(tree));
            } catch (IOException e) {
                throw new UncheckedIOException("ccp/openapi.yaml does not read", e);
            }
        }
    }

    @GET
    public Response document(@QueryParam("format") String format, @Context HttpHeaders headers) {
        boolean json;
        if (format != null) {
            json = switch (format) {
                case "json" -> true;
                case "yaml" -> false;
                default -> throw ProblemException.badRequest("format must be yaml or json, was '" + abbreviate(format) + "'");
            };
        } else {
            json = headers.getAcceptableMediaTypes().stream()
                    .anyMatch(type -> !type.isWildcardType() && type.isCompatible(MediaType.APPLICATION_JSON_TYPE));
        }
        return json ? Response.ok(DOCUMENT.json(), MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-8")).build()
                : Response.ok(DOCUMENT.yaml(), YAML + "; charset=UTF-8").build();
    }

    private static String abbreviate(String text) {
        return text.length() > 20 ? text.substring(0, 20) + "…" : text;
    }
}
