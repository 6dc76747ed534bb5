package io.canvasflow.tools.bench;

import io.canvasflow.tools.common.KafkaClients;
import io.canvasflow.tools.common.Stats;
import io.canvasflow.topology.CanvasFlowApp;
import io.canvasflow.topology.CanvasFlowConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The canvas store's cost at rest: a changelog holding N cameras' canvases (each camera's value a
 * real canvas taken from a {@link ScaleBenchmark} run, written under N camera ids to the partition
 * the camera's frames would take), then {@code serve} started on an empty state directory, which
 * restores the store from the changelog: how long that took (serve's own restore listener, {@code
 * canvasflow_state_restore_seconds}), the state directory's size and the resident set after it.
 * Then a second serve joins and takes over half the partitions: how long until it owns them with
 * its share of the store restored.
 */
final class RestoreBenchmark {

    /**
     * What restoring N cameras cost.
     *
     * @param cameras cameras in the changelog
     * @param partitions partitions
     * @param changelogBytes the changelog's values in bytes
     * @param restoreSeconds serve's restore, from its listener
     * @param secondsToUp serve's launch to /health UP with the store restored
     * @param rssBytes serve's resident set after the restore
     * @param stateDirBytes its state directory's size after the restore
     * @param takeover the second instance's take-over, null when not measured
     */
    record Run(
            int cameras,
            int partitions,
            long changelogBytes,
            double restoreSeconds,
            double secondsToUp,
            long rssBytes,
            long stateDirBytes,
            Takeover takeover) {}

    /**
     * A second instance joining.
     *
     * @param seconds its launch to owning its share with that share restored; NaN when that did not
     *     happen before the deadline
     * @param partitions the partitions it took (by the deadline, when incomplete)
     * @param restoreSeconds its restore, from its listener
     * @param complete whether it owned its share, restored, before the deadline
     */
    record Takeover(double seconds, int partitions, double restoreSeconds, boolean complete) {}

    /** How long the second instance has to own its share of the partitions, restored. */
    static final Duration TAKEOVER_DEADLINE = Duration.ofMinutes(3);

    private static final Pattern PARTITIONS = Pattern.compile("\"partitions\":\\[([0-9,]*)]");

    private RestoreBenchmark() {}

    /**
     * Fills a changelog with N cameras' canvases and restores it into a fresh serve.
     *
     * @param common the shared settings
     * @param cameras N
     * @param partitions partitions of the topics and the changelog
     * @param canvasValue one camera's canvas as the changelog holds it
     * @param takeover whether a second instance then takes over half
     * @param progress where to say what happens
     * @return the figures
     */
    static Run run(
            ScaleBenchmark.Common common,
            int cameras,
            int partitions,
            byte[] canvasValue,
            boolean takeover,
            PrintWriter progress)
            throws InterruptedException {
        String app = "canvasflow-restore-" + cameras + "-" + Long.toString(System.nanoTime(), 36);
        Path stateA = common.work().resolve("state-" + app + "-a");
        Path stateB = common.work().resolve("state-" + app + "-b");
        Map<String, String> settings = common.settings(app, partitions, stateA);
        CanvasFlowConfig config = CanvasFlowConfig.fromMap(settings);
        try {
            CanvasFlowApp.createTopics(config);
            String changelog = ScaleBenchmark.Changelog.topic(app);
            createChangelog(config, changelog, partitions);
            ScaleBenchmark.say(
                    progress,
                    "Restore: writing %d cameras' canvases (%d bytes each) to %s...%n",
                    cameras,
                    canvasValue.length,
                    changelog);
            fill(config, changelog, cameras, canvasValue);
            ScaleBenchmark.say(progress, "  starting serve on an empty state directory...%n");
            long t0 = System.nanoTime();
            try (ServeProcess a = common.serve(settings, app + "-a")) {
                double restore = awaitRestore(a, cameras);
                double up = (System.nanoTime() - t0) / 1e9;
                long rss = a.rssBytes();
                long stateBytes = ScaleBenchmark.treeBytes(stateA);
                ScaleBenchmark.say(
                        progress,
                        "  restored in %.1f s (UP with the store after %.1f s), state %.1f MB, RSS"
                                + " %.0f MB%n",
                        restore,
                        up,
                        stateBytes / Stats.MB,
                        rss / Stats.MB);
                Takeover t = null;
                if (takeover) {
                    Map<String, String> b = new HashMap<>(settings);
                    b.put(CanvasFlowConfig.STATE_DIR, stateB.toString());
                    t = takeover(common, b, app, partitions, progress);
                }
                return new Run(
                        cameras,
                        partitions,
                        (long) cameras * canvasValue.length,
                        restore,
                        up,
                        rss,
                        stateBytes,
                        t);
            }
        } finally {
            ScaleBenchmark.deleteTopics(config);
            ScaleBenchmark.deleteTree(stateA);
            ScaleBenchmark.deleteTree(stateB);
        }
    }

