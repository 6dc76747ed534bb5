package io.canvasflow.topology;

import static io.canvasflow.topology.CanvasFlowConfig.MASK_MAX_BYTES;

import io.canvasflow.schemas.avro.MaskEvent;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Keeps mask events within what the masks topic takes. A mask event larger than the topic's {@code
 * max.message.bytes} is refused by the broker, which fails the stream thread, and every thread that
 * replaces it fails on the same frame: its partition would never move again. A mask is rarely large
 * (a class map compresses well), but with {@code mask.size=frame}, large frames and a mask that
 * compresses badly (an untrained model's) its PNG nears a byte a pixel.
 *
 * <p>So at start, unless {@value CanvasFlowConfig#MASK_MAX_BYTES} is set, it becomes what the masks
 * topic holds; the processor dead-letters a frame whose mask event would be larger ({@link
 * #tooLarge}), with a reason that says what to change. A value set above what the topic holds is
 * refused.
 */
final class MaskRoom {

    /** Kafka's framing of one record in a batch, and the Avro single-object header. */
    static final int FRAMING_BYTES = 1024;

    /** Less room than this for a mask event is refused: a small model's event takes hundreds. */
    static final int MIN_ROOM_BYTES = 2048;

    private MaskRoom() {}

    /**
     * Fits the settings to the masks topic's limit.
     *
     * @param config the settings; the masks topic exists
     * @param limits the limits, as read at start
     * @return the settings, with {@value CanvasFlowConfig#MASK_MAX_BYTES} set to what the topic
     *     holds when it was not set
     * @throws IllegalStateException with one sentence when it is set above what the topic holds, or
     *     the topic holds too little for any mask event
     */
    static CanvasFlowConfig fit(CanvasFlowConfig config, TopicLimits limits) {
        Integer limit =
                limits.writableOrSay(
                        config.masksTopic(), "a mask event", MASK_MAX_BYTES, framingBytes(config));
        return limit == null ? config : fit(config, limit);
    }

    /**
     * Fits the settings to a limit already read.
     *
     * @param config the settings
     * @param limit the largest record serve can write to the masks topic
     * @return the settings, fitted
     */
    static CanvasFlowConfig fit(CanvasFlowConfig config, int limit) {
        int room = limit - framingBytes(config);
        if (room < MIN_ROOM_BYTES) {
            throw new IllegalStateException(
                    "the masks topic "
                            + config.masksTopic()
                            + " takes records of at most "
                            + limit
                            + " bytes (max.message.bytes, or the producer's max.request.size),"
                            + " too few for mask events; raise it to at least "
                            + (MIN_ROOM_BYTES + framingBytes(config)));
        }
        if (Integer.parseInt(config.settings().get(MASK_MAX_BYTES).trim()) == 0) {
            return config.with(MASK_MAX_BYTES, Integer.toString(room));
        }
        if (config.maskMaxBytes() > room) {
            throw new IllegalStateException(
                    MASK_MAX_BYTES
                            + " is "
                            + config.maskMaxBytes()
                            + " but the masks topic "
                            + config.masksTopic()
                            + " takes records of at most "
                            + limit
                            + " bytes (max.message.bytes, or the producer's max.request.size),"
                            + " room for mask events of "
                            + room
                            + "; set it to at most "
                            + room
                            + ", or raise the topic's max.message.bytes");
        }
        return config;
    }

    /** The framing, with the record's key, the camera id, at up to 4 bytes a character. */
    static int framingBytes(CanvasFlowConfig config) {
        return (int) Math.min(Integer.MAX_VALUE, FRAMING_BYTES + 4L * config.cameraIdMaxLength());
    }

    /**
     * Why a mask event is too large for the masks topic, if it is.
     *
     * @param event the event
     * @param headers the headers its record carries (those of its frame's record)
     * @param config the settings, fitted at start
     * @return the sentence for its frame's dead letter, or null when it fits
     */
    static String tooLarge(MaskEvent event, Headers headers, CanvasFlowConfig config) {
        long size = sizeBound(event) + headerBytes(headers);
        if (size <= config.maskMaxBytes()) {
            return null;
        }
        return String.format(
                "its mask event of up to %d bytes (a %dx%d class map of %d bytes) is more than"
                        + " the masks topic %s takes (%s=%d); set mask.size smaller, or raise the"
                        + " topic's max.message.bytes",
                size,
                event.getMaskWidth(),
                event.getMaskHeight(),
                event.getClassMap().remaining(),
                config.masksTopic(),
                MASK_MAX_BYTES,
                config.maskMaxBytes());
    }

    /**
     * An upper bound of the event's Avro encoding: its bytes, strings at 3 bytes a character, and
     * at most 10 bytes for each length, number and flag.
     */
    static long sizeBound(MaskEvent event) {
        long strings =
                event.getCameraId().length()
                        + event.getModelId().length()
                        + event.getModelVersion().length();
        for (CharSequence name : event.getClassNames()) {
            strings += name.length();
        }
        return event.getClassMap().remaining()
                + 3 * strings
                + 4L * event.getClassFractions().size()
                + 10L * (event.getClassNames().size() + 20);
    }

    /** The headers' size in a record: keys at 3 bytes a character, values, and their lengths. */
    static long headerBytes(Headers headers) {
        long bytes = 0;
        for (Header h : headers) {
            bytes += 3L * h.key().length() + (h.value() == null ? 0 : h.value().length) + 10;
        }
        return bytes;
    }
}
