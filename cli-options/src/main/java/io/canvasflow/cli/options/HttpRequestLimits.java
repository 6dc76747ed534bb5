package io.canvasflow.cli.options;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The limits on reading requests that the commands' web servers share: serve's {@code /metrics} and
 * {@code /health} (topology's OpsHttpServer) and view's page (clients' ViewServer), both on the
 * JDK's HTTP server. That server reads a request on a thread of its executor, so a client that
 * starts a request and never finishes it holds that thread for as long as it keeps the connection
 * open: with one thread, one such client stopped every probe. So a request must be read within
 * {@link #REQUEST_SECONDS}, and {@link #REQUEST_THREADS} threads read them.
 *
 * <p>The JDK server takes its time limit only from the system property {@value #MAX_REQ_TIME}, once
 * per JVM, when its classes load at the first server's start. It is process-wide, and demo runs
 * serve's app and view in one JVM; so the value lives here, once, and each server sets it before it
 * starts, whichever starts first. A value given on the command line ({@code JAVA_OPTS}) wins. Its
 * sibling {@code maxRspTime} is left unset: it would cut view's streams.
 */
public final class HttpRequestLimits {

    /**
     * Seconds a client has to send a whole request before its connection is closed: far more than a
     * browser, a probe or a scraper needs, short enough that half-sent requests cannot hold the
     * request threads long (Kubernetes' liveness probe gives up after two minutes).
     */
    public static final long REQUEST_SECONDS = 10;

    /** Threads that read requests, so that a few half-sent ones leave others to answer. */
    public static final int REQUEST_THREADS = 8;

    static final String MAX_REQ_TIME = "sun.net.httpserver.maxReqTime";

    private HttpRequestLimits() {}

    /**
     * A JDK HTTP server at {@code address}, not started, under the time limit; give it {@link
     * #requestThreads} as its executor.
     *
     * @param address where to listen; port 0 picks a free one
     * @return the server
     * @throws IOException when it cannot listen there
     */
    public static HttpServer create(InetSocketAddress address) throws IOException {
        requestSeconds(System.getProperties());
        return HttpServer.create(address, 0);
    }

    /**
     * A fixed pool of {@link #REQUEST_THREADS} daemon threads to read and answer requests.
     *
     * @param name the threads' name
     * @return the pool; shut it down when the server stops
     */
    public static ExecutorService requestThreads(String name) {
        return Executors.newFixedThreadPool(
                REQUEST_THREADS,
                r -> {
                    Thread t = new Thread(r, name);
                    t.setDaemon(true);
                    return t;
                });
    }

    /**
     * The time limit for a request in {@code properties} (the system properties), set to {@link
     * #REQUEST_SECONDS} when absent. Its unit is seconds.
     */
    static String requestSeconds(Properties properties) {
        Object given = properties.putIfAbsent(MAX_REQ_TIME, Long.toString(REQUEST_SECONDS));
        return given == null ? Long.toString(REQUEST_SECONDS) : given.toString();
    }
}
