package io.canvasflow.clients;

import java.util.function.Consumer;
import org.apache.kafka.common.Metric;

/**
 * Says in a follower's own lines when Kafka stops answering it and when it answers again: a WARN
 * once it has been silent {@link #SILENT_MS}, again every {@link #SAY_AGAIN_MS} while it stays so,
 * and an INFO when it answers. Kafka's consumer warns at every connection that fails (about 2.5
 * lines a second in an outage), so {@code masks} and {@code view} keep that logger ({@link
 * #NETWORK_CLIENT}) at ERROR, as serve does, and this says what those lines told.
 *
 * <p>A follower's consumer always has a fetch waiting at the brokers (each answered within {@code
 * fetch.max.wait.ms}, half a second unless set), so a count of responses that stops growing means
 * Kafka does not answer, whatever the reason.
 */
public final class KafkaSilence {

    /** The logger of Kafka's clients that warns at every connection that fails. */
    static final String NETWORK_CLIENT = "org.apache.kafka.clients.NetworkClient";

    /** How long without an answer before it is said: longer than any fetch's wait. */
    static final long SILENT_MS = 10_000;

    /** How often a silence that goes on is said again. */
    static final long SAY_AGAIN_MS = 60_000;

    private final String bootstrapServers;
    private final Consumer<String> warn;
    private final Consumer<String> info;
    private double responses = -1;
    private long lastAnswer;
    private long lastSaid = -1;
    private Metric responseTotal;

    KafkaSilence(String bootstrapServers, Consumer<String> warn, Consumer<String> info) {
        this.bootstrapServers = bootstrapServers;
        this.warn = warn;
        this.info = info;
    }

    /**
     * Keeps {@link #NETWORK_CLIENT} at ERROR unless the user chose its level ({@code
     * -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient=...}); before the first
     * Kafka client, since a logger takes its level when it is made.
     */
    public static void quietNetworkClient() {
        String key = "org.slf4j.simpleLogger.log." + NETWORK_CLIENT;
        if (System.getProperty(key) == null) {
            System.setProperty(key, "error");
        }
    }

    /**
     * Takes the consumer's count of responses now (its {@code consumer-metrics} {@code
     * response-total}); nothing if this Kafka client has no such metric.
     *
     * @param kafka the follower's consumer
     * @param nowMillis a monotonic clock in milliseconds
     */
    void observe(org.apache.kafka.clients.consumer.Consumer<?, ?> kafka, long nowMillis) {
        if (responseTotal == null) {
            responseTotal =
                    kafka.metrics().entrySet().stream()
                            .filter(e -> e.getKey().group().equals("consumer-metrics"))
                            .filter(e -> e.getKey().name().equals("response-total"))
                            .map(e -> (Metric) e.getValue())
                            .findFirst()
                            .orElse(null);
            if (responseTotal == null) {
                return;
            }
        }
        if (responseTotal.metricValue() instanceof Number n) {
            observe(n.doubleValue(), nowMillis);
        }
    }

    /**
     * Takes the consumer's count of responses now.
     *
     * @param responsesNow the responses it has received so far
     * @param nowMillis a monotonic clock in milliseconds
     */
    void observe(double responsesNow, long nowMillis) {
        if (responses < 0 || responsesNow > responses) {
            if (lastSaid >= 0) {
                info.accept(
                        String.format(
                                "Kafka at %s answers again after %d s",
                                bootstrapServers, (nowMillis - lastAnswer) / 1000));
                lastSaid = -1;
            }
            responses = responsesNow;
            lastAnswer = nowMillis;
            return;
        }
        long silent = nowMillis - lastAnswer;
        if (silent >= SILENT_MS && (lastSaid < 0 || nowMillis - lastSaid >= SAY_AGAIN_MS)) {
            warn.accept(
                    String.format(
                            "Kafka at %s has not answered for %d s; still trying (what is shown"
                                    + " is from before)",
                            bootstrapServers, silent / 1000));
            lastSaid = nowMillis;
        }
    }
}
