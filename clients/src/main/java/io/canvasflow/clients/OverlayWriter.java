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
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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
 * else the capture times; the first overlays wait until the rate is known). A mask that cannot be
 * drawn (a corrupt class map, an undecodable frame) is logged and counted, never fatal. One thread
 * writes.
 */
public final class OverlayWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OverlayWriter.class);

    /** Longest file name made from a camera id, before a hash; ids may be 256 characters. */
    private static final int MAX_NAME_CHARS = 100;

    private final Path directory;
    private final int pngEvery;
    private final double videoFps;
    private final boolean sourceRate;
    private final OverlayRenderer renderer;
    private final Map<String, Long> overlaysByCamera = new HashMap<>();
    private final Map<String, VideoWriter> videos = new LinkedHashMap<>();
    private final Map<String, PendingVideo> pending = new HashMap<>();
    private final Map<String, Path> videoFiles = new LinkedHashMap<>();
    private final List<Path> pngs = new ArrayList<>();
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
        this(directory, pngEvery, 1, true, renderer);
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
        this(directory, pngEvery, videoFps, false, renderer);
    }

    private OverlayWriter(
            Path directory,
            int pngEvery,
            double videoFps,
            boolean sourceRate,
            OverlayRenderer renderer) {
        if (pngEvery < 0 || videoFps < 0 || !Double.isFinite(videoFps)) {
            throw new IllegalArgumentException(
                    "expected a PNG interval and video rate >= 0 but found "
                            + pngEvery
                            + " and "
                            + videoFps);
        }
        this.directory = Objects.requireNonNull(directory, "directory");
        this.pngEvery = pngEvery;
        this.videoFps = videoFps;
        this.sourceRate = sourceRate;
        this.renderer = Objects.requireNonNull(renderer, "renderer");
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
                pngs.add(png);
            } catch (IOException e) {
                throw new UncheckedIOException("could not write the overlay " + png, e);
            }
        }
        if (videoFps > 0) {
            video(camera, name, mask, frameOrNull, overlay);
        }
        return true;
    }

    /** Appends to the camera's video, once its rate is known (at once for a fixed rate). */
    private void video(
            String camera, String name, MaskEvent mask, Frame frameOrNull, BufferedImage overlay) {
        VideoWriter open = videos.get(camera);
        if (open != null) {
            open.write(overlay);
            return;
        }
        videoFiles.putIfAbsent(camera, directory.resolve(name + ".mp4"));
        PendingVideo waiting = pending.computeIfAbsent(camera, c -> new PendingVideo());
        waiting.rate.add(mask, frameOrNull);
        waiting.overlays.add(overlay);
        if (sourceRate) {
            waiting.rate.known().ifPresent(fps -> start(camera, fps));
        } else {
            start(camera, videoFps);
        }
    }

    /** Opens the camera's video at a rate and writes the overlays that waited for it. */
    private void start(String camera, double fps) {
        PendingVideo waiting = pending.remove(camera);
        BufferedImage first = waiting.overlays.get(0);
        VideoWriter video =
                VideoWriter.open(videoFiles.get(camera), first.getWidth(), first.getHeight(), fps);
        videos.put(camera, video);
        waiting.overlays.forEach(video::write);
    }

    /**
     * Returns the PNGs written so far.
     *
     * @return their paths, in the order written
     */
    public List<Path> pngs() {
        return Collections.unmodifiableList(pngs);
    }

    /**
     * Returns the videos, one per camera; they are playable once this writer is closed.
     *
     * @return camera id to MP4 path
     */
    public Map<String, Path> videos() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(videoFiles));
    }

    /** Finishes every video, starting those still waiting to know their rate at the best guess. */
    @Override
    public void close() {
        RuntimeException first = null;
        for (String camera : List.copyOf(pending.keySet())) {
            try {
                start(camera, pending.get(camera).rate.best());
            } catch (RuntimeException e) {
                first = e;
            }
        }
        for (VideoWriter video : videos.values()) {
            try {
                video.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** A camera's first overlays, kept until its video's rate is known. */
    private static final class PendingVideo {
        private final SourceRate rate = new SourceRate();
        private final List<BufferedImage> overlays = new ArrayList<>();
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
