package dev.ccp.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Long polls of many subscribers over plain HTTP/1.1 sockets, one kept-alive connection each, all
 * served by one selector thread. A stand-in for a fleet of machines that costs the machine it runs
 * on little: the JDK's HTTP client spent about a millisecond of CPU on each answer, so a thousand
 * subscribers took most of a core from the server being measured. It speaks only what the policy
 * long poll needs: a GET with headers, and an answer with a {@code Content-Length} or chunked body.
 */
final class LongPolls implements AutoCloseable {

    /**
     * An answer, on the selector thread: its status, its {@code ETag} (or the one the request held),
     * its body, and when it was complete.
     */
    interface Answer {
        void arrived(int subscriber, int status, String etag, String body, long nanos);
    }

    private final Selector selector;
    private final Connection[] connections;
    private final Answer answer;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    /** Subscriber {@code i} asks {@code uris.get(i % uris.size())}, with {@code token} as its bearer. */
    LongPolls(List<URI> uris, String token, int subscribers, Answer answer) {
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.answer = answer;
        this.connections = new Connection[subscribers];
        for (int i = 0; i < subscribers; i++) {
            connections[i] = new Connection(i, uris.get(i % uris.size()), token);
        }
        this.thread = new Thread(this::loop, "long-polls");
        thread.setDaemon(true);
        thread.start();
    }

    /** Sends subscriber {@code i}'s long poll holding {@code etag}; from any thread. */
    void ask(int i, String etag) {
        tasks.add(() -> connections[i].send(etag));
        selector.wakeup();
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
    }

    private void loop() {
        try {
            while (!closed) {
                selector.select(1_000);
                for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
                    task.run();
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    ((Connection) key.attachment()).ready(key);
                }
                selector.selectedKeys().clear();
            }
            for (Connection c : connections) {
                c.drop();
            }
            selector.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One subscriber's connection and the request it has in flight. */
    private final class Connection {
        private final int subscriber;
        private final InetSocketAddress address;
        private final String head;
        private SocketChannel channel;
        private SelectionKey key;
        private ByteBuffer out;
        private ByteBuffer in = ByteBuffer.allocate(8_192);
        private String etag;

        Connection(int subscriber, URI uri, String token) {
            this.subscriber = subscriber;
            this.address = new InetSocketAddress(uri.getHost(), uri.getPort());
            this.head = "GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nAuthorization: Bearer " + token + "\r\nPrefer: wait=55\r\n";
        }

        void send(String held) {
            etag = held;
            out = ByteBuffer.wrap((head + "If-None-Match: " + held + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            in.clear();
            try {
                if (channel == null) {
                    channel = SocketChannel.open();
                    channel.configureBlocking(false);
                    boolean connected = channel.connect(address);
                    key = channel.register(selector, connected ? SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT, this);
                } else {
                    key.interestOps(SelectionKey.OP_WRITE);
                }
            } catch (IOException e) {
                failed(e);
            }
        }

        void ready(SelectionKey ready) {
            try {
                if (ready.isConnectable() && channel.finishConnect()) {
                    key.interestOps(SelectionKey.OP_WRITE);
                }
                if (ready.isValid() && ready.isWritable()) {
                    channel.write(out);
                    if (!out.hasRemaining()) {
                        key.interestOps(SelectionKey.OP_READ);
                    }
                }
                if (ready.isValid() && ready.isReadable()) {
                    read();
                }
            } catch (IOException e) {
                failed(e);
            }
        }

        private void read() throws IOException {
            if (!in.hasRemaining()) {
                in = ByteBuffer.allocate(in.capacity() * 2).put(in.flip());
            }
            if (channel.read(in) < 0) {
                throw new IOException("the server closed the connection");
            }
            Response response = Response.parse(in.array(), in.position());
            if (response == null) {
                return;
            }
            long at = System.nanoTime();
            key.interestOps(0);
            if (response.close()) {
                drop();
            }
            answer.arrived(subscriber, response.status(), response.etag() != null ? response.etag() : etag, response.body(), at);
        }

        /** A connection that failed is opened again and the request sent again, as a client would. */
        private void failed(IOException e) {
            drop();
            if (!closed) {
                send(etag);
            }
        }

        void drop() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
                channel = null;
                key = null;
            }
        }
    }

    /** A complete HTTP/1.1 answer, or null while its bytes have not all come. */
    record Response(int status, String etag, String body, boolean close) {

        static Response parse(byte[] bytes, int length) {
            int end = indexOf(bytes, length, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
            if (end < 0) {
                return null;
            }
            String[] lines = new String(bytes, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ", 3)[1]);
            int contentLength = status == 304 || status == 204 ? 0 : -1;
            boolean chunked = false;
            boolean close = false;
            String etag = null;
            for (int l = 1; l < lines.length; l++) {
                int colon = lines[l].indexOf(':');
                String name = lines[l].substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = lines[l].substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> contentLength = Integer.parseInt(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> close = value.equalsIgnoreCase("close");
                    case "etag" -> etag = value;
                    default -> {
                    }
                }
            }
            int start = end + 4;
            if (chunked) {
                return dechunk(bytes, length, start, status, etag, close);
            }
            if (contentLength < 0) {
                throw new IllegalStateException("an answer with neither a length nor chunks");
            }
            if (length < start + contentLength) {
                return null;
            }
            return new Response(status, etag, new String(bytes, start, contentLength, StandardCharsets.UTF_8), close);
        }

        private static Response dechunk(byte[] bytes, int length, int from, int status, String etag, boolean close) {
            StringBuilder body = new StringBuilder();
            int at = from;
            while (true) {
                int lineEnd = indexOf(bytes, length, new byte[] {'\r', '\n'}, at);
                if (lineEnd < 0) {
                    return null;
                }
                int size = Integer.parseInt(new String(bytes, at, lineEnd - at, StandardCharsets.US_ASCII).split(";", 2)[0].trim(), 16);
                at = lineEnd + 2;
                if (size == 0) {
                    return indexOf(bytes, length, new byte[] {'\r', '\n'}, at) < 0 ? null
                            : new Response(status, etag, body.toString(), close);
                }
                if (length < at + size + 2) {
                    return null;
                }
                body.append(new String(bytes, at, size, StandardCharsets.UTF_8));
                at += size + 2;
            }
        }

        private static int indexOf(byte[] bytes, int length, byte[] needle, int from) {
            outer:
            for (int i = from; i + needle.length <= length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (bytes[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }
}
