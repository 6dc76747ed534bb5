package io.canvasflow.topology;

import io.canvasflow.cli.options.CommandFailures;
import java.util.Optional;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.streams.errors.MissingSourceTopicException;

/**
 * Which stream thread failures a new thread would meet again: the cluster refusing what Kafka
 * Streams asks of it, as when it creates its changelogs with a replication factor or a {@code
 * topic.} property the brokers refuse, or a right the principal lacks. Replacing the thread then
 * fails again at its next rebalance, for ever, a stack trace each time; serve stops instead. So it
 * does when the JVM itself failed the thread (a {@link VirtualMachineError}: out of heap): a new
 * thread would run in the same exhausted heap.
 *
 * <p>Some failures a new thread is expected to get past are known, and said in one line of serve's
 * own ({@link #passing}); any other is logged whole, since nobody has read it yet.
 */
final class ThreadFailures {

    private ThreadFailures() {}

    /**
     * The sentence for a failure that no new thread gets past, if it is one.
     *
     * @param failure what the stream thread died of
     * @return one sentence naming the refusal or the JVM's error and what to do, or empty when a
     *     new thread may do better (a timeout, a broker that went away, a fenced producer...)
     */
    static Optional<String> fatal(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause()) {
            if (e instanceof VirtualMachineError error) {
                return Optional.of(vmError(error));
            }
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

    /**
     * The sentence for a failure that a new thread may get past, if it is a known one. After a
     * broker restarts, the group leader's metadata can lack the frames topic for a moment (its
     * partitions have no leader yet): Kafka Streams' assignor then fails the rebalance with a
     * {@link MissingSourceTopicException}, which it has already logged, with stack traces, at
     * ERROR; a new thread rejoins with fresh metadata (seen in ServeLogTest's outage case). A topic
     * deleted under serve fails every new thread the same way until it is there again, which the
     * cluster watch says once a minute; so the sentence names both.
     *
     * @param failure what the stream thread died of
     * @return one sentence saying what happened and that the thread is replaced, or empty when the
     *     failure is not one of these and deserves its stack trace
     */
    static Optional<String> passing(Throwable failure) {
        for (Throwable e = failure; e != null && e.getCause() != e; e = e.getCause()) {
            if (e instanceof MissingSourceTopicException) {
                return Optional.of(
                        "a rebalance found no metadata for a source topic ("
                                + e.getMessage()
                                + "); replacing the stream thread: right after a broker restarts"
                                + " the next rebalance has fresh metadata, while a deleted frames"
                                + " topic fails every new thread until it is there again (the"
                                + " cluster watch says when serve's topics are gone)");
            }
        }
        return Optional.empty();
    }

    /**
     * A stream thread that died of the JVM itself (out of heap, above all): a new thread would run
     * in the same exhausted heap, so serve stops and says how to give it more.
     */
    private static String vmError(VirtualMachineError e) {
        if (e instanceof OutOfMemoryError) {
            return "a stream thread ran "
                    + CommandFailures.outOfMemory(e)
                    + ", so serve stops; give it more heap with "
                    + CommandFailures.HEAP_ENV
                    + ", or fewer stream threads (--threads)";
        }
        return "a stream thread failed with "
                + CommandFailures.describe(e)
                + ", an error of the JVM itself, so serve stops rather than run a new one in it";
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
