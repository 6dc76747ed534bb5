package io.canvasflow.schemas;

import java.util.Optional;

/**
 * The scans of a JPEG, counted from its markers before it is decoded, and how many are worth
 * decoding: a frame's pixel limit bounds the memory a JPEG costs, not the work. A progressive JPEG
 * may hold any number of scans, and the JDK's JPEG reader makes a pass over the whole image for
 * every scan; a scan can be 11 bytes, so 100 kB of them keep a thread busy for minutes. Here
 * because both decoders of frame images, serve's {@code FrameDecoder} and the clients' {@code
 * ImageCodecs}, see this module and no other in common.
 *
 * <p>How many scans are decoded: measured on this project's 2-core build machine (shared, so slow)
 * with the JDK 17 reader and extra 11-byte scans, a scan costs 4.5 to 8.5 ns a pixel (1024x1024:
 * 4.8 ms, 2048x2048: 18 ms, 4096x4096: 140 ms a scan) plus about 0.1 ms however small the image
 * (64x64: 10,000 scans in 1.0 s). So the work is about scans times pixels, and the limit is a
 * budget of {@link #PIXEL_PASSES} (2^28, 1.2 to 2.3 s here), never below {@link #ALWAYS_DECODED}
 * scans, never above {@link #MAX_SCANS}:
 *
 * <ul>
 *   <li>{@link #ALWAYS_DECODED} = 64, at any size: libjpeg's standard progressive script ({@code
 *       jpeg_simple_progression}) writes 10 scans for a colour image, 6 for a grey one, 18 for
 *       CMYK, and mozjpeg's scan optimisation keeps a subset of 64 candidate scans, so no encoder's
 *       own script is refused. At serve's default 4096x4096 that is about 10 s here at most, where
 *       an honest 10-scan image takes 2 s and the 310 scans of a 104 kB frame took 23 to 39 s
 *       (unbounded before: a 1 MB record holds some 65,000 scans);
 *   <li>{@link #MAX_SCANS} = 500, however small the image: what libjpeg-turbo's own fuzzers set as
 *       TurboJPEG's scan limit; it bounds the per-scan overhead to about 50 ms.
 * </ul>
 *
 * A 640x480 image may thus have 500 scans, a 1920x1080 one 129, a 4096x4096 one 64.
 */
public final class JpegScans {

    /** Scans decoded at any image size: more than any encoder's own progressive script. */
    public static final int ALWAYS_DECODED = 64;

    /** Scans never decoded, however small the image. */
    public static final int MAX_SCANS = 500;

    /** The budget between the two: scans times pixels, 2^28 (1.2 to 2.3 s of decoding here). */
    public static final long PIXEL_PASSES = 1L << 28;

    private JpegScans() {}

    /**
     * How many scans a JPEG of this many pixels may have.
     *
     * @param pixels width times height, at least 1
     * @return between {@link #ALWAYS_DECODED} and {@link #MAX_SCANS}
     */
    public static int allowed(long pixels) {
        long byBudget = PIXEL_PASSES / Math.max(1, pixels);
        return (int) Math.max(ALWAYS_DECODED, Math.min(MAX_SCANS, byBudget));
    }

    /**
     * Counts the start-of-scan markers of a JPEG by walking its marker segments, as libjpeg reads
     * them: a segment is skipped by its length, and anything between segments (a scan's
     * entropy-coded data, where a 0xFF byte is followed by 0x00 or a restart marker, or garbage) is
     * passed over to the next marker. Every image in the bytes counts: the JDK's reader skips a
     * leading tables-only image, and an image appended after the first end-of-image marker holds
     * its scans too.
     *
     * @param bytes the encoded image
     * @return the number of scans; 0 when the bytes do not start with a JPEG's start-of-image
     */
    public static int count(byte[] bytes) {
        if (bytes.length < 2 || (bytes[0] & 0xff) != 0xFF || (bytes[1] & 0xff) != 0xD8) {
            return 0;
        }
        int scans = 0;
        int i = 2;
        while (true) {
            while (i < bytes.length && (bytes[i] & 0xff) != 0xFF) {
                i++;
            }
            // Any number of 0xFF fill bytes may precede a marker.
            while (i < bytes.length && (bytes[i] & 0xff) == 0xFF) {
                i++;
            }
            if (i >= bytes.length) {
                return scans;
            }
            int marker = bytes[i++] & 0xff;
            if (!hasLength(marker)) {
                continue;
            }
            if (marker == 0xDA) {
                scans++;
            }
            if (i + 1 >= bytes.length) {
                return scans;
            }
            int length = (bytes[i] & 0xff) << 8 | (bytes[i + 1] & 0xff);
            // libjpeg skips a length under 2 as 2: the length field itself.
            i += Math.max(2, length);
        }
    }

    /**
     * Says why a JPEG is not decoded when it has more scans than {@link #allowed} at its size.
     *
     * @param bytes the encoded image
     * @param width its width, from its header
     * @param height its height, from its header
     * @return empty when it may be decoded (also for bytes that are not a JPEG); else what follows
     *     "it has", for example {@code 310 scans, more than the 64 decoded at 4096x4096 (each scan
     *     is a pass over the whole image)}
     */
    public static Optional<String> excess(byte[] bytes, long width, long height) {
        int scans = count(bytes);
        int allowed = allowed(width * height);
        if (scans <= allowed) {
            return Optional.empty();
        }
        return Optional.of(
                String.format(
                        "%d scans, more than the %d decoded at %dx%d (each scan is a pass over the"
                                + " whole image)",
                        scans, allowed, width, height));
    }

    /**
     * Whether a marker is followed by a length: all but a stuffed 0x00 (entropy-coded data), TEM,
     * the restart markers RST0 to RST7, and the start and end of an image.
     */
    private static boolean hasLength(int marker) {
        return marker != 0x00 && marker != 0x01 && (marker < 0xD0 || marker > 0xD9);
    }
}
