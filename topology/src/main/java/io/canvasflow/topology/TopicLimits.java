package io.canvasflow.topology;

import io.canvasflow.schemas.KafkaTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record size limits of serve's topics as the cluster has them, read once at start
 * (DescribeConfigs, bounded by {@code startup.timeout.ms}), for {@link DeadLetterRoom}, {@link
 * MaskRoom} and {@link ChangelogRoom}.
 *
 * @param limits each topic's {@code max.message.bytes}, for the topics whose limit was read
 * @param problems why a topic's limit was not read, one sentence each
 * @param producerMax the largest request serve's producer sends ({@code max.request.size})
 */
record TopicLimits(Map<String, Integer> limits, List<String> problems, int producerMax) {

    private static final Logger LOG = LoggerFactory.getLogger(TopicLimits.class);

    /**
     * Reads the limits of the frames, masks and dead-letter topics, and in latest-only mode of the
     * pending-frames changelog ({@link ChangelogRoom}), if it exists.
     */
    static TopicLimits read(CanvasFlowConfig config) {
        List<String> topics =
                new ArrayList<>(
                        List.of(config.framesTopic(), config.masksTopic(), config.dlqTopic()));
        if (config.processingMode() == ProcessingMode.LATEST_ONLY) {
            topics.add(ChangelogRoom.pendingFramesChangelog(config));
        }
        List<String> problems = new ArrayList<>();
        Map<String, Integer> limits =
                KafkaTopics.maxMessageBytes(
                        FollowedModels.clientProperties(config),
                        topics,
                        Duration.ofMillis(config.startupTimeoutMs()),
                        problems::add);
        return new TopicLimits(
                Map.copyOf(limits),
                List.copyOf(problems),
                CanvasFlowTopology.producerMaxRequestSize(config));
    }

    /**
     * The largest record serve can write to a topic: the topic's limit, or the producer's if it is
     * lower.
     *
     * @param topic the topic
     * @return the size in bytes, or null when the topic's limit is not known
     */
    Integer writable(String topic) {
        Integer limit = limits.get(topic);
        return limit == null ? null : Math.min(limit, producerMax);
    }

    /**
     * {@link #writable}, or, when the topic's limit is not known, null after one WARN that says
     * what cannot be kept within it and how to make it checkable.
     *
     * @param topic the topic
     * @param record what serve writes there, e.g. "a dead letter"
     * @param setting the setting that bounds it
     * @param framing what the record takes besides what the setting bounds
     * @return the size in bytes, or null
     */
    Integer writableOrSay(String topic, String record, String setting, int framing) {
        Integer writable = writable(topic);
        if (writable == null) {
            LOG.warn(
                    "{}; {} larger than it takes would stop its partition: grant this principal"
                            + " DescribeConfigs on {}, or set {} to at most its max.message.bytes"
                            + " minus {}",
                    problems.stream()
                            .filter(p -> p.contains(topic))
                            .reduce((a, b) -> a + "; " + b)
                            .orElse("the limit of " + topic + " is not known"),
                    record,
                    topic,
                    setting,
                    framing);
        }
        return writable;
    }
}
