package io.canvasflow.topology;

import io.canvasflow.cli.options.CommandFailures;
import io.canvasflow.cli.options.ConfigOptions;
import io.canvasflow.cli.options.KafkaOptions;
import io.canvasflow.cli.options.ModelOptions;
import io.canvasflow.model.DeviceChoice;
import io.canvasflow.model.ModelLoadException;
import io.canvasflow.model.SegmentationModel;
import io.canvasflow.schemas.KafkaClientFailure;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code canvasflow serve}: runs the Kafka Streams application until Ctrl-C. Without bootstrap
 * servers (no flag, setting or {@code KAFKA_BOOTSTRAP_SERVERS}) it says so and exits with status 2
 * before anything starts; a broker for trying things out is {@code canvasflow broker}. Exit status:
 * 0 after a requested stop (SIGTERM, Ctrl-C) once everything is closed, 1 when Kafka Streams
 * failed, 2 for bad input or settings.
 *
 * <p>{@link #main} runs it on its own: it is the Main-Class of {@code canvasflow-serve.jar}, the
 * container image's entry point, whose class path is the topology's runtime and nothing else.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Segment the frames topic into the masks topic until Ctrl-C.")
public final class ServeCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    /** What serve says, and all it says, when no setting names a Kafka cluster. */
    public static final String NO_BOOTSTRAP_SERVERS =
            "canvasflow serve: no Kafka bootstrap servers are set (--bootstrap-servers, the setting"
                    + " bootstrap.servers or KAFKA_BOOTSTRAP_SERVERS); to try it on this machine,"
                    + " start a broker with `canvasflow broker` and pass --bootstrap-servers"
                    + " localhost:9092";

    @Mixin KafkaOptions kafkaOptions;

    @Mixin ModelOptions modelOptions;

    @Mixin ConfigOptions configOptions;

    @Spec private CommandLine.Model.CommandSpec spec;

    @Option(names = "--threads", description = "Stream threads, each with its own segmenter.")
    Integer threads;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            description =
                    "Where the canvas store lives (setting state.dir); each instance on one host"
                            + " needs its own.")
    java.nio.file.Path stateDir;

    @Option(
            names = "--http-port",
            paramLabel = "PORT",
            description =
                    "Port of /health and /metrics (setting http.port, default 8080); 0 for any"
                            + " free port, printed at start.")
    Integer httpPort;

    @Option(
            names = "--create-topics",
            description =
                    "Create the frames, masks and dead-letter topics, and the registry's topics"
                            + " when following models.")
    boolean createTopics;

    @Option(
            names = "--print-settings",
            description =
                    "Print every setting with its type, default, valid values and description (the"
                            + " table in docs/settings.md) and exit.")
    boolean printSettings;

    @Option(
            names = "--print-config",
            description =
                    "Print what the settings resolve to (file, environment, -D and flags), each"
                            + " with where it came from, and the Kafka properties, secrets"
                            + " hidden; then exit without connecting.")
    boolean printConfig;

    /**
     * Runs {@code serve} on its own; a failure it did not turn into its own sentence, an {@link
     * Error} included, is one line and status 1, as under {@code ./canvasflow}.
     *
     * @param args the command line arguments
     */
    public static void main(String[] args) {
        quietKafkaLogging();
        System.exit(commandLine().execute(args));
    }

    /** The command line as {@link #main} runs it. */
    static CommandLine commandLine() {
        return CommandFailures.install(new CommandLine(new ServeCommand()));
    }

    @Override
    public Integer call() throws InterruptedException {
        if (printSettings) {
            spec.commandLine().getOut().print(SettingsTable.markdown());
            spec.commandLine().getOut().flush();
            return 0;
        }
        PrintWriter err = spec.commandLine().getErr();
        CanvasFlowConfig config;
        try {
            config =
                    CanvasFlowConfig.builder()
                            .optFile(configOptions.configFile())
                            .optEnvironment(System.getenv())
                            .opt(flags())
                            .build();
        } catch (IllegalArgumentException e) {
            err.println("canvasflow serve: " + e.getMessage());
            return 2;
        }
        if (printConfig) {
            spec.commandLine().getOut().print(EffectiveSettings.table(config));
            spec.commandLine().getOut().flush();
            return 0;
        }
        return serve(config, err);
    }

    /**
     * Serves until the JVM shuts down or Kafka Streams stops by itself.
     *
     * @param config the settings; they must name bootstrap servers
     * @param err where to say why it could not start
     * @return 0 after Ctrl-C, 1 when Kafka Streams failed, 2 when it could not start; when the JVM
     *     is stopped by a signal (SIGTERM, Ctrl-C), the shutdown hook ends it with 0 (1 if Kafka
     *     Streams had failed) once everything is closed
     */
    public static int serve(CanvasFlowConfig config, PrintWriter err) throws InterruptedException {
        if (config.bootstrapServers().isBlank()) {
            err.println(NO_BOOTSTRAP_SERVERS);
            err.flush();
            return 2;
        }
        // Each of serve's Kafka clients warns at every connection that fails, about ten lines a
        // second in an outage: the watch says it in a line a minute instead, and names a broker
        // serve cannot reach or a cluster that refuses it. slf4j-simple sets a level per logger
        // only, so NetworkClient's other WARNs go too; the README lists them. Set before the
        // first client, since a logger takes its level when it is made.
        quiet(ClusterWatch.NETWORK_CLIENT, "error");
        // What serve writes to, where it listens and where its models run, as
        // CanvasFlowApp.start checks them first: asked here too so that they come before
        // model.json's check below
        String problem = HostChecks.problem(config);
        if (problem != null) {
            err.println("canvasflow serve: " + problem);
            err.flush();
            return 2;
        }
        CanvasFlowApp app;
        try {
            if (config.modelDir() != null) {
                // model.json before the engine starts: a bad directory is the first line printed
                SegmentationModel.readSpec(config.modelDir());
            }
            app = CanvasFlowApp.start(config);
        } catch (ModelLoadException | IllegalArgumentException | IllegalStateException e) {
            err.println("canvasflow serve: " + e.getMessage());
            err.flush();
            return 2;
        } catch (KafkaException e) {
            // What the checks above did not foresee: Kafka refused a client or Kafka Streams
            LOG.debug("could not start", e);
            err.println(
                    "canvasflow serve: could not start: "
                            + KafkaClientFailure.withoutSecrets(
                                    KafkaClientFailure.describe(e), secrets(config)));
            err.flush();
            return 2;
        }
        ClusterWatch.start(config, app.stopped());
        CountDownLatch shutdown = new CountDownLatch(1);
        Runnable stop =
                () -> {
                    app.close();
                    shutdown.countDown();
                };
        Thread hook = new Thread(() -> stopAndHalt(app, stop), "canvasflow-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        app.stopped().thenRun(shutdown::countDown);
        try {
            shutdown.await();
        } catch (InterruptedException e) {
            // Stopped by whoever runs serve in-process (a test, an embedding tool), not by
            // Ctrl-C: stop as Ctrl-C would, so that no stream thread outlives the call.
            if (removeHook(hook)) {
                stop.run();
            } // else the JVM is exiting and the hook stops it
            throw e;
        }
        // Kafka Streams stopped by itself (the hook is still registered), or the hook stopped it
        // and decides the exit status itself.
        if (removeHook(hook)) {
            stop.run();
        }
        int status = exitStatus(app);
        if (status == 1) {
            err.println(
                    "canvasflow serve: "
                            + app.failure()
                                    .orElse("Kafka Streams stopped with an error; see the log"));
            err.flush();
        }
        return status;
    }

    /** The values of the Kafka properties that hold secrets. */
    private static List<String> secrets(CanvasFlowConfig config) {
        return config.kafkaProperties().entrySet().stream()
                .filter(e -> KafkaProperties.isSecret(e.getKey()))
                .map(Map.Entry::getValue)
                .toList();
    }

    /** 0 after a requested stop, 1 when Kafka Streams stopped with an error. */
    private static int exitStatus(CanvasFlowApp app) {
        return app.stopped().getNow(null) == KafkaStreams.State.ERROR ? 1 : 0;
    }

    /**
     * The shutdown hook: a requested stop (SIGTERM from {@code kill}, Docker or Kubernetes, or
     * Ctrl-C) closes everything, then ends the JVM with serve's own status. Without the halt the
     * JVM would exit with 128 + the signal's number (143, 130), which supervisors read as a
     * failure, although the stop was clean and asked for; {@code System.exit} cannot change it once
     * the JVM is shutting down (it blocks).
     */
    private static void stopAndHalt(CanvasFlowApp app, Runnable stop) {
        int status = 1;
        try {
            stop.run();
            status = exitStatus(app);
        } finally {
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(status);
        }
    }

    /** Unregisters the hook; false when the JVM is already shutting down (the hook runs). */
    private static boolean removeHook(Thread hook) {
        try {
            return Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return false;
        }
    }

    /**
     * The {@code -D} settings with the flags' over them.
     *
     * @throws IllegalArgumentException with one sentence when a flag and a {@code -D} set one
     *     setting to two values: neither would be seen to win ({@link FlagSettings})
     */
    private Map<String, String> flags() {
        FlagSettings flags = new FlagSettings(configOptions.overrides());
        String servers = kafkaOptions.bootstrapServers();
        if (servers != null) {
            flags.put(
                    "--bootstrap-servers " + servers, CanvasFlowConfig.BOOTSTRAP_SERVERS, servers);
        }
        if (modelOptions.model() != null) {
            String model = modelOptions.model().toString();
            flags.put("--model " + model, CanvasFlowConfig.MODEL_DIR, model);
        }
        if (threads != null) {
            flags.put("--threads " + threads, CanvasFlowConfig.NUM_STREAM_THREADS, "" + threads);
        }
        if (stateDir != null) {
            flags.put("--state-dir " + stateDir, CanvasFlowConfig.STATE_DIR, stateDir.toString());
        }
        if (httpPort != null) {
            flags.put("--http-port " + httpPort, CanvasFlowConfig.HTTP_PORT, "" + httpPort);
        }
        if (createTopics) {
            flags.put("--create-topics", CanvasFlowConfig.TOPICS_CREATE, "true");
        }
        return flags.settings();
    }

    /**
     * Kafka's clients log every configuration at INFO; keep them at WARN unless the user chose
     * otherwise with {@code -Dorg.slf4j.simpleLogger.log.<name>=...}. The {@code canvasflow}
     * command does the same for every subcommand; this is for {@code canvasflow-serve.jar}.
     */
    private static void quietKafkaLogging() {
        quiet("org.apache.kafka", "warn");
        quiet(RECORD_DESERIALIZER, "error");
        // DJL's GPU probe warns twice per start on a CPU-only machine; DeviceChoice says it once.
        quiet(DeviceChoice.DJL_GPU_PROBE_LOGGER, "error");
    }

    /**
     * Kafka Streams' deserializer logs every record it skips at WARN with the whole stack trace,
     * after our handler has logged the record's coordinates and reason in one line and sent it to
     * the dead-letter topic: a hostile producer would fill the disk. It is kept at ERROR.
     */
    public static final String RECORD_DESERIALIZER =
            "org.apache.kafka.streams.processor.internals.RecordDeserializer";

    private static void quiet(String logger, String level) {
        String key = "org.slf4j.simpleLogger.log." + logger;
        if (System.getProperty(key) == null) {
            System.setProperty(key, level);
        }
    }
}
