package io.canvasflow.topology;

import io.canvasflow.schemas.KafkaTopics;
import io.canvasflow.schemas.StoreNames;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises the record size limit of latest-only mode's pending-frames changelog, which holds whole
 * frames, when it is below the frames'. Kafka Streams applies {@code topic.max.message.bytes} only
 * when it creates a changelog: one made before {@code frame.max.bytes} was raised, or by a
 * CanvasFlow that did not set it, keeps its old limit (the brokers' default, about 1 MB), and a
 * frame over it is refused in every stream thread that replaces the one before, so its partition
 * never moves again. The changelog is this application's own internal topic, so serve sets it as
 * Kafka Streams would have made it; where this principal may not, serve stops with the command that
 * does it.
 */
final class ChangelogRoom {

    private static final Logger LOG = LoggerFactory.getLogger(ChangelogRoom.class);

    private ChangelogRoom() {}

    /**
     * The changelog of the pending-frames store.
     *
     * @param config the settings
     * @return its topic name, as Kafka Streams names it
     */
    static String pendingFramesChangelog(CanvasFlowConfig config) {
        return StoreNames.changelog(config.applicationId(), StoreNames.PENDING_FRAMES_STORE);
    }

    /**
     * In latest-only mode, raises the pending-frames changelog's {@code max.message.bytes} to the
     * frames' limit if it exists with a lower one.
     *
     * @param config the settings
     * @param limits the limits, as read at start (with the changelog's in latest-only mode)
     * @throws IllegalStateException with one sentence and the command when it is too low and cannot
     *     be raised
     */
    static void raise(CanvasFlowConfig config, TopicLimits limits) {
        if (config.processingMode() != ProcessingMode.LATEST_ONLY) {
            return;
        }
        String changelog = pendingFramesChangelog(config);
        Duration timeout = Duration.ofMillis(config.startupTimeoutMs());
        Integer limit = limits.limits().get(changelog);
        int needed = CanvasFlowTopology.maxMessageBytes(config);
        if (limit == null) {
            // Not made yet (Kafka Streams makes it with the limit), or not readable
            limits.problems().stream()
                    .filter(p -> p.contains(changelog))
                    .forEach(
                            p ->
                                    LOG.warn(
                                            "{}; a frame larger than it takes would stop its"
                                                    + " partition",
                                            p));
            return;
        }
        if (limit >= needed) {
            return;
        }
        try {
            KafkaTopics.setMaxMessageBytes(
                    FollowedModels.clientProperties(config), changelog, needed, timeout);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(
                    "the changelog "
                            + changelog
                            + " takes records of at most "
                            + limit
                            + " bytes, less than a frame of up to "
                            + config.frameMaxBytes()
                            + " bytes, and could not be raised ("
                            + e.getMessage()
                            + "); raise it: kafka-configs.sh --bootstrap-server "
                            + config.bootstrapServers()
                            + " --alter --entity-type topics --entity-name "
                            + changelog
                            + " --add-config max.message.bytes="
                            + needed,
                    e);
        }
        LOG.info(
                "raised max.message.bytes of the changelog {} from {} to {}, to hold a frame of up"
                        + " to {} bytes",
                changelog,
                limit,
                needed,
                config.frameMaxBytes());
    }
}
