package io.canvasflow.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.schemas.Topics;
import io.canvasflow.testsupport.ChildJvm;
import io.canvasflow.testsupport.ChildLog;
import io.canvasflow.testsupport.TopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code publish} stopped by SIGTERM as a supervisor stops it, in a JVM of its own. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PublishShutdownTest {

    @TempDir Path dir;

    @Test
    void shouldPrintItsSummaryCountingFramesKafkaHadNotAcknowledgedWhenStopped() throws Exception {
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start()) {
            // Given publish sending a camera in batches of about ten frames, each sent when full
            kafka.createTopics(Map.of("frames-stop", 1));
            Process publish =
                    ChildJvm.start(
                            List.of("-Xmx384m", "-XX:+UseSerialGC"),
                            ChildPublish.class,
                            List.of(
                                    "--bootstrap-servers", kafka.bootstrapServers(),
                                    "--topic", "frames-stop",
                                    "--camera", "gate=synthetic:0:300",
                                    "--fps", "10",
                                    "--producer-property", "linger.ms=600000",
                                    "--producer-property", "batch.size=200000"),
                            dir.resolve("publish.log"));
            try {
                TopicReader.readFromBeginning(
                        kafka.bootstrapServers(),
                        Topics.FRAMES.withName("frames-stop"),
                        1,
                        Duration.ofSeconds(90));
                // and the broker gone while the next batch fills: its frames are sent, never
                // acknowledged (the producer retries them for its delivery timeout, 10 minutes)
                kafka.stop();
                Thread.sleep(1_000);

                // When it gets SIGTERM
                new ProcessBuilder("kill", "-TERM", Long.toString(publish.pid())).start().waitFor();

                // Then it exits as a JVM that ran its shutdown hooks on SIGTERM, after printing
                // its summary, which counts the frames sent and not acknowledged (the stop waited
                // 5 s for them, not the delivery timeout, which outlasts the hook's 20 s)
                assertTrue(
                        publish.waitFor(60, TimeUnit.SECONDS), "publish ignored SIGTERM" + log());
                assertEquals(143, publish.exitValue(), log());
                Matcher row =
                        Pattern.compile(
                                        "(?m)^gate +\\d+ frames .* (\\d+) sent, not acknowledged"
                                                + " \\(stopped before Kafka answered")
                                .matcher(log());
                assertTrue(row.find(), log());
                assertTrue(Long.parseLong(row.group(1)) > 0, log());
                assertTrue(log().lines().anyMatch(l -> l.startsWith("total ")), log());
            } finally {
                publish.destroyForcibly();
            }
        }
    }

    private String log() {
        return ChildLog.text("publish's output", dir.resolve("publish.log"));
    }
}
