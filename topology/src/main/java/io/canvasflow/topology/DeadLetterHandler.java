package io.canvasflow.topology;

import java.util.Map;
import org.apache.kafka.common.Configurable;

/**
 * What the dead-letter exception handlers share: Kafka Streams instantiates them by class name and
 * configures them with the Streams configuration, from which they read their {@link
 * HandlerSettings}.
 */
abstract class DeadLetterHandler implements Configurable {

    /** The dead-letter topic, the configuration and the metrics; set by {@link #configure}. */
    protected HandlerSettings settings;

    @Override
    public void configure(Map<String, ?> configs) {
        settings = HandlerSettings.from(configs);
    }
}
