package io.canvasflow.tools.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.canvasflow.clients.PublishResult;
import io.canvasflow.kafka.EmbeddedKafkaBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ReplayFootage} on a real broker: what {@code replay} and {@code bench pipeline} publish
 * before they measure.
 */
class ReplayFootageTest {

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void shouldShowNoProgressLineWhenTheOutputIsNotATerminal() throws Exception {
        // Given a frames topic, and output that is not a terminal, as under a test runner or in a
        // log file (no console: Surefire's forked JVM reads and writes pipes)
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
            broker.createTopics(Map.of("frames", 1));
            StringWriter out = new StringWriter();

            // When two synthetic cameras are published with that output for the progress line
            PublishResult result =
                    ReplayFootage.publishSynthetic(
                            broker.bootstrapServers(),
                            "frames",
                            List.of("cam-0", "cam-1"),
                            3,
                            new PrintWriter(out, true));

            // Then every frame was published, and the output holds no line rewritten in place
            // with carriage returns: as canvasflow publish, the line is shown on a terminal only
            assertEquals(6L, result.totalFrames());
            assertFalse(out.toString().contains("\r"), out.toString());
        }
    }
}
