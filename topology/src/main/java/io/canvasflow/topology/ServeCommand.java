package io.canvasflow.topology;

import io.canvasflow.cli.options.ConfigOptions;
import io.canvasflow.cli.options.KafkaOptions;
import io.canvasflow.cli.options.ModelOptions;
import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.model.ModelLoadException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code canvasflow serve}: runs the Kafka Streams application until Ctrl-C. Without bootstrap
 * servers (no flag, setting or {@code KAFKA_BOOTSTRAP_SERVERS}) it starts an in-process Kafka
 * broker and creates the topics on it.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Segment the frames topic into the masks topic until Ctrl-C.")
public final class ServeCommand implements Callable<Integer> {

    @Mixin KafkaOptions kafkaOptions;

    @Mixin ModelOptions modelOptions;

    @Mixin ConfigOptions configOptions;

    @Spec private CommandLine.Model.CommandSpec spec;

    @Option(names = "--threads", description = "Stream threads, each with its own segmenter.")
    Integer threads;

    @Option(
            names = "--create-topics",
            description = "Create the frames, masks and dead-letter topics.")
    boolean createTopics;

    /**
     * Runs {@code serve} on its own.
     *
     * @param args the command line arguments
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new ServeCommand()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        CanvasFlowConfig config;
        try {
            config = CanvasFlowConfig.load(configOptions.configFile(), System.getenv(), flags());
        } catch (IllegalArgumentException e) {
            err.println("canvasflow serve: " + e.getMessage());
            return 2;
        }
        return serve(config, err);
    }

    /**
     * Serves until the JVM shuts down or Kafka Streams stops by itself.
     *
     * @param config the settings; without bootstrap servers an embedded broker is started
     * @param err where to say why it could not start
     * @return 0 after Ctrl-C, 1 when Kafka Streams failed, 2 when it could not start
     */
    public static int serve(CanvasFlowConfig config, PrintWriter err) throws InterruptedException {
        EmbeddedKafkaBroker broker = null;
        CanvasFlowApp app;
        try {
            if (config.bootstrapServers().isBlank()) {
                broker = EmbeddedKafkaBroker.builder().build().start();
                config =
                        config.with(CanvasFlowConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers())
                                .with(CanvasFlowConfig.TOPICS_CREATE, "true");
                err.println(
                        "canvasflow serve: no bootstrap servers given; started an embedded Kafka broker at "
                                + broker.bootstrapServers());
            }
            app = CanvasFlowApp.start(config);
        } catch (ModelLoadException | IllegalArgumentException | IllegalStateException e) {
            err.println("canvasflow serve: " + e.getMessage());
            err.flush();
            if (broker != null) {
                broker.close();
            }
            return 2;
        }
        CountDownLatch shutdown = new CountDownLatch(1);
        EmbeddedKafkaBroker ownBroker = broker;
        Thread hook =
                new Thread(
                        () -> {
                            app.close();
                            if (ownBroker != null) {
                                ownBroker.close();
                            }
                            shutdown.countDown();
                        },
                        "canvasflow-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        app.stopped().thenRun(shutdown::countDown);
        try {
            shutdown.await();
        } catch (InterruptedException e) {
            // Stopped by whoever runs serve in-process (a test, an embedding tool), not by
            // Ctrl-C: stop as Ctrl-C would, so that no stream thread outlives the call.
            boolean hookPending;
            try {
                hookPending = Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                hookPending = false; // the JVM is exiting and runs the hook itself
            }
            if (hookPending) {
                hook.run();
            }
            throw e;
        }
        if (app.stopped().getNow(null) == KafkaStreams.State.ERROR) {
            err.println("canvasflow serve: Kafka Streams stopped with an error; see the log");
            err.flush();
            return 1;
        }
        return 0;
    }

    private Map<String, String> flags() {
        Map<String, String> flags = new LinkedHashMap<>(configOptions.overrides());
        if (kafkaOptions.bootstrapServers() != null) {
            flags.put(CanvasFlowConfig.BOOTSTRAP_SERVERS, kafkaOptions.bootstrapServers());
        }
        if (modelOptions.model() != null) {
            flags.put(CanvasFlowConfig.MODEL_DIR, modelOptions.model().toString());
        }
        if (threads != null) {
            flags.put(CanvasFlowConfig.NUM_STREAM_THREADS, threads.toString());
        }
        if (createTopics) {
            flags.put(CanvasFlowConfig.TOPICS_CREATE, "true");
        }
        return flags;
    }
}
