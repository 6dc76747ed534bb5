package io.canvasflow.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.model.DeviceChoice;
import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.MaskEvent;
import io.canvasflow.testsupport.CanvasFlowTopics;
import io.canvasflow.testsupport.ChildJvm;
import io.canvasflow.testsupport.TopicReader;
import io.canvasflow.topology.CanvasFlowConfig;
import io.canvasflow.topology.ServeCommand;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code canvasflow serve} as a user runs it, in a process of its own with the trained default
 * model, against a broker it is given with {@code --bootstrap-servers}: every published frame comes
 * back as one mask event, in order per camera, a machine without a usable GPU is named in one line,
 * and SIGTERM closes Kafka Streams cleanly. (Without bootstrap servers serve refuses to start;
 * ServeCommandTest checks that.)
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ServeEndToEndTest {

    private static final int CAMERAS = 2;
    private static final int FRAMES = 4;

    @TempDir Path dir;

    @Test
    void shouldServeABrokerGivenByBootstrapServers() throws Exception {
        // Given a running broker with the topics, and serve pointed at it
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start()) {
            kafka.createTopics(CanvasFlowTopics.withPartitions(2));
            Process serve = startServe("--bootstrap-servers", kafka.bootstrapServers());
            try {
                // When cameras publish to it
                publish(kafka.bootstrapServers());

                // Then each frame comes back as one mask event, in order per camera
                assertEquals(expectedSequences(), maskSequences(kafka.bootstrapServers()));
                // and where no GPU is usable, serve said so in one line of its own, not DJL's
                // warning twice
                boolean gpu = DeviceChoice.AUTO.resolve().isGpu();
                assertEquals(
                        List.of(0, gpu ? 0 : 1),
                        List.of(
                                occurrences(log(), "Failed to detect GPU count"),
                                occurrences(log(), "the model runs on the CPU")),
                        log());
            } finally {
                assertStopsOnSigterm(serve);
            }
        }
    }

    private Process startServe(String... args) throws IOException {
        List<String> serveArgs = new ArrayList<>();
        serveArgs.add("--model");
        serveArgs.add(System.getProperty("canvasflow.test.model"));
        serveArgs.addAll(List.of(args));
        serveArgs.addAll(
                List.of(
                        "-D", CanvasFlowConfig.STATE_DIR + "=" + dir.resolve("state"),
                        "-D", CanvasFlowConfig.HTTP_PORT + "=0"));
        return ChildJvm.start(
                List.of("-Xmx768m"), ServeCommand.class, serveArgs, dir.resolve("serve.log"));
    }

    /** Waits for serve to say where its embedded broker listens. */
    private static void publish(String bootstrap) throws Exception {
        try (FramePublisher publisher =
                FramePublisher.builder().setBootstrapServers(bootstrap).build()) {
            Instant start = Instant.now();
            for (int camera = 0; camera < CAMERAS; camera++) {
                for (int seq = 0; seq < FRAMES; seq++) {
                    BufferedImage image = ImageCodecsTest.noise(128, 96, 31 * camera + seq);
                    publisher
                            .publish(
                                    "cam-" + camera,
                                    seq,
                                    start.plusMillis(100L * seq),
                                    image,
                                    null,
                                    Map.of())
                            .get(30, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static Map<String, List<Long>> expectedSequences() {
        Map<String, List<Long>> expected = new TreeMap<>();
        for (int camera = 0; camera < CAMERAS; camera++) {
            List<Long> seqs = new ArrayList<>();
            for (long seq = 0; seq < FRAMES; seq++) {
                seqs.add(seq);
            }
            expected.put("cam-" + camera, seqs);
        }
        return expected;
    }

    /** Committed mask events until all have come (or two minutes), then a second for extras. */
    private static Map<String, List<Long>> maskSequences(String bootstrap) {
        Map<String, List<Long>> out = new TreeMap<>();
        for (ConsumerRecord<String, MaskEvent> record :
                TopicReader.readFromBeginning(
                        bootstrap, Topics.MASKS, CAMERAS * FRAMES, Duration.ofMinutes(2))) {
            out.computeIfAbsent(record.key(), k -> new ArrayList<>())
                    .add(record.value().getSequence());
        }
        return out;
    }

    private void assertStopsOnSigterm(Process serve) throws Exception {
        try {
            assertTrue(serve.isAlive(), "serve died before it was stopped:\n" + log());
            serve.destroy();
            assertTrue(serve.waitFor(60, TimeUnit.SECONDS), "serve ignored SIGTERM:\n" + log());
            // a requested stop is exit 0 once everything is closed (README: serve's exit codes)
            assertEquals(0, serve.exitValue(), "serve's exit status after SIGTERM:\n" + log());
            assertTrue(
                    log().contains("Kafka Streams state PENDING_SHUTDOWN -> NOT_RUNNING"),
                    "Kafka Streams closed cleanly:\n" + log());
        } finally {
            serve.destroyForcibly();
        }
    }

    private static int occurrences(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("serve.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
