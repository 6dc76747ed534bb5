package io.canvasflow.topology;

import io.canvasflow.schemas.AvroSerdes;
import io.canvasflow.schemas.StoreNames;
import io.canvasflow.schemas.avro.Frame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * How latest-only mode keeps a frame outside of its record, in {@link
 * StoreNames#PENDING_FRAMES_STORE}: the store keeps a Frame, so what else its record carried (the
 * partition and offset it was read from, its timestamp and its headers) goes into the frame's
 * metadata under {@code canvasflow.source.*}. {@link #restore} gives back the record as it arrived,
 * so that the frame's mask event carries its record's headers and timestamp as in every-frame mode,
 * and its dead letter names where it was read from and carries the frame as it was sent. A
 * producer's own {@code canvasflow.source.*} entries are parked under {@code
 * canvasflow.source.own.*} and given back under their own names.
 *
 * <p>The whole parked frame is bounded ({@link #tooLarge}): its image, its metadata and its headers
 * (in Base64, a third larger) must fit one record of the pending-frames changelog, which a frame
 * the frames topic took can outgrow; a record the changelog refused would stop the partition for
 * good.
 */
final class ParkedFrame {

    /** The prefix of the metadata entries a parked frame keeps its record in. */
    static final String PREFIX = "canvasflow.source.";

    /** The metadata entry that keeps a parked frame's source partition. */
    static final String PARTITION = PREFIX + "partition";

    /** The metadata entry that keeps a parked frame's source offset. */
    static final String OFFSET = PREFIX + "offset";

    /** The metadata entry that keeps a parked frame's record timestamp. */
    static final String TIMESTAMP = PREFIX + "timestamp";

    /** The metadata entry that keeps a parked frame's record headers. */
    static final String HEADERS = PREFIX + "headers";

    /** Where a producer's own {@code canvasflow.source.*} entries are parked, less the prefix. */
    static final String OWN = PREFIX + "own.";

    /**
     * A parked frame's record as it arrived, and where it was read from.
     *
     * @param record its key, the frame as it was sent, its timestamp and headers
     * @param partition the partition it was read from, or -1 when unknown
     * @param offset the offset it was read from, or -1 when unknown
     */
    record Restored(Record<String, Frame> record, int partition, long offset) {}

    private ParkedFrame() {}

    /**
     * The most bytes a pending frame's changelog record may take: what serve makes the changelog
     * take ({@link ChangelogRoom}), or what its producer sends, when that is less.
     *
     * @param config the settings
     * @return the limit in bytes
     */
    static int maxRecordBytes(CanvasFlowConfig config) {
        return Math.min(
                CanvasFlowTopology.maxMessageBytes(config),
                CanvasFlowTopology.producerMaxRequestSize(config));
    }

    /**
     * Says why a parked frame would not fit its changelog record.
     *
     * @param parked the frame as {@link #park} made it
     * @param maxRecordBytes what the changelog takes ({@link #maxRecordBytes})
     * @return the sentence of its dead letter, or null when it fits
     */
    static String tooLarge(Frame parked, int maxRecordBytes) {
        long bytes =
                (long) AvroSerdes.frame().serialize(parked).length
                        + parked.getCameraId().getBytes(StandardCharsets.UTF_8).length
                        + MaskRoom.FRAMING_BYTES;
        if (bytes <= maxRecordBytes) {
            return null;
        }
        return "kept as a pending frame, with its metadata and its record's headers, it would take "
                + bytes
                + " bytes, more than the "
                + maxRecordBytes
                + " the pending-frames changelog takes; send less metadata or smaller headers,"
                + " or use processing.mode=every-frame";
    }

    /**
     * The frame of a record, with what else the record carried in its metadata.
     *
     * @param record the record
     * @param metadata the record's position; in a punctuation, which has none, it stays unknown
     * @return the frame to park
     */
    static Frame park(Record<String, Frame> record, Optional<RecordMetadata> metadata) {
        Map<String, String> entries = new LinkedHashMap<>();
        // a producer's own names would be taken for ours at the drain: parked apart
        record.value()
                .getMetadata()
                .forEach(
                        (name, value) ->
                                entries.put(
                                        name.startsWith(PREFIX)
                                                ? OWN + name.substring(PREFIX.length())
                                                : name,
                                        value));
        metadata.filter(m -> m.topic() != null && m.offset() >= 0)
                .ifPresent(
                        m -> {
                            entries.put(PARTITION, Integer.toString(m.partition()));
                            entries.put(OFFSET, Long.toString(m.offset()));
                        });
        entries.put(TIMESTAMP, Long.toString(record.timestamp()));
        if (record.headers().iterator().hasNext()) {
            entries.put(HEADERS, encode(record.headers()));
        }
        return Frame.newBuilder(record.value()).setMetadata(entries).build();
    }

    /**
     * A parked frame's record as it arrived; it never fails on an entry. An entry that does not
     * parse counts as absent and stays in the frame's metadata: a CanvasFlow before this one parked
     * a producer's own {@code canvasflow.source.*} entries as they were, and kept no timestamp or
     * headers. A frame without them gets its capture time and no headers, one without a position an
     * unknown one.
     *
     * @param key its record key, the camera id
     * @param parked the frame as {@link #park} made it
     * @return its record and where it was read from
     */
    static Restored restore(String key, Frame parked) {
        Map<String, String> stored = parked.getMetadata();
        Set<String> taken = new HashSet<>();
        Long timestamp = take(stored, TIMESTAMP, Long::valueOf, taken);
        Headers headers = take(stored, HEADERS, ParkedFrame::decode, taken);
        Integer partition = take(stored, PARTITION, Integer::valueOf, taken);
        Long offset = take(stored, OFFSET, Long::valueOf, taken);
        Map<String, String> entries = new LinkedHashMap<>();
        stored.forEach(
                (name, value) -> {
                    if (!taken.contains(name)) {
                        entries.put(
                                name.startsWith(OWN) ? PREFIX + name.substring(OWN.length()) : name,
                                value);
                    }
                });
        Frame frame = Frame.newBuilder(parked).setMetadata(entries).build();
        Record<String, Frame> record =
                new Record<>(
                        key,
                        frame,
                        timestamp == null ? parked.getCaptureTimestamp().toEpochMilli() : timestamp,
                        headers == null ? new RecordHeaders() : headers);
        return new Restored(
                record, partition == null ? -1 : partition, offset == null ? -1 : offset);
    }

    /**
     * One of our entries, parsed; noted as taken when it parses.
     *
     * @return its value, or null when it is absent or does not parse
     */
    private static <T> T take(
            Map<String, String> stored, String name, Function<String, T> parse, Set<String> taken) {
        String text = stored.get(name);
        if (text == null) {
            return null;
        }
        try {
            T value = parse.apply(text);
            taken.add(name);
            return value;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Headers as text: {@code key:value} entries, both in Base64 (which has neither ':' nor ','),
     * separated by ','; a null value leaves out the ':' and what follows.
     */
    private static String encode(Headers headers) {
        Base64.Encoder base64 = Base64.getEncoder();
        List<String> out = new ArrayList<>();
        for (Header h : headers) {
            String key = base64.encodeToString(h.key().getBytes(StandardCharsets.UTF_8));
            out.add(h.value() == null ? key : key + ":" + base64.encodeToString(h.value()));
        }
        return String.join(",", out);
    }

    private static Headers decode(String text) {
        Base64.Decoder base64 = Base64.getDecoder();
        RecordHeaders headers = new RecordHeaders();
        for (String entry : text.split(",", -1)) {
            int colon = entry.indexOf(':');
            String key = colon < 0 ? entry : entry.substring(0, colon);
            headers.add(
                    new String(base64.decode(key), StandardCharsets.UTF_8),
                    colon < 0 ? null : base64.decode(entry.substring(colon + 1)));
        }
        return headers;
    }
}
