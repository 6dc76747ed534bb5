package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ChangelogSegmentsTest {

    @Test
    void shouldGiveTheChangelogsSmallSegmentsButLeaveWhatTheUserSetToKafkaStreams() {
        // Given the defaults
        CanvasFlowConfig defaults = CanvasFlowConfig.defaults();

        // Then the changelogs get 16 MiB, 1 minute segments and a low dirty ratio
        assertEquals(
                Map.of(
                        "segment.bytes", "16777216",
                        "segment.ms", "60000",
                        "min.cleanable.dirty.ratio", "0.1"),
                ChangelogSegments.of(defaults));

        // And a Kafka property topic.segment.ms is left to Kafka Streams, which applies it
        assertEquals(
                Map.of("segment.bytes", "16777216", "min.cleanable.dirty.ratio", "0.1"),
                ChangelogSegments.of(defaults.with("kafka.topic.segment.ms", "30000")));

        // And a segment holds the largest record (a broker refuses a batch larger than one)
        CanvasFlowConfig large = defaults.with(CanvasFlowConfig.FRAME_MAX_BYTES, "33554432");
        assertEquals(
                Integer.toString(CanvasFlowTopology.maxMessageBytes(large)),
                ChangelogSegments.of(large).get("segment.bytes"));
    }
}
