package io.canvasflow.clients;

import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.MaskEvent;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes overlays of mask events into a folder: per camera, a PNG of every N-th overlay in {@code
 * DIR/CAMERA/CAMERA-CAPTUREMILLIS-SEQUENCE.png} and all overlays as {@code DIR/CAMERA.mp4}. The
 * capture time (epoch milliseconds, 13 digits) keeps a camera's runs apart, since a restarted
 * publisher numbers its frames from 0 again, and sorts the PNGs by time. CAMERA is the camera id
 * made safe as a file name, with a short hash of the id added where that changed it or another
 * camera has the name, compared case-insensitively, so that no two cameras share a file. A video
 * plays at a fixed rate or at its camera's own ({@link SourceRate}: what the publisher recorded,
 * else the capture times; the first overlays wait until the rate is known). A camera without an
 * overlay for {@link #FINISH_IDLE_AFTER} has its MP4 finished; when it sends again, its overlays go
 * on in {@code DIR/CAMERA/CAMERA-CAPTUREMILLIS-SEQUENCE.mp4} ({@link OverlayVideos}), so a writer
 * that runs for days holds encoders only for the cameras that send. A mask that cannot be drawn (a
 * corrupt class map, an undecodable frame) is logged and counted, never fatal. One thread writes.
 */
public final class OverlayWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OverlayWriter.class);

    /**
     * How long a camera may go without an overlay before its MP4 is finished: five minutes, the
     * time after which serve forgets a camera's canvas (its next mask is a {@code FIRST_FRAME}
     * reset) and the viewer its tile, so a new file starts where the camera starts afresh. An open
     * encoder holds a file and native memory (about 7 MB resident at 640x480 with OpenH264).
     */
    public static final Duration FINISH_IDLE_AFTER = Duration.ofMinutes(5);

    /** PNGs whose paths are kept as samples for a report; the others are only in the folder. */
    public static final int PNG_SAMPLES = 64;

    /** Longest file name made from a camera id, before a hash; ids may be 256 characters. */
    private static final int MAX_NAME_CHARS = 100;

    private final Path directory;
    private final int pngEvery;
    private final double videoFps;
    private final OverlayRenderer renderer;
    private final OverlayVideos videos;
    private final Map<String, Long> overlaysByCamera = new HashMap<>();
    private final List<Path> pngSamples = new ArrayList<>();
    private final Map<String, String> fileNames = new HashMap<>();
    private final Set<String> takenNames = new HashSet<>();

    /**
     * Creates a writer whose videos play at each camera's own rate; files appear as overlays are
     * written.
     *
     * @param directory the output folder, created if missing
     * @param pngEvery write a PNG of every N-th overlay per camera (the first included); 0 for none
     * @param renderer draws the overlays
     */
    public OverlayWriter(Path directory, int pngEvery, OverlayRenderer renderer) {
        this(directory, pngEvery, 1, true, renderer, FINISH_IDLE_AFTER, System::nanoTime);
    }

    /**
     * Creates a writer whose videos play at a fixed rate; files appear as overlays are written.
     *
     * @param directory the output folder, created if missing
     * @param pngEvery write a PNG of every N-th overlay per camera (the first included); 0 for none
     * @param videoFps frame rate of the MP4s; 0 for no video
     * @param renderer draws the overlays
     */
    public OverlayWriter(Path directory, int pngEvery, double videoFps, OverlayRenderer renderer) {
        this(directory, pngEvery, videoFps, false, renderer, FINISH_IDLE_AFTER, System::nanoTime);
    }

    /** With the time a camera may be idle and a nanosecond clock: a test's seam. */
    OverlayWriter(
            Path directory,
            int pngEvery,
            double videoFps,
            boolean sourceRate,
            OverlayRenderer renderer,
            Duration idle,
            LongSupplier nanos) {
        if (pngEvery < 0 || videoFps < 0 || !Double.isFinite(videoFps)) {
            throw new IllegalArgumentException(
                    "expected a PNG interval and video rate >= 0 but found "
                            + pngEvery
                            + " and "
                            + videoFps);
        }
        if (idle.isNegative() || idle.isZero()) {
            throw new IllegalArgumentException(
                    "expected a positive time before an idle camera's video is finished but found "
                            + idle);
        }
        this.directory = Objects.requireNonNull(directory, "directory");
        this.pngEvery = pngEvery;
        this.videoFps = videoFps;
        this.renderer = Objects.requireNonNull(renderer, "renderer");
        this.videos = new OverlayVideos(directory, videoFps, sourceRate, idle, nanos);
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create the output folder " + directory, e);
        }
    }

    /**
     * Draws a mask over its frame and writes it; a skipped mask is ignored.
     *
     * @param mask the mask event
     * @param frameOrNull its frame, or null to draw the class colours alone
     * @return whether an overlay was drawn
     */
    public boolean write(MaskEvent mask, Frame frameOrNull) {
        if (mask.getSkipped() || !mask.getClassMap().hasRemaining()) {
            return false;
        }
        String camera = mask.getCameraId();
        BufferedImage overlay;
        try {
            overlay = renderer.render(frameOrNull, mask);
        } catch (RuntimeException e) {
            LOG.warn(
                    "could not draw the overlay of {}/{}: {}",
                    camera,
                    mask.getSequence(),
                    e.getMessage());
            return false;
        }
        long count = overlaysByCamera.merge(camera, 1L, Long::sum);
        String name = fileName(camera);
        if (pngEvery > 0 && (count - 1) % pngEvery == 0) {
            Path png =
                    directory
                            .resolve(name)
                            .resolve(
                                    String.format(
                                            "%s-%013d-%08d.png",
                                            name,
                                            mask.getCaptureTimestamp().toEpochMilli(),
                                            mask.getSequence()));
            try {
                Files.createDirectories(png.getParent());
                Files.write(png, ImageCodecs.png(overlay));
                if (pngSamples.size() < PNG_SAMPLES) {
                    pngSamples.add(png);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not write the overlay " + png, e);
            }
        }
        if (videoFps > 0) {
            videos.write(camera, name, mask, frameOrNull, overlay);
        }
        return true;
    }

    /**
     * Finishes the MP4s of cameras without an overlay for {@link #FINISH_IDLE_AFTER}; {@link
     * #write} does too, and a follower calls this while no overlay comes.
     */
    public void finishIdle() {
        videos.finishIdle();
    }

    /**
     * Returns the first PNGs written, up to {@value #PNG_SAMPLES}: samples for a report. A writer
     * that runs for days keeps no list of every PNG; they are all in the folder.
     *
     * @return their paths, in the order written
     */
    public List<Path> pngSamples() {
        return Collections.unmodifiableList(pngSamples);
    }

    /**
     * Returns the videos per camera; a video is playable once finished: when its camera was idle
     * for {@link #FINISH_IDLE_AFTER}, or when this writer is closed.
     *
     * @return camera id to its MP4s, in order of first overlay
     */
    public Map<String, CameraVideos> videos() {
        return videos.files();
    }

    /** How many cameras have an open video (or overlays waiting for their video's rate). */
    int openVideos() {
        return videos.open();
    }

    /** Finishes every video, starting those still waiting to know their rate at the best guess. */
    @Override
    public void close() {
        videos.close();
    }

    /**
     * The camera's file name (its PNG folder, and its MP4 with {@code .mp4}), fixed at its first
     * overlay: the id made safe, with a short hash of the id added when that changed it, when the
     * id has capitals or ends in {@code .mp4}, or when the name is another camera's, compared
     * case-insensitively. Ids that are the same once made safe ({@code gate 1}, {@code gate_1}) or
     * differ only in case (one file on a case-insensitive file system) would write into each
     * other's files, in one run or in two into the same folder.
     */
    private String fileName(String cameraId) {
        return fileNames.computeIfAbsent(cameraId, this::uniqueName);
    }

    private String uniqueName(String cameraId) {
        String safe = cameraId.replaceAll("[^A-Za-z0-9._-]", "_");
        if (safe.isEmpty() || safe.startsWith(".")) {
            safe = "_" + safe;
        }
        safe = safe.substring(0, Math.min(safe.length(), MAX_NAME_CHARS));
        // From the id alone, so that a second run into the same folder names each camera as the
        // first did: plain only where the id is safe, lower case and not a video's name.
        boolean plain =
                safe.equals(cameraId)
                        && cameraId.equals(cameraId.toLowerCase(Locale.ROOT))
                        && !cameraId.endsWith(".mp4");
        String name = plain && free(safe) ? safe : safe + "-" + hash(cameraId);
        for (int n = 2; !free(name); n++) {
            name = safe + "-" + hash(cameraId) + "-" + n;
        }
        takenNames.add(name.toLowerCase(Locale.ROOT));
        takenNames.add((name + ".mp4").toLowerCase(Locale.ROOT));
        return name;
    }

    /** Whether neither the name nor its video is another camera's, whatever the case. */
    private boolean free(String name) {
        return !takenNames.contains(name.toLowerCase(Locale.ROOT))
                && !takenNames.contains((name + ".mp4").toLowerCase(Locale.ROOT));
    }

    /** The first 8 hex digits of the id's SHA-256. */
    private static String hash(String cameraId) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(cameraId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
