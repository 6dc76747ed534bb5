package io.canvasflow.tools.replay;

import io.canvasflow.schemas.TopicSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * Which records of a topic to replay: all of them, or those between two offsets (the same bounds on
 * every partition) and/or between two record timestamps. Lower bounds are inclusive, upper bounds
 * exclusive; a bound left null is open.
 *
 * @param fromOffset first offset to replay on each partition, or null
 * @param toOffset offset to stop before on each partition, or null
 * @param fromTime replay records whose timestamp is at or after this, or null
 * @param toTime replay records whose timestamp is before this, or null
 */
public record FrameRange(Long fromOffset, Long toOffset, Instant fromTime, Instant toTime)
        implements TopicSnapshot.Bounds {

    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Checks that the bounds are not negative and leave something to replay: an upper bound is
     * exclusive, so one equal to the lower bound is as empty as one below it.
     */
    public FrameRange {
        if (fromOffset != null && fromOffset < 0) {
            throw new IllegalArgumentException(
                    "expected --from-offset >= 0 but found " + fromOffset);
        }
        if (toOffset != null && toOffset < 1) {
            throw new IllegalArgumentException(
                    "expected --to-offset >= 1 (the replay stops before it) but found " + toOffset);
        }
        if (fromOffset != null && toOffset != null && toOffset <= fromOffset) {
            throw new IllegalArgumentException(
                    "expected --to-offset above --from-offset "
                            + fromOffset
                            + " (the replay stops before --to-offset) but found "
                            + toOffset);
        }
        if (fromTime != null && toTime != null && !toTime.isAfter(fromTime)) {
            throw new IllegalArgumentException(
                    "expected --to-time after --from-time "
                            + fromTime
                            + " (the replay stops before --to-time) but found "
                            + toTime);
        }
    }

    /** The whole topic. */
    public static FrameRange all() {
        return new FrameRange(null, null, null, null);
    }

    /** Whether no bound is set. */
    public boolean isAll() {
        return fromOffset == null && toOffset == null && fromTime == null && toTime == null;
    }

    /**
     * Turns the bounds into an offset range per partition, as the topic is now.
     *
     * @param consumer a consumer connected to the cluster
     * @param partitions the partitions of the topic
     * @return per partition, {@code {start, end}} with {@code start <= end}, end exclusive
     */
    @Override
    public Map<TopicPartition, long[]> resolve(
            Consumer<?, ?> consumer, List<TopicPartition> partitions) {
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, LOOKUP_TIMEOUT);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, LOOKUP_TIMEOUT);
        Map<TopicPartition, Long> fromTimes = byTime(consumer, partitions, fromTime, end);
        Map<TopicPartition, Long> toTimes = byTime(consumer, partitions, toTime, end);
        Map<TopicPartition, long[]> ranges = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            long start = begin.get(tp);
            long stop = end.get(tp);
            if (fromOffset != null) {
                start = Math.max(start, fromOffset);
            }
            if (fromTimes != null) {
                start = Math.max(start, fromTimes.get(tp));
            }
            if (toOffset != null) {
                stop = Math.min(stop, toOffset);
            }
            if (toTimes != null) {
                stop = Math.min(stop, toTimes.get(tp));
            }
            ranges.put(tp, new long[] {start, Math.max(start, stop)});
        }
        return ranges;
    }

    /** The first offset at or after a time per partition (the end when there is none). */
    private static Map<TopicPartition, Long> byTime(
            Consumer<?, ?> consumer,
            List<TopicPartition> partitions,
            Instant time,
            Map<TopicPartition, Long> end) {
        if (time == null) {
            return null;
        }
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, time.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> found =
                consumer.offsetsForTimes(query, LOOKUP_TIMEOUT);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp at = found.get(tp);
            offsets.put(tp, at == null ? end.get(tp) : at.offset());
        }
        return offsets;
    }

    /** A short description for reports, for example {@code offsets [10, 200)}. */
    public String describe() {
        if (isAll()) {
            return "whole topic";
        }
        List<String> parts = new ArrayList<>();
        if (fromOffset != null || toOffset != null) {
            parts.add(span("offsets", fromOffset, toOffset));
        }
        if (fromTime != null || toTime != null) {
            parts.add(span("times", fromTime, toTime));
        }
        return String.join(", ", parts);
    }

    /** For example {@code offsets [10, end)}. */
    private static String span(String what, Object from, Object to) {
        return what
                + " ["
                + (from == null ? "start" : from)
                + ", "
                + (to == null ? "end" : to)
                + ")";
    }
}
