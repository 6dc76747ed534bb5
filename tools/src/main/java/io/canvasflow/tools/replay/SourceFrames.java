package io.canvasflow.tools.replay;

import io.canvasflow.schemas.AvroSerdes;
import io.canvasflow.schemas.TopicSnapshot;
import io.canvasflow.schemas.avro.Frame;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * What a snapshot of a frames topic holds, read once before the modes run: the frames per camera,
 * the ground-truth class maps (as the PNGs the publisher sent), and a few frames kept whole for the
 * report's sample grid.
 */
public final class SourceFrames {

    /** How many cameras the sample grid shows, one frame each. */
    public static final int SAMPLE_CAMERAS = 4;

    private long records;
    private long badRecords;
    private final Map<String, List<Long>> sequences = new TreeMap<>();
    private final Map<FrameKey, byte[]> groundTruth = new HashMap<>();
    private final Map<FrameKey, Frame> samples = new TreeMap<>();

    private SourceFrames() {}

    /**
     * Reads the snapshot: counts, sequences and ground truth, then the sample frames.
     *
     * @param snapshot the records to replay
     * @param consumerConfig a consumer configuration without a group
     * @param idle how long to wait for records that should be there
     * @return what the snapshot holds
     */
    public static SourceFrames scan(
            TopicSnapshot snapshot, Map<String, Object> consumerConfig, Duration idle) {
        SourceFrames s = new SourceFrames();
        Deserializer<Frame> frames = AvroSerdes.frame().deserializer();
        snapshot.read(
                consumerConfig,
                record -> {
                    s.records++;
                    Frame frame = parse(frames, snapshot.topic(), record.value());
                    if (frame == null) {
                        s.badRecords++;
                        return;
                    }
                    FrameKey key = new FrameKey(frame.getCameraId(), frame.getSequence());
                    s.sequences
                            .computeIfAbsent(key.camera(), c -> new ArrayList<>())
                            .add(key.sequence());
                    ByteBuffer truth = frame.getGroundTruth();
                    if (truth != null && truth.remaining() > 0) {
                        byte[] png = new byte[truth.remaining()];
                        truth.duplicate().get(png);
                        s.groundTruth.put(key, png);
                    }
                },
                idle);
        Set<FrameKey> wanted = s.sampleKeys();
        if (!wanted.isEmpty()) {
            snapshot.read(
                    consumerConfig,
                    record -> {
                        Frame frame = parse(frames, snapshot.topic(), record.value());
                        if (frame != null) {
                            FrameKey key = new FrameKey(frame.getCameraId(), frame.getSequence());
                            if (wanted.contains(key)) {
                                s.samples.put(key, frame);
                            }
                        }
                    },
                    idle);
        }
        return s;
    }

    /** Frames two thirds into the first few cameras: by then a seeded canvas has settled. */
    private Set<FrameKey> sampleKeys() {
        Set<FrameKey> keys = new HashSet<>();
        for (Map.Entry<String, List<Long>> e : sequences.entrySet()) {
            if (keys.size() == SAMPLE_CAMERAS) {
                break;
            }
            List<Long> seqs = new ArrayList<>(e.getValue());
            Collections.sort(seqs);
            keys.add(new FrameKey(e.getKey(), seqs.get((seqs.size() * 2) / 3)));
        }
        return keys;
    }

    static Frame parse(Deserializer<Frame> deserializer, String topic, byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            return deserializer.deserialize(topic, value);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Records in the snapshot. */
    public long records() {
        return records;
    }

    /** Frames in the snapshot. */
    public long frames() {
        return records - badRecords;
    }

    /** Camera ids, sorted. */
    public Set<String> cameras() {
        return sequences.keySet();
    }

    /** The ground-truth PNG of a frame, or null. */
    public byte[] groundTruth(FrameKey key) {
        return groundTruth.get(key);
    }

    /** Frames that carry ground truth. */
    public long groundTruthFrames() {
        return groundTruth.size();
    }

    /** Whole frames kept for the sample grid, by key. */
    public Map<FrameKey, Frame> samples() {
        return Collections.unmodifiableMap(samples);
    }
}
