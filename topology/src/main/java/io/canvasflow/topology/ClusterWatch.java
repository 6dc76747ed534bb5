package io.canvasflow.topology;

import io.canvasflow.schemas.KafkaClientFailure;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the Kafka cluster answers serve, asked every {@link #EVERY} while it runs and said in
 * CanvasFlow's own lines: a WARN when it stops answering, another every {@link #SAY_AGAIN_MS} while
 * it does not, an INFO when it answers again. Kafka's clients say every connection that fails, each
 * client for itself (about ten lines a second from serve's six clients in an outage), so serve
 * keeps their logger ({@link #NETWORK_CLIENT}) at ERROR and says an outage here instead. Kafka
 * Streams and the model follower wait for the cluster by themselves; this only says so.
 */
final class ClusterWatch {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterWatch.class);

    /** The logger of Kafka's clients that warns at every connection that fails. */
    static final String NETWORK_CLIENT = "org.apache.kafka.clients.NetworkClient";

    /** How often the cluster is asked, and how long an answer may take. */
    static final Duration EVERY = Duration.ofSeconds(5);

    /** How often an outage that goes on is said again. */
    static final long SAY_AGAIN_MS = 60_000;

    private final String cluster;
    private final LongSupplier clock;
    private long downSinceMs = -1;
    private long saidMs;

    /**
     * A watch that has seen nothing yet.
     *
     * @param cluster the bootstrap servers, as the lines name the cluster
     * @param clock milliseconds
     */
    ClusterWatch(String cluster, LongSupplier clock) {
        this.cluster = cluster;
        this.clock = clock;
    }

    /**
     * Records a question the cluster did not answer.
     *
     * @param why in a few words
     * @return the WARN line to log now, if one is due
     */
    Optional<String> unanswered(String why) {
        long now = clock.getAsLong();
        if (downSinceMs < 0) {
            downSinceMs = now;
            saidMs = now;
            return Optional.of(
                    "Kafka cluster at "
                            + cluster
                            + " does not answer ("
                            + why
                            + "); serve goes on by itself once it does, and says it again every"
                            + " minute until then");
        }
        if (now - saidMs < SAY_AGAIN_MS) {
            return Optional.empty();
        }
        saidMs = now;
        return Optional.of(
                "Kafka cluster at "
                        + cluster
                        + " still does not answer after "
                        + (now - downSinceMs) / 1000
                        + " s ("
                        + why
                        + ")");
    }

    /**
     * Records an answer.
     *
     * @return the INFO line to log now, when it ends an outage
     */
    Optional<String> answered() {
        if (downSinceMs < 0) {
            return Optional.empty();
        }
        long seconds = (clock.getAsLong() - downSinceMs) / 1000;
        downSinceMs = -1;
        return Optional.of(
                "Kafka cluster at " + cluster + " answers again, after " + seconds + " s without");
    }

    /**
     * Watches the cluster in a daemon thread until {@code stopped} completes.
     *
     * @param config the settings: the bootstrap servers and the Kafka client properties
     * @param stopped completes when serve stops
     */
    static void start(CanvasFlowConfig config, CompletableFuture<?> stopped) {
        Thread thread = new Thread(() -> run(config, stopped), "canvasflow-cluster-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private static void run(CanvasFlowConfig config, CompletableFuture<?> stopped) {
        ClusterWatch watch = new ClusterWatch(config.bootstrapServers(), System::currentTimeMillis);
        Map<String, Object> props = new HashMap<>(FollowedModels.clientProperties(config));
        props.keySet().retainAll(AdminClientConfig.configNames());
        try (Admin admin = Admin.create(props)) {
            while (!stopped.isDone()) {
                watch.ask(admin);
                try {
                    stopped.get(EVERY.toMillis(), TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    // time to ask again
                }
            }
        } catch (KafkaException e) {
            // serve's start made clients of the same properties: not expected
            LOG.warn("no watch on the Kafka cluster: {}", KafkaClientFailure.describe(e));
        } catch (InterruptedException | ExecutionException e) {
            Thread.currentThread().interrupt(); // serve is stopping
        }
    }

    private void ask(Admin admin) throws InterruptedException {
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) EVERY.toMillis()))
                    .nodes()
                    .get();
            answered().ifPresent(LOG::info);
        } catch (ExecutionException e) {
            String why =
                    e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException
                            ? "no broker answered within " + EVERY.toSeconds() + " s"
                            : e.getCause() instanceof RuntimeException r
                                    ? KafkaClientFailure.describe(r)
                                    : String.valueOf(e.getCause());
            unanswered(why).ifPresent(LOG::warn);
        }
    }
}