    private static Takeover takeover(
            ScaleBenchmark.Common common,
            Map<String, String> settings,
            String app,
            int partitions,
            PrintWriter progress)
            throws InterruptedException {
        ScaleBenchmark.say(progress, "  a second serve joins...%n");
        long t0 = System.nanoTime();
        try (ServeProcess b = common.serve(settings, app + "-b")) {
            long deadline = System.nanoTime() + TAKEOVER_DEADLINE.toNanos();
            int owned = 0;
            OptionalDouble restore = OptionalDouble.empty();
            boolean complete = false;
            while (!complete && System.nanoTime() < deadline) {
                owned = owned(b.get("/cameras"));
                restore = b.metric("canvasflow_state_restore_seconds");
                complete = owned >= partitions / 2 && restore.isPresent();
                if (!complete) {
                    Thread.sleep(100);
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (!complete) {
                // the deadline, not a take-over time: no figure
                ScaleBenchmark.say(
                        progress,
                        "  it had not taken over after %d s: it owned %d of %d partitions%s%n",
                        TAKEOVER_DEADLINE.toSeconds(),
                        owned,
                        partitions,
                        restore.isPresent() ? ", restored" : ", not restored");
                return new Takeover(Double.NaN, owned, restore.orElse(Double.NaN), false);
            }
            ScaleBenchmark.say(
                    progress,
                    "  it owned %d of %d partitions, restored, after %.1f s%n",
                    owned,
                    partitions,
                    seconds);
            return new Takeover(seconds, owned, restore.getAsDouble(), true);
        }
    }

    /** The partitions {@code /cameras} lists, 0 when it does not answer. */
    static int owned(String camerasJson) {
        if (camerasJson == null) {
            return 0;
        }
        Matcher m = PARTITIONS.matcher(camerasJson);
        return !m.find() || m.group(1).isEmpty() ? 0 : m.group(1).split(",").length;
    }

    /** Waits for serve's restore listener to report a round that read every camera. */
    private static double awaitRestore(ServeProcess serve, int cameras)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            OptionalDouble records = serve.metric("canvasflow_state_restore_records");
            OptionalDouble seconds = serve.metric("canvasflow_state_restore_seconds");
            if (records.isPresent() && seconds.isPresent() && records.getAsDouble() >= cameras) {
                return seconds.getAsDouble();
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(
                "serve did not restore " + cameras + " cameras in 5 minutes:\n" + serve.logTail());
    }

    private static void createChangelog(CanvasFlowConfig config, String topic, int partitions) {
        KafkaClients.createTopic(
                config,
                topic,
                partitions,
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }

    /**
     * Writes a canvas under each camera id; the producer's default partitioner puts it where the
     * camera's frames go, so the task that owns the camera restores it.
     */
    private static void fill(CanvasFlowConfig config, String topic, int cameras, byte[] value) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20);
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (int c = 0; c < cameras; c++) {
                producer.send(new ProducerRecord<>(topic, String.format("cam-%05d", c), value));
            }
            producer.flush();
        }
    }
}
