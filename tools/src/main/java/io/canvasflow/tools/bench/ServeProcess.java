package io.canvasflow.tools.bench;

import io.canvasflow.cli.options.JavaCommand;
import io.canvasflow.topology.ServeCommand;
import io.canvasflow.topology.SettingNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code canvasflow serve} ({@link ServeCommand#main}) in a child JVM on this JVM's class path, as
 * a user runs it, so that a benchmark can read that process's own CPU time and resident set, and
 * its {@code /health} and {@code /metrics}, without its own threads (publisher, mask reader) in the
 * figures. Its output goes to a log file; closing it stops it with SIGTERM. Its settings are the
 * benchmark's {@code -D} alone: it is given no variable serve would read as a setting.
 */
public final class ServeProcess implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int httpPort;
    private final Path log;

    private ServeProcess(Process process, int httpPort, Path log) {
        this.process = process;
        this.httpPort = httpPort;
        this.log = log;
    }

    /**
     * Starts serve.
     *
     * @param prefix words before {@code java} (for example {@code taskset -c 0}), or none
     * @param jvmOptions options of the child JVM (heap, PyTorch threads)
     * @param settings CanvasFlow settings and Kafka properties, each passed as {@code -D k=v}
     * @param httpPort the port of its /health and /metrics
     * @param log where its output goes
     * @return the running child (not yet necessarily ready: see {@link #awaitUp})
     */
    public static ServeProcess start(
            List<String> prefix,
            List<String> jvmOptions,
            Map<String, String> settings,
            int httpPort,
            Path log) {
        List<String> options = new ArrayList<>(jvmOptions);
        options.add("-Dai.djl.offline=true");
        options.add("-DOPT_OUT_TRACKING=true");
        List<String> command = JavaCommand.forClass(prefix, options, ServeCommand.class);
        settings.forEach(
                (k, v) -> {
                    command.add("-D");
                    command.add(k + "=" + v);
                });
        command.add("--http-port");
        command.add(Integer.toString(httpPort));
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            Process process = builder(command, System.getenv(), log).start();
            return new ServeProcess(process, httpPort, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start serve: " + e.getMessage(), e);
        }
    }

    /**
     * How serve is started: its output to the log, in this JVM's environment less what {@link
     * #environment} takes out.
     *
     * @param command the command line
     * @param inherited this JVM's environment
     * @param log where its output goes
     * @return the builder, not started
     */
    static ProcessBuilder builder(List<String> command, Map<String, String> inherited, Path log) {
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment(inherited));
        return builder;
    }

    /**
     * The environment serve gets: this JVM's, less every variable serve would read as a setting
     * ({@link SettingNames#isReadFromEnvironment}). A {@code CANVASFLOW_CANVAS_MAX_GAP_MS} of the
     * user's would otherwise apply where the benchmark sets nothing, and be replaced without a word
     * where it does ({@code canvas.max.gap.ms=0}); the benchmark names those it leaves out.
     *
     * @param inherited this JVM's environment
     * @return the variables serve gets
     */
    static Map<String, String> environment(Map<String, String> inherited) {
        Map<String, String> environment = new TreeMap<>(inherited);
        environment
                .entrySet()
                .removeIf(e -> SettingNames.isReadFromEnvironment(e.getKey(), e.getValue()));
        return environment;
    }

    /**
     * Waits until {@code /health} says UP and Kafka Streams is RUNNING.
     *
     * @param timeout how long to wait
     * @throws IllegalStateException when the child exits or is not up in time, with its log's end
     */
    public void awaitUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "serve exited with status " + process.exitValue() + ":\n" + logTail());
            }
            // UP, and past the first rebalance (/health reads UP through a short one): every
            // partition's task is initialised, so that what comes next is measured alone
            String health = get("/health");
            String cameras = get("/cameras");
            if (health != null
                    && health.contains("\"UP\"")
                    && cameras != null
                    && cameras.contains("\"state\":\"RUNNING\"")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(
                "serve was not UP within " + timeout.toSeconds() + " s:\n" + logTail());
    }

    /** The body of a GET on its HTTP port, or null when it does not answer (yet). */
    public String get(String path) {
        try {
            HttpResponse<String> response =
                    HTTP.send(
                            HttpRequest.newBuilder(
                                            URI.create("http://127.0.0.1:" + httpPort + path))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * A gauge or counter of its {@code /metrics} (Prometheus text), the first sample of that name.
     *
     * @param name the metric's name, for example {@code canvasflow_state_restore_seconds}
     * @return its value, empty when absent or NaN
     */
    public OptionalDouble metric(String name) {
        String text = get("/metrics");
        if (text == null) {
            return OptionalDouble.empty();
        }
        Matcher m =
                Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*})? (\\S+)$")
                        .matcher(text);
        if (m.find()) {
            double v = Double.parseDouble(m.group(1));
            return Double.isNaN(v) ? OptionalDouble.empty() : OptionalDouble.of(v);
        }
        return OptionalDouble.empty();
    }

    /**
     * Running totals from its {@code /metrics}: each frame stage's seconds ({@code
     * canvasflow_frame_stage_seconds_sum{stage}}), and Kafka's own totals as Micrometer exports
     * them: the stream threads' blocked time and their producers' transaction and flush time, in
     * nanoseconds, and the stream threads' commit count. Keys: the stage names, {@code blocked},
     * {@code commit} and {@code commits}.
     *
     * @return the totals, empty when serve does not answer
     */
    public Map<String, Double> stageTotals() {
        String text = get("/metrics");
        Map<String, Double> totals = new java.util.LinkedHashMap<>();
        if (text == null) {
            return totals;
        }
        Matcher stage =
                Pattern.compile(
                                "(?m)^canvasflow_frame_stage_seconds_sum\\{[^}]*stage=\"([a-z]+)\"[^}]*}"
                                        + " (\\S+)$")
                        .matcher(text);
        while (stage.find()) {
            totals.merge(stage.group(1), Double.parseDouble(stage.group(2)) * 1e9, Double::sum);
        }
        Matcher kafka = Pattern.compile("(?m)^(kafka_[a-z_]+)(?:\\{[^}]*})? (\\S+)$").matcher(text);
        while (kafka.find()) {
            String name = kafka.group(1).replaceAll("(_total)+$", "");
            double value = Double.parseDouble(kafka.group(2));
            if (!Double.isFinite(value)) {
                continue;
            }
            if (name.startsWith("kafka_stream_thread") && name.endsWith("blocked_time_ns")) {
                totals.merge("blocked", value, Double::sum);
            } else if (name.equals("kafka_stream_thread_commit")) {
                totals.merge("commits", value, Double::sum);
            } else if (name.startsWith("kafka_producer")
                    && (name.endsWith("_txn_commit_time_ns")
                            || name.endsWith("_txn_send_offsets_time_ns")
                            || name.endsWith("_txn_begin_time_ns")
                            || name.endsWith("_flush_time_ns"))) {
                totals.merge("commit", value, Double::sum);
            }
        }
        return totals;
    }

    /** The CPU time the child has used so far, all its threads, in milliseconds. */
    public long cpuMillis() {
        return process.info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
    }

    /** The child's resident set in bytes, -1 where {@code /proc} is missing. */
    public long rssBytes() {
        return ProcessMemory.rssBytes(process.pid());
    }

    /** The last lines of its log. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops it with SIGTERM, as Ctrl-C would, then SIGKILL after 30 s. */
    @Override
    public void close() {
        ChildBroker.stop(process);
    }
}
