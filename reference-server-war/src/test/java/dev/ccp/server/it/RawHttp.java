package dev.ccp.server.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Sends bytes as they are, for requests an HTTP client library refuses to make (a forged
 * {@code Host}, a malformed header): the server must cope with what any peer can send.
 */
final class RawHttp {

    record Answer(int status, String head, String body) {
    }

    private RawHttp() {
    }

    /** Sends {@code request} (ending with Connection: close) and reads the whole answer. */
    static Answer send(Http http, String request) {
        URI base = http.uri("");
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            String head = split < 0 ? text : text.substring(0, split);
            String body = split < 0 ? "" : text.substring(split + 4);
            String[] statusLine = head.split("\r\n", 2)[0].split(" ");
            return new Answer(statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : 0, head, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
