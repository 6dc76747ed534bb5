package io.canvasflow.testsupport;

import io.canvasflow.schemas.Topics;
import java.util.Map;

/** The topics a CanvasFlow application reads and writes, for a test broker to create. */
public final class CanvasFlowTopics {

    private CanvasFlowTopics() {}

    /**
     * Topic name to partition count: frames and masks with {@code partitions} each (the topology
     * keeps a camera's frame and mask partitions equal), one for the dead letters.
     *
     * @param partitions partitions of the frames and masks topics
     * @return the topics to create
     */
    public static Map<String, Integer> withPartitions(int partitions) {
        return Map.of(
                Topics.FRAMES.name(), partitions,
                Topics.MASKS.name(), partitions,
                Topics.FRAMES_DLQ.name(), 1);
    }
}
