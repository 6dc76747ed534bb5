package io.canvasflow.clients.view;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.canvasflow.cli.options.HttpRequestLimits;
import io.canvasflow.clients.CameraSummary;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live viewer's web server, on the JDK's HTTP server: the page and its two assets (packaged in
 * the jar, served from a fixed table, never from a path in the request), the Server-Sent Events
 * stream of tiles and statistics ({@code GET /events}, see {@link ViewStream}) and a JSON status
 * ({@code GET /status}). Read-only by construction: only GET and HEAD, nothing that changes state,
 * and a Content-Security-Policy that allows the page's own script and {@code data:} images only.
 * Bound to a loopback address it also refuses requests whose Host is not a loopback name (a literal
 * 127.x.y.z, {@code [::1]}, {@code localhost} or {@code *.localhost}), so a web page elsewhere
 * cannot read it through DNS rebinding.
 *
 * <p>A client that starts a request and never finishes it holds one of the JDK server's threads
 * while the server reads it; with no limit, a dozen of them would stop every page and status
 * request. So requests are read under {@link HttpRequestLimits}, as serve's /health is: within
 * {@value HttpRequestLimits#REQUEST_SECONDS} s (the JDK server's {@code
 * sun.net.httpserver.maxReqTime}, which does not limit a response, so streams run on) on {@value
 * HttpRequestLimits#REQUEST_THREADS} threads, and streams run on threads of their own, outside the
 * pool that reads requests.
 */
public final class ViewServer implements AutoCloseable {

    /** The port the viewer listens on unless told otherwise. */
    public static final int DEFAULT_PORT = 8090;

    /** Browsers that may stream at once; more get 503, so page and status requests always run. */
    static final int MAX_STREAMS = 8;

    private static final String RESOURCES = "/io/canvasflow/clients/view/";
    private static final Map<String, Asset> ASSETS =
            Map.of(
                    "/", new Asset("index.html", "text/html; charset=utf-8"),
                    "/viewer.js", new Asset("viewer.js", "text/javascript; charset=utf-8"),
                    "/viewer.css", new Asset("viewer.css", "text/css; charset=utf-8"));
    private static final String CSP =
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src data:;"
                    + " connect-src 'self'; base-uri 'none'; form-action 'none';"
                    + " frame-ancestors 'none'";

    private static final Pattern LOOPBACK_IPV4 =
            Pattern.compile("127\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    private final HttpServer server;
    private final ExecutorService executor;
    private final ExecutorService streamThreads;
    private final TileBoard board;
    private final Supplier<Map<String, CameraSummary>> stats;
    private final String source;
    private final Semaphore streams = new Semaphore(MAX_STREAMS);
    private final AtomicInteger streamIds = new AtomicInteger();
    private final Map<Integer, ViewStream> open = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private record Asset(String file, String contentType) {}

    private ViewServer(
            HttpServer server,
            TileBoard board,
            Supplier<Map<String, CameraSummary>> stats,
            String source) {
        this.server = server;
        this.board = board;
        this.stats = stats;
        this.source = source;
        // Streams hold a thread each for as long as a browser watches, so they get their own;
        // the request threads only read requests and answer short ones.
        this.executor = HttpRequestLimits.requestThreads("canvasflow-view-http");
        this.streamThreads =
                Executors.newFixedThreadPool(MAX_STREAMS, daemons("canvasflow-view-stream"));
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * Starts serving.
     *
     * @param address where to listen; port 0 picks a free one
     * @param board the tiles to show
     * @param stats each camera's statistics now
     * @param source what the viewer follows, shown on the page (for example the masks topic)
     * @return the running server
     * @throws ViewBindException when the address cannot be listened on (in use, not this machine's)
     */
    public static ViewServer start(
            InetSocketAddress address,
            TileBoard board,
            Supplier<Map<String, CameraSummary>> stats,
            String source) {
        Objects.requireNonNull(board, "board");
        Objects.requireNonNull(stats, "stats");
        HttpServer server;
        try {
            server = HttpRequestLimits.create(address);
        } catch (BindException e) {
            throw new ViewBindException(
                    "could not listen on " + hostPort(address) + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not listen on " + hostPort(address), e);
        }
        return new ViewServer(server, board, stats, source);
    }

    /**
     * The page's address, for people: {@code http://HOST:PORT/}, with the loopback address when
     * listening on every interface.
     *
     * @return the URL
     */
    public String url() {
        InetSocketAddress address = server.getAddress();
        String host =
                address.getAddress().isAnyLocalAddress()
                        ? "127.0.0.1"
                        : address.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + address.getPort() + "/";
    }

    /**
     * The port it listens on.
     *
     * @return the port
     */
    public int port() {
        return server.getAddress().getPort();
    }

    private static ThreadFactory daemons(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private void handle(HttpExchange exchange) throws IOException {
        boolean handedOver = false;
        try {
            var headers = exchange.getResponseHeaders();
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("Content-Security-Policy", CSP);
            headers.set("Referrer-Policy", "no-referrer");
            headers.set("Cache-Control", "no-store");
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                headers.set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain; charset=utf-8", "read-only: GET or HEAD\n");
                return;
            }
            if (!hostAllowed(exchange)) {
                send(exchange, 403, "text/plain; charset=utf-8", "unexpected Host header\n");
                return;
            }
            String path = exchange.getRequestURI().getRawPath();
            if (path.equals("/events")) {
                handedOver = stream(exchange);
            } else if (path.equals("/status")) {
                send(exchange, 200, "application/json", status());
            } else if (ASSETS.containsKey(path)) {
                Asset asset = ASSETS.get(path);
                send(exchange, 200, asset.contentType(), resource(asset.file()));
            } else {
                send(exchange, 404, "text/plain; charset=utf-8", "not found\n");
            }
        } finally {
            if (!handedOver) {
                exchange.close();
            }
        }
    }

    /**
     * Answers HEAD and the viewer beyond {@link #MAX_STREAMS} here; hands a stream to a stream
     * thread, which closes the exchange when the stream ends.
     *
     * @return whether the exchange was handed over
     */
    private boolean stream(HttpExchange exchange) throws IOException {
        if (exchange.getRequestMethod().equals("HEAD")) {
            send(exchange, 200, "text/event-stream; charset=utf-8", "");
            return false;
        }
        if (!streams.tryAcquire()) {
            send(
                    exchange,
                    503,
                    "text/plain; charset=utf-8",
                    "at most " + MAX_STREAMS + " viewers at once\n");
            return false;
        }
        try {
            streamThreads.execute(() -> runStream(exchange));
            return true;
        } catch (RejectedExecutionException e) {
            streams.release(); // closing: the exchange is closed by the caller
            return false;
        }
    }

    private void runStream(HttpExchange exchange) {
        int id = streamIds.incrementAndGet();
        ViewStream stream = new ViewStream(id, board, stats, source, () -> closed);
        open.put(id, stream);
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                stream.run(out);
            }
        } catch (IOException e) {
            // The browser went away; its stream ends here.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(id);
            streams.release();
        }
    }

    /** What the viewer follows and what each open stream has sent, as JSON. */
    String status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("source", source);
        TileBoard.Counts counts = board.counts();
        status.put("joined", counts.joined());
        status.put("withoutFrame", counts.withoutFrame());
        status.put("unreadable", counts.unreadable());
        Map<String, Object> cameras = new LinkedHashMap<>();
        Map<String, Long> tileSequences = new HashMap<>();
        board.tiles().forEach(t -> tileSequences.put(t.camera(), t.sequence()));
        stats.get()
                .forEach(
                        (camera, summary) -> {
                            Map<String, Object> c = new LinkedHashMap<>();
                            c.put("newestMask", summary.lastSequence());
                            c.put("tile", tileSequences.getOrDefault(camera, -1L));
                            c.put("fps", summary.fps());
                            cameras.put(camera, c);
                        });
        status.put("cameras", cameras);
        status.put("streams", open.values().stream().map(ViewStream::status).toList());
        Runtime runtime = Runtime.getRuntime();
        status.put("heapUsedBytes", runtime.totalMemory() - runtime.freeMemory());
        return TileBoard.GSON.toJson(status);
    }

    private boolean hostAllowed(HttpExchange exchange) {
        if (!server.getAddress().getAddress().isLoopbackAddress()) {
            return true;
        }
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (host == null) {
            return true; // HTTP/1.0 without a Host: not a browser
        }
        return isLoopbackName(host.replaceFirst(":\\d+$", "").toLowerCase(Locale.ROOT));
    }

    /**
     * Whether a Host name can only mean this machine: a literal 127.x.y.z, {@code [::1]}, {@code
     * localhost} or a name under it (RFC 6761). A DNS name that merely starts with {@code 127.}
     * ({@code 127.0.0.1.nip.io}) resolves wherever its owner likes.
     */
    static boolean isLoopbackName(String name) {
        if (name.equals("localhost") || name.endsWith(".localhost") || name.equals("[::1]")) {
            return true;
        }
        Matcher ipv4 = LOOPBACK_IPV4.matcher(name);
        if (!ipv4.matches()) {
            return false;
        }
        for (int group = 1; group <= 3; group++) {
            if (Integer.parseInt(ipv4.group(group)) > 255) {
                return false;
            }
        }
        return true;
    }

    private static String resource(String file) throws IOException {
        try (InputStream in = ViewServer.class.getResourceAsStream(RESOURCES + file)) {
            if (in == null) {
                throw new IllegalStateException("the viewer's " + file + " is not in the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String hostPort(InetSocketAddress address) {
        String host =
                address.getAddress() == null
                        ? address.getHostString()
                        : address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** Stops listening, ends the open streams and waits for nothing. */
    @Override
    public void close() {
        closed = true;
        board.wakeReaders();
        server.stop(0);
        executor.shutdownNow();
        streamThreads.shutdownNow();
    }
}
