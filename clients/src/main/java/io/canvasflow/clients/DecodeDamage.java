package io.canvasflow.clients;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frames of one video source that FFmpeg reported errors in while decoding them: damaged or
 * truncated footage, or packets a stream lost. FFmpeg conceals what it can and the frames go on as
 * decoded; this says so in a WARN the first time, then at most once a minute while the damage goes
 * on (a live stream), and once more when the source closes, so that damage is never silent and
 * never a line a message. FFmpeg's own messages are at DEBUG under the logger {@code ffmpeg}.
 */
final class DecodeDamage {

    private static final Logger LOG = LoggerFactory.getLogger(VideoFileSource.class);
    private static final long REPORT_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    /**
     * Frames short of the header's count that are worth a WARN: a header's count can be one off (a
     * count derived from the duration), so one frame is not said.
     */
    private static final long MISSING_TO_SAY = 2;

    private final String location;
    private long messages;
    private long messagesBefore;
    private String lastWords = "";
    private long damagedFrames;
    private long firstDamaged = -1;
    private long lastDamaged = -1;
    private long reportedFrames;
    private long reportedAtNanos;

    DecodeDamage(String location) {
        this.location = location;
    }

    /** Hears one FFmpeg message given while this source was reading. */
    void heard(String words) {
        messages++;
        lastWords = words;
    }

    /** FFmpeg's last message for this source, or an empty string. */
    String lastWords() {
        return lastWords;
    }

    /**
     * Marks the start of reading the frame at {@code index}: messages heard from now on count
     * against it.
     */
    void beforeRead() {
        messagesBefore = messages;
    }

    /**
     * Counts the frame read since {@link #beforeRead} as damaged if FFmpeg reported an error
     * meanwhile, and says so when it is time to.
     *
     * @param index the frame's index (the next one's when the read found the end)
     */
    void afterRead(long index) {
        if (messages == messagesBefore) {
            return;
        }
        damagedFrames++;
        lastDamaged = index;
        long now = System.nanoTime();
        if (firstDamaged < 0) {
            firstDamaged = index;
            reportedFrames = damagedFrames;
            reportedAtNanos = now;
            LOG.warn(
                    "{}: FFmpeg reports errors decoding frame {} ({}); it conceals what it can and"
                            + " the frames go on as decoded (its messages are at DEBUG under the"
                            + " logger ffmpeg)",
                    location,
                    index,
                    lastWords);
        } else if (now - reportedAtNanos >= REPORT_EVERY_NANOS) {
            LOG.warn(
                    "{}: {} more frames with decoding errors in the last {} s, {} in all (FFmpeg:"
                            + " {})",
                    location,
                    damagedFrames - reportedFrames,
                    String.format(Locale.ROOT, "%.0f", (now - reportedAtNanos) / 1e9),
                    damagedFrames,
                    lastWords);
            reportedFrames = damagedFrames;
            reportedAtNanos = now;
        }
    }

    /**
     * Says what was not said yet, when the source closes, and whether frames went missing.
     *
     * @param framesRead how many frames the source gave
     * @param announced how many frames the container's header announces, or a negative number where
     *     it does not say or the source was closed before its end
     */
    void summarise(long framesRead, long announced) {
        if (damagedFrames > reportedFrames) {
            LOG.warn(
                    "{}: FFmpeg reported errors decoding {} of the {} frames read, from frame {} to"
                            + " {}",
                    location,
                    damagedFrames,
                    framesRead,
                    firstDamaged,
                    lastDamaged);
            reportedFrames = damagedFrames;
        }
        if (announced - framesRead >= MISSING_TO_SAY) {
            // FFmpeg drops a frame it cannot decode at all without a word at AV_LOG_ERROR: a
            // damaged vtest.avi gave 780 of its 795 frames, errors said in 3
            LOG.warn(
                    "{}: read {} of the {} frames its header announces; the rest were missing or"
                            + " could not be decoded",
                    location,
                    framesRead,
                    announced);
        }
    }

    /** How many frames FFmpeg reported errors in. */
    long damagedFrames() {
        return damagedFrames;
    }
}
