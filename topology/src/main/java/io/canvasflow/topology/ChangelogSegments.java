package io.canvasflow.topology;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The segment and compaction settings the stores' changelogs are created with, so that a restore
 * reads about one record per camera, not the changelog's history.
 *
 * <p>A store's changelog gets one record per camera per commit (its cache keeps a camera's latest
 * write within a commit): at 10 frames/s and the 100 ms {@code commit.interval.ms} of exactly-once,
 * up to 10 canvases of 9,306 B a second (the shipped model's), 93 KB/s a camera, 0.8 MB/s into each
 * of 12 partitions at 100 cameras. Compaction leaves the active segment alone, and the brokers'
 * default segments are 1 GiB or 7 days: a killed instance (no PVC state kept, see {@link
 * UncleanStop}) restored 105 records of 2 cameras after 150 frames, and at 0.8 MB/s a partition's
 * changelog grows to a GiB before compaction may touch it. With these:
 *
 * <ul>
 *   <li>{@code segment.bytes} {@value #SEGMENT_BYTES} (16 MiB, or the largest record if that is
 *       larger: a broker refuses a batch larger than a segment): rolled every 20 s at 0.8 MB/s;
 *   <li>{@code segment.ms} {@value #SEGMENT_MS} (1 min): a quiet partition (one camera, 5.6 MB a
 *       minute) still rolls, so its history becomes compactable;
 *   <li>{@code min.cleanable.dirty.ratio} {@value #MIN_CLEANABLE_DIRTY_RATIO}: the cleaned part is
 *       one record per camera (10,000 cameras on a partition: 93 MB), and at the default 0.5 the
 *       cleaner would wait for as much again of closed segments; at 0.1 it takes the first.
 * </ul>
 *
 * <p>A restore then reads at most, per partition: one record per camera, the active segment (16 MiB
 * or a minute of writes, whichever is less), and the closed segments the brokers' cleaner has not
 * reached yet (it runs on its own schedule: at least {@code log.cleaner.backoff.ms}, 15 s, apart,
 * one thread by default, so more when it falls behind). Where it keeps up: about 32 MiB a
 * partition, 0.6 s at the 52.8 MB/s restore rate of docs/capacity.md. A Kafka property {@code
 * topic.segment.bytes}, {@code topic.segment.ms} or {@code topic.min.cleanable.dirty.ratio}
 * replaces ours. Kafka Streams applies them only when it creates a changelog: one created before
 * keeps its own (kafka-configs.sh --alter sets them).
 */
final class ChangelogSegments {

    /** Bytes of a changelog segment, unless a record is larger. */
    static final int SEGMENT_BYTES = 16 * 1024 * 1024;

    /** How long a changelog segment stays active at most. */
    static final long SEGMENT_MS = 60_000;

    /** The share of a changelog's closed bytes not yet compacted at which the cleaner takes it. */
    static final String MIN_CLEANABLE_DIRTY_RATIO = "0.1";

    private ChangelogSegments() {}

    /**
     * The topic settings of a store's changelog, but those a Kafka property {@code topic.X} sets.
     *
     * @param config the settings: the Kafka properties and the largest record
     * @return the topic settings, for {@code StoreBuilder.withLoggingEnabled}
     */
    static Map<String, String> of(CanvasFlowConfig config) {
        Map<String, String> topic = new LinkedHashMap<>();
        topic.put(
                TopicConfig.SEGMENT_BYTES_CONFIG,
                Integer.toString(
                        Math.max(SEGMENT_BYTES, CanvasFlowTopology.maxMessageBytes(config))));
        topic.put(TopicConfig.SEGMENT_MS_CONFIG, Long.toString(SEGMENT_MS));
        topic.put(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, MIN_CLEANABLE_DIRTY_RATIO);
        // a store's own settings would win over the user's topic.X: leave those to Kafka Streams
        topic.keySet()
                .removeIf(
                        name ->
                                config.kafkaProperties()
                                        .containsKey(StreamsConfig.topicPrefix(name)));
        return topic;
    }
}
