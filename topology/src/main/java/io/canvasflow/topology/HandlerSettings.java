package io.canvasflow.topology;

import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What the exception handlers, which Kafka Streams instantiates by class name, read from the
 * Streams configuration: the dead-letter topic ({@code errors.dead.letter.queue.topic.name}), and
 * the CanvasFlow configuration and metrics that {@link CanvasFlowTopology#streamsConfig} puts in as
 * objects.
 */
record HandlerSettings(String dlqTopic, CanvasFlowConfig config, CanvasFlowMetrics metrics) {

    static HandlerSettings from(Map<String, ?> configs) {
        Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        Object config = configs.get(CanvasFlowTopology.CONFIG_OBJECT);
        Object metrics = configs.get(CanvasFlowTopology.METRICS_OBJECT);
        return new HandlerSettings(
                topic == null || topic.toString().isBlank() ? null : topic.toString(),
                config instanceof CanvasFlowConfig c ? c : CanvasFlowConfig.defaults(),
                metrics instanceof CanvasFlowMetrics m ? m : CanvasFlowMetrics.global());
    }
}
