package dev.ccp.server.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccp.server.CcpApplication;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The hand-written OpenAPI document ({@code ccp/openapi.yaml}) is what client generators read, so it
 * must be valid, complete and exact: every route the JAX-RS resources declare, and nothing else.
 */
class OpenApiDocumentTest {

    static final String DOCUMENT = "/ccp/openapi.yaml";
    static final String PROBLEM = "#/components/schemas/Problem";

    static final SwaggerParseResult PARSED = parse();
    static final OpenAPI API = PARSED.getOpenAPI();

    @Test
    void documentValidatesAgainstTheOpenApiSchema() {
        assertThat(PARSED.getMessages()).isEmpty();
        assertThat(API).isNotNull();
        assertThat(API.getOpenapi()).isEqualTo("3.1.0");
    }

    @Test
    void everyRouteIsDocumentedAndNothingElse() throws Exception {
        Set<String> documented = new TreeSet<>();
        operations((route, operation) -> documented.add(route));
        Set<String> declared = declaredRoutes();

        assertThat(documented).containsExactlyElementsOf(declared);
    }

    @Test
    void everyOperationHasItsOwnOperationId() {
        List<String> ids = new ArrayList<>();
        operations((route, operation) -> {
            assertThat(operation.getOperationId()).as(route).isNotBlank().matches("[a-z][A-Za-z0-9]*");
            ids.add(operation.getOperationId());
        });

        assertThat(ids).doesNotHaveDuplicates();
    }

    @Test
    void noGetOrDeleteTakesARequestBody() {
        operations((route, operation) -> {
            if (route.startsWith("GET ") || route.startsWith("DELETE ")) {
                assertThat(operation.getRequestBody()).as(route).isNull();
            }
        });
    }

    @Test
    void everyOperationDocumentsItsSuccessNotOnlyDefault() {
        operations((route, operation) -> {
            assertThat(operation.getResponses()).as(route).isNotEmpty().doesNotContainKey("default");
            assertThat(operation.getResponses().keySet()).as(route).anyMatch(status -> status.matches("[23](\\d\\d|XX)"));
        });
    }

    @Test
    void errorsOfTheJsonApiAreProblemDetails() {
        operations((route, operation) -> {
            if (!route.contains(" /v1/")) {
                return;
            }
            operation.getResponses().forEach((status, response) -> {
                if (status.charAt(0) >= '4') {
                    Content content = resolve(response).getContent();
                    assertThat(content).as(route + " " + status).containsOnlyKeys("application/problem+json");
                    assertThat(content.get("application/problem+json").getSchema().get$ref()).as(route + " " + status).isEqualTo(PROBLEM);
                }
            });
        });
    }

    @Test
    void everyOperationSaysWhoMayCallIt() {
        Set<String> schemes = API.getComponents().getSecuritySchemes().keySet();
        assertThat(schemes).containsExactlyInAnyOrder("bearer", "runner", "operator", "session");
        operations((route, operation) -> {
            // Explicit on each operation: the document has no default to fall back on.
            assertThat(operation.getSecurity()).as(route).isNotNull();
            operation.getSecurity().forEach(requirement -> assertThat(schemes).as(route).containsAll(requirement.keySet()));
            if (route.contains(" /v1/operator/") || route.equals("POST /v1/admin/billing/reconcile")) {
                assertThat(operation.getSecurity()).as(route).singleElement().satisfies(r -> assertThat(r).containsOnlyKeys("operator"));
            }
            if (route.startsWith("POST /v1/runners/")) {
                assertThat(operation.getSecurity()).as(route).singleElement().satisfies(r -> assertThat(r).containsOnlyKeys("runner"));
            }
        });
    }

    @Test
    void routeTemplatesLoseTheirRegexes() {
        assertThat(template("", "v1/orgs/{org: [a-z]{1,63}}/", "members/{ login }")).isEqualTo("/v1/orgs/{org}/members/{login}");
        assertThat(template("", "", "login")).isEqualTo("/login");
        assertThat(template("", "health", "")).isEqualTo("/health");
    }

    private static SwaggerParseResult parse() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        try (InputStream in = OpenApiDocumentTest.class.getResourceAsStream(DOCUMENT)) {
            assertThat(in).as(DOCUMENT + " on the classpath").isNotNull();
            return new OpenAPIV3Parser().readContents(new String(in.readAllBytes(), StandardCharsets.UTF_8), null, options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each operation of the document, with its route as {@code "GET /v1/me"}. */
    private static void operations(BiConsumer<String, Operation> each) {
        for (Map.Entry<String, PathItem> path : API.getPaths().entrySet()) {
            path.getValue().readOperationsMap().forEach((method, operation) -> each.accept(method + " " + path.getKey(), operation));
        }
    }

    private static ApiResponse resolve(ApiResponse response) {
        if (response.get$ref() == null) {
            return response;
        }
        String name = response.get$ref().substring(response.get$ref().lastIndexOf('/') + 1);
        return API.getComponents().getResponses().get(name);
    }

    /** The routes the server's JAX-RS resources declare, found in the compiled classes of the WAR. */
    private static Set<String> declaredRoutes() throws IOException, URISyntaxException, ClassNotFoundException {
        java.nio.file.Path classes = java.nio.file.Path.of(CcpApplication.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(classes).as("the server's classes directory").isDirectory();
        String application = CcpApplication.class.getAnnotation(ApplicationPath.class).value();
        Set<String> routes = new TreeSet<>();
        List<String> names;
        try (Stream<java.nio.file.Path> files = Files.walk(classes.resolve("dev/ccp/server"))) {
            names = files.map(f -> classes.relativize(f).toString()).filter(f -> f.endsWith(".class"))
                    .map(f -> f.substring(0, f.length() - ".class".length()).replace('/', '.').replace('\\', '.')).toList();
        }
        ClassLoader loader = CcpApplication.class.getClassLoader();
        for (String name : names) {
            Class<?> type = Class.forName(name, false, loader);
            Path resource = type.getAnnotation(Path.class);
            if (resource == null || type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
                continue;
            }
            for (Method method : type.getMethods()) {
                Path sub = method.getAnnotation(Path.class);
                String http = httpMethod(method);
                assertThat(http != null || sub == null).as("%s#%s is a sub-resource locator, which this test cannot follow", name, method.getName())
                        .isTrue();
                if (http != null) {
                    routes.add(http + " " + template(application, resource.value(), sub == null ? "" : sub.value()));
                }
            }
        }
        return routes;
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value();
            }
        }
        return null;
    }

    /** Joins {@code @Path} values into an OpenAPI path template: {@code {name: regex}} becomes {@code {name}}. */
    static String template(String... parts) {
        StringBuilder joined = new StringBuilder();
        for (String part : parts) {
            joined.append('/').append(part);
        }
        StringBuilder path = new StringBuilder();
        int depth = 0;
        boolean inName = false;
        for (char c : joined.toString().toCharArray()) {
            if (c == '{') {
                depth++;
                if (depth == 1) {
                    inName = true;
                    path.append(c);
                }
            } else if (c == '}') {
                depth--;
                if (depth == 0) {
                    inName = false;
                    path.append(c);
                }
            } else if (depth == 0) {
                path.append(c);
            } else if (inName) {
                if (c == ':') {
                    inName = false;
                } else if (!Character.isWhitespace(c)) {
                    path.append(c);
                }
            }
        }
        String normal = path.toString().replaceAll("/+", "/");
        return normal.length() > 1 && normal.endsWith("/") ? normal.substring(0, normal.length() - 1) : normal;
    }
}
