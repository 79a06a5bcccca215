package dev.ccp.server.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Polar's and Stripe's API paths as the server calls them, on the port the IT server is configured
 * with ({@code CCP_POLAR_API_URL}, {@code CCP_STRIPE_API_URL}): checkouts answer a URL, and
 * subscriptions answer whatever the test put there. Every request is recorded with its headers.
 */
final class FakeBillingProvider implements AutoCloseable {

    static final int PORT = Integer.getInteger("ccp.it.billing.port", 27211);
    static final String POLAR_TOKEN = "polar_it_token";
    static final String STRIPE_KEY = "sk_test_it";

    /** One request the server made. */
    record Call(String method, String path, String authorization, String contentType, String body) {
    }

    final List<Call> calls = new CopyOnWriteArrayList<>();
    final Map<String, String> subscriptions = new ConcurrentHashMap<>();
    private final HttpServer server;

    FakeBillingProvider() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", PORT), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getPath();
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        calls.add(new Call(exchange.getRequestMethod(), path, auth, exchange.getRequestHeaders().getFirst("Content-Type"), body));
        boolean polar = !path.startsWith("/v1/checkout/sessions") && !(auth != null && auth.endsWith(STRIPE_KEY));
        String expected = "Bearer " + (polar ? POLAR_TOKEN : STRIPE_KEY);
        if (!expected.equals(auth)) {
            answer(exchange, 401, "{\"error\":\"unauthorized\"}");
        } else if (exchange.getRequestMethod().equals("POST") && path.equals("/v1/checkouts/")) {
            answer(exchange, 201, "{\"id\":\"chk_it\",\"url\":\"https://sandbox.polar.test/checkout/chk_it\",\"status\":\"open\"}");
        } else if (exchange.getRequestMethod().equals("POST") && path.equals("/v1/checkout/sessions")) {
            answer(exchange, 200, "{\"id\":\"cs_test_it\",\"object\":\"checkout.session\",\"url\":\"https://checkout.stripe.test/c/pay/cs_test_it\"}");
        } else if (exchange.getRequestMethod().equals("GET") && path.startsWith("/v1/subscriptions/")
                && subscriptions.containsKey(path.substring("/v1/subscriptions/".length()))) {
            answer(exchange, 200, subscriptions.get(path.substring("/v1/subscriptions/".length())));
        } else {
            answer(exchange, 404, "{\"error\":\"not found\"}");
        }
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
