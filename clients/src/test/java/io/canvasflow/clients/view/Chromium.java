package io.canvasflow.clients.view;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;

/**
 * Headless Chromium (Debian's {@code chromium} package) driven over the DevTools protocol with the
 * JDK's own HTTP and WebSocket clients: navigate, evaluate JavaScript, take screenshots. Nothing is
 * downloaded; where no {@code chromium} is installed {@link #find()} is empty and tests skip.
 */
final class Chromium implements AutoCloseable {

    /** Says why a browser test skipped. */
    static final String MISSING =
            "no chromium on the PATH (Debian's chromium package; .ci/run installs it),"
                    + " or set CANVASFLOW_CHROMIUM";

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();

    private Chromium(Process process, WebSocket socket) {
        this.process = process;
        this.socket = socket;
    }

    /** The chromium executable: {@code CANVASFLOW_CHROMIUM}, else chromium on the PATH. */
    static Optional<Path> find() {
        String configured = System.getenv("CANVASFLOW_CHROMIUM");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(Files::isExecutable);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path candidate = Path.of(dir, name);
                if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The executable {@link #find()} finds; where there is none, the calling test skips, saying
     * why.
     */
    static Path findOrSkip() {
        Optional<Path> found = find();
        Assumptions.assumeTrue(found.isPresent(), MISSING);
        return found.get();
    }

    /**
     * Starts a headless browser with an empty page of the given size.
     *
     * @param executable the chromium executable
     * @param profile an empty folder for its profile and log
     * @param width viewport width in CSS pixels (device scale 1)
     * @param height viewport height
     */
    static Chromium start(Path executable, Path profile, int width, int height)
            throws IOException, InterruptedException {
        Files.createDirectories(profile);
        List<String> command =
                List.of(
                        executable.toString(),
                        "--headless",
                        "--no-sandbox", // tests may run as root, where the sandbox refuses
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--disable-extensions",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--no-first-run",
                        "--no-default-browser-check",
                        "--mute-audio",
                        "--hide-scrollbars",
                        "--force-color-profile=srgb",
                        "--force-device-scale-factor=1",
                        "--window-size=" + width + "," + height,
                        "--remote-debugging-address=127.0.0.1",
                        "--remote-debugging-port=0",
                        "--user-data-dir=" + profile.resolve("profile"),
                        "about:blank");
        Process process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(profile.resolve("chromium.log").toFile())
                        .start();
        try {
            int port = devToolsPort(profile.resolve("profile"), process);
            HttpClient http = HttpClient.newHttpClient();
            String pageSocket = null;
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (pageSocket == null && System.nanoTime() < deadline) {
                HttpResponse<String> list =
                        http.send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://127.0.0.1:" + port + "/json/list"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                for (JsonElement target : JsonParser.parseString(list.body()).getAsJsonArray()) {
                    JsonObject t = target.getAsJsonObject();
                    if (t.get("type").getAsString().equals("page")) {
                        pageSocket = t.get("webSocketDebuggerUrl").getAsString();
                    }
                }
                if (pageSocket == null) {
                    Thread.sleep(200);
                }
            }
            if (pageSocket == null) {
                throw new IllegalStateException("chromium opened no page");
            }
            Listener listener = new Listener();
            WebSocket socket =
                    http.newWebSocketBuilder()
                            .buildAsync(URI.create(pageSocket), listener)
                            .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            Chromium chromium = new Chromium(process, socket);
            listener.chromium = chromium;
            JsonObject metrics = new JsonObject();
            metrics.addProperty("width", width);
            metrics.addProperty("height", height);
            metrics.addProperty("deviceScaleFactor", 1);
            metrics.addProperty("mobile", false);
            chromium.call("Emulation.setDeviceMetricsOverride", metrics);
            chromium.call("Page.enable", new JsonObject());
            return chromium;
        } catch (Exception e) {
            kill(process);
            if (e instanceof IOException io) {
                throw io;
            }
            if (e instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            throw new IllegalStateException(
                    "could not drive chromium (log: " + profile.resolve("chromium.log") + ")", e);
        }
    }

    /** Opens a page and waits for its load event. */
    void navigate(String url) throws Exception {
        JsonObject params = new JsonObject();
        params.addProperty("url", url);
        call("Page.navigate", params);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!"complete".equals(evaluate("document.readyState").getAsString())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(url + " did not finish loading");
            }
            Thread.sleep(100);
        }
    }

    /** Evaluates JavaScript in the page (awaiting a promise) and returns its JSON value. */
    JsonElement evaluate(String expression) throws Exception {
        JsonObject params = new JsonObject();
        params.addProperty("expression", expression);
        params.addProperty("returnByValue", true);
        params.addProperty("awaitPromise", true);
        JsonObject result = call("Runtime.evaluate", params);
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException(
                    "the page threw on " + expression + ": " + result.get("exceptionDetails"));
        }
        JsonObject value = result.getAsJsonObject("result");
        return value.has("value") ? value.get("value") : JsonNull.INSTANCE;
    }

    /** A screenshot of the viewport. */
    BufferedImage screenshot() throws Exception {
        JsonObject params = new JsonObject();
        params.addProperty("format", "png");
        String data = call("Page.captureScreenshot", params).get("data").getAsString();
        return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(data)));
    }

    /** Sends a DevTools command and waits for its result. */
    JsonObject call(String method, JsonObject params) throws Exception {
        int id = ids.incrementAndGet();
        JsonObject message = new JsonObject();
        message.addProperty("id", id);
        message.addProperty("method", method);
        message.add("params", params);
        CompletableFuture<JsonObject> reply = new CompletableFuture<>();
        pending.put(id, reply);
        socket.sendText(message.toString(), true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        JsonObject response = reply.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (response.has("error")) {
            throw new IllegalStateException(method + " failed: " + response.get("error"));
        }
        return response.getAsJsonObject("result");
    }

    @Override
    public void close() {
        socket.abort();
        kill(process);
    }

    private static void kill(Process process) {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** Chromium writes the port it chose to {@code DevToolsActivePort} in its profile. */
    private static int devToolsPort(Path profile, Process process)
            throws IOException, InterruptedException {
        Path file = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("chromium exited with " + process.exitValue());
            }
            if (Files.isRegularFile(file)) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                if (!lines.isEmpty() && !lines.get(0).isBlank()) {
                    return Integer.parseInt(lines.get(0).trim());
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("chromium did not open its DevTools port");
    }

    /** Collects text messages (which may come in parts) and completes the waiting calls. */
    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private volatile Chromium chromium;

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                JsonObject message = JsonParser.parseString(text.toString()).getAsJsonObject();
                text.setLength(0);
                if (message.has("id") && chromium != null) {
                    CompletableFuture<JsonObject> reply =
                            chromium.pending.remove(message.get("id").getAsInt());
                    if (reply != null) {
                        reply.complete(message);
                    }
                }
            }
            socket.request(1);
            return null;
        }
    }
}
