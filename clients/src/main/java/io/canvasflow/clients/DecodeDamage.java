package io.canvasflow.clients;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frames of one video source that FFmpeg reported errors in while decoding them: damaged
 * footage, or packets a stream lost. FFmpeg conceals what it can and the frames go on as decoded;
 * this says so in a WARN at the first damaged frame, at most once a minute while there is more to
 * say (a live stream), and in a count when the source closes, so that damage is never silent and
 * never a line a message. FFmpeg's own messages for the source are at DEBUG under the logger {@code
 * ffmpeg}.
 *
 * <p>Not counted: what FFmpeg says on the read that finds the end (a file cut short, a connection
 * reset), which is said once at close, and, for a live stream, what it says before the first
 * keyframe (a decoder that joins a stream between keyframes complains until the next one).
 */
final class DecodeDamage {

    private static final Logger LOG = LoggerFactory.getLogger(VideoFileSource.class);
    private static final long REPORT_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    /**
     * Frames short of the header's count that are worth a WARN: FFmpeg drops a frame it cannot
     * decode at all without a word at AV_LOG_ERROR (a damaged vtest.avi gave 780 of its 795 frames,
     * errors said in 3), but one frame short may be an encoder's rounding.
     */
    private static final long MISSING_TO_SAY = 2;

    private final String location;
    private boolean spoke;
    private String lastWords = "";
    private String endWords = "";
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
        spoke = true;
        lastWords = words;
    }

    /** FFmpeg's last message for this source, or an empty string. */
    String lastWords() {
        return lastWords;
    }

    /** What FFmpeg said on the read that found the end, or an empty string. */
    String endWords() {
        return endWords;
    }

    /** Marks the start of a read: messages heard from now on count against what it reads. */
    void beforeRead() {
        spoke = false;
    }

    /**
     * Counts the frame just read as damaged if FFmpeg reported an error while reading it, and says
     * what is due.
     *
     * @param index the frame's index
     * @param countable false while a live stream has given no keyframe, whose messages are not
     *     damage
     * @param atEnd true for the read that found the end: its words are kept for the close
     */
    void afterRead(long index, boolean countable, boolean atEnd) {
        long now = System.nanoTime();
        if (spoke && atEnd) {
            endWords = lastWords;
        } else if (spoke && countable) {
            damagedFrames++;
            lastDamaged = index;
            if (firstDamaged < 0) {
                firstDamaged = index;
                reportedFrames = damagedFrames;
                reportedAtNanos = now;
                LOG.warn(
                        "{}: FFmpeg reports errors decoding frame {} ({}); it conceals what it can"
                                + " and the frames go on as decoded (its messages are at DEBUG"
                                + " under the logger ffmpeg)",
                        location,
                        index,
                        lastWords);
                return;
            }
        }
        if (damagedFrames > reportedFrames && now - reportedAtNanos >= REPORT_EVERY_NANOS) {
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
     * Says, when the source closes, how many frames had errors, what FFmpeg said at the end, and
     * whether frames went missing.
     *
     * @param framesRead how many frames the source gave
     * @param lastIndex the index of the last frame it gave
     * @param listed how many frames the video stream's header lists, or 0 where it does not say or
     *     the source was not read to its end
     */
    void summarise(long framesRead, long lastIndex, long listed) {
        if (damagedFrames > 0) {
            LOG.warn(
                    "{}: FFmpeg reported errors decoding {} of the {} frames read, from frame {} to"
                            + " {}",
                    location,
                    damagedFrames,
                    framesRead,
                    firstDamaged,
                    lastDamaged);
        }
        if (!endWords.isEmpty()) {
            LOG.warn("{}: FFmpeg at the end, after frame {}: {}", location, lastIndex, endWords);
        }
        if (listed > 0 && listed - framesRead >= MISSING_TO_SAY) {
            LOG.warn(
                    "{}: FFmpeg gave {} of the {} frames its header lists; the rest were missing"
                            + " or could not be decoded",
                    location,
                    framesRead,
                    listed);
        }
    }

    /** How many frames FFmpeg reported errors in. */
    long damagedFrames() {
        return damagedFrames;
    }
}
