package io.canvasflow.topology;

import io.canvasflow.schemas.StoreNames;
import io.canvasflow.schemas.avro.DeadLetterReason;
import io.canvasflow.schemas.avro.Frame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * and its dead letter names where it was read from and carries the frame without those entries.
 *
 * <p>Headers are kept in Base64, a third larger: more than {@link #HEADERS_MAX_BYTES} of them are
 * refused on arrival, so that a pending frame stays within what its changelog takes (a megabyte
 * more than the largest image; a record it refused would stop the partition for good).
 */
final class ParkedFrame {

    /** The metadata entry that keeps a parked frame's source partition. */
    static final String PARTITION = "canvasflow.source.partition";

    /** The metadata entry that keeps a parked frame's source offset. */
    static final String OFFSET = "canvasflow.source.offset";

    /** The metadata entry that keeps a parked frame's record timestamp. */
    static final String TIMESTAMP = "canvasflow.source.timestamp";

    /** The metadata entry that keeps a parked frame's record headers. */
    static final String HEADERS = "canvasflow.source.headers";

    /** The most header bytes ({@link MaskRoom#headerBytes}) a parked frame keeps. */
    static final int HEADERS_MAX_BYTES = 256 * 1024;

    private static final List<String> ENTRIES = List.of(PARTITION, OFFSET, TIMESTAMP, HEADERS);

    /**
     * A parked frame's record as it arrived, and where it was read from.
     *
     * @param record its key, the frame without the parked entries, its timestamp and headers
     * @param partition the partition it was read from, or -1 when unknown
     * @param offset the offset it was read from, or -1 when unknown
     */
    record Restored(Record<String, Frame> record, int partition, long offset) {}

    private ParkedFrame() {}

    /**
     * Checks that a record's headers fit a parked frame.
     *
     * @param headers the record's headers
     * @throws InvalidFrameException ({@code PROCESSING_ERROR}) with a sentence when they do not
     */
    static void checkHeaders(Headers headers) {
        long bytes = MaskRoom.headerBytes(headers);
        if (bytes > HEADERS_MAX_BYTES) {
            throw new InvalidFrameException(
                    DeadLetterReason.PROCESSING_ERROR,
                    "its record's headers take "
                            + bytes
                            + " bytes, more than the "
                            + HEADERS_MAX_BYTES
                            + " latest-only mode keeps with a pending frame; send smaller headers,"
                            + " or use processing.mode=every-frame");
        }
    }

    /**
     * The frame of a record, with what else the record carried in its metadata.
     *
     * @param record the record, its headers checked ({@link #checkHeaders})
     * @param metadata the record's position; in a punctuation, which has none, it stays unknown
     * @return the frame to park
     */
    static Frame park(Record<String, Frame> record, Optional<RecordMetadata> metadata) {
        Map<String, String> entries = new LinkedHashMap<>(record.value().getMetadata());
        // reserved names: a producer's own would be taken for ours at the drain
        ENTRIES.forEach(entries::remove);
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
     * A parked frame's record as it arrived. A frame parked by an earlier CanvasFlow, without a
     * timestamp or headers, gets its capture time and none.
     *
     * @param key its record key, the camera id
     * @param parked the frame as {@link #park} made it
     * @return its record and where it was read from
     */
    static Restored restore(String key, Frame parked) {
        Map<String, String> entries = new LinkedHashMap<>(parked.getMetadata());
        String timestamp = entries.get(TIMESTAMP);
        String headers = entries.get(HEADERS);
        String partition = entries.get(PARTITION);
        String offset = entries.get(OFFSET);
        ENTRIES.forEach(entries::remove);
        Frame frame = Frame.newBuilder(parked).setMetadata(entries).build();
        Record<String, Frame> record =
                new Record<>(
                        key,
                        frame,
                        timestamp == null
                                ? parked.getCaptureTimestamp().toEpochMilli()
                                : Long.parseLong(timestamp),
                        headers == null ? new RecordHeaders() : decode(headers));
        return new Restored(
                record,
                partition == null ? -1 : Integer.parseInt(partition),
                offset == null ? -1 : Long.parseLong(offset));
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
