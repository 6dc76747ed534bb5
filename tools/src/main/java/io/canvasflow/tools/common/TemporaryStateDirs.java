package io.canvasflow.tools.common;

/**
 * Kafka Streams warns about a state directory under {@code java.io.tmpdir}, which the OS may clear.
 * The demo's and each replayed run's state is meant to be temporary, so the warning says nothing
 * there, and a newcomer's first run showed it.
 */
public final class TemporaryStateDirs {

    private static final String STATE_DIRECTORY_LEVEL =
            "org.slf4j.simpleLogger.log.org.apache.kafka.streams.processor.internals.StateDirectory";

    private TemporaryStateDirs() {}

    /**
     * Keeps Kafka Streams' state directory logger at ERROR, unless the user chose a level: call
     * before the first Kafka Streams instance is made (SLF4J's simple logger reads the level when
     * the logger is created).
     */
    public static void quietWarning() {
        if (System.getProperty(STATE_DIRECTORY_LEVEL) == null) {
            System.setProperty(STATE_DIRECTORY_LEVEL, "error");
        }
    }
}
