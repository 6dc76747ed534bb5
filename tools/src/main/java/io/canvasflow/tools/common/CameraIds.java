package io.canvasflow.tools.common;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;

/**
 * Camera ids chosen so that Kafka's default partitioner spreads them evenly: with {@code P}
 * partitions, camera {@code i} lands on partition {@code i % P}. Without this, four cameras on four
 * partitions share partitions more often than not, and a second stream thread may get no work at
 * all.
 */
public final class CameraIds {

    private CameraIds() {}

    /**
     * Returns {@code count} distinct ids {@code prefix + n}, camera {@code i} on partition {@code i
     * % partitions}.
     *
     * @param prefix the start of every id, for example {@code cam-}
     * @param count how many ids
     * @param partitions the partitions of the topic they are published to
     * @return the ids, in partition order
     */
    public static List<String> spread(String prefix, int count, int partitions) {
        if (count < 0 || partitions < 1) {
            throw new IllegalArgumentException(
                    "expected count >= 0 and partitions >= 1 but found "
                            + count
                            + " and "
                            + partitions);
        }
        List<String> ids = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (int i = 0; i < count; i++) {
            int target = i % partitions;
            for (int n = 0; ; n++) {
                String id = prefix + n;
                if (!used.contains(id) && partitionOf(id, partitions) == target) {
                    ids.add(id);
                    used.add(id);
                    break;
                }
            }
        }
        return ids;
    }

    /**
     * The partition the default partitioner picks for a string key (murmur2 of its UTF-8 bytes).
     *
     * @param key the record key
     * @param partitions the topic's partition count
     * @return the partition
     */
    public static int partitionOf(String key, int partitions) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        return Utils.toPositive(Utils.murmur2(bytes)) % partitions;
    }
}
