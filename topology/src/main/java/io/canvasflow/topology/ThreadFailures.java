package io.canvasflow.topology;

import java.util.Optional;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.PolicyViolationException;

/**
 * Which stream thread failures a new thread would meet again: the cluster refusing what Kafka
 * Streams asks of it, as when it creates its changelogs with a replication factor or a {@code
 * topic.} property the brokers refuse, or a right the principal lacks. Replacing the thread then
 * fails again at its next rebalance, for ever, a stack trace each time; serve stops instead.
 */
final class ThreadFailures {

    private ThreadFailures() {}

    /**
     * The sentence for a failure that no new thread gets past, if it is one.
     *
     * @param failure what the stream thread died of
     * @return one sentence naming the refusal and what to do, or empty when a new thread may do
     *     better (a timeout, a broker that went away, a fenced producer...)
     */
    static Optional<String> fatal(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause()) {
            String todo = remedy(e);
            if (todo != null) {
                return Optional.of(
                        "a stream thread failed, and a new one would fail the same way, so serve"
                                + " stops: the cluster refused it with "
                                + e.getClass().getSimpleName()
                                + " ("
                                + e.getMessage()
                                + "); "
                                + todo);
            }
            if (e.getCause() == e) {
                break;
            }
        }
        return Optional.empty();
    }

    private static String remedy(Throwable e) {
        if (e instanceof InvalidReplicationFactorException) {
            return "set the Kafka property replication.factor to at most the number of brokers,"
                    + " or -1 for the brokers' default";
        }
        if (e instanceof InvalidConfigurationException
                || e instanceof PolicyViolationException
                || e instanceof InvalidTopicException) {
            return "correct the Kafka properties Kafka Streams gives its topics (topic.*,"
                    + " replication.factor) or the topic settings";
        }
        if (e instanceof AuthorizationException) {
            return "grant the principal serve runs as the rights it lacks (ACLs on its topics,"
                    + " consumer group and transactional id)";
        }
        if (e instanceof AuthenticationException) {
            return "correct the credentials (sasl.*, ssl.* Kafka properties)";
        }
        return null;
    }
}
