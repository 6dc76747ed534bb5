package io.canvasflow.clients;

import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.MaskEvent;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The MP4s of an {@link OverlayWriter}: an encoder is open only for a camera that had an overlay
 * within the idle time. A camera idle that long has its MP4 finished (playable, its encoder's
 * native memory and file let go); when it sends again, a new MP4 begins in its folder, named by
 * that overlay's capture time and sequence as its PNGs are, so no earlier file is written over. One
 * thread writes.
 */
final class OverlayVideos implements AutoCloseable {

    private final Path directory;
    private final double videoFps;
    private final boolean sourceRate;
    private final long idleNanos;
    private final LongSupplier nanos;

    /** Open (or waiting) videos, least recently written first, so idle ones are at the head. */
    private final Map<String, Active> active = new LinkedHashMap<>(16, 0.75f, true);

    private final Map<String, CameraVideos> files = new LinkedHashMap<>();

    OverlayVideos(
            Path directory,
            double videoFps,
            boolean sourceRate,
            Duration idle,
            LongSupplier nanos) {
        this.directory = directory;
        this.videoFps = videoFps;
        this.sourceRate = sourceRate;
        this.idleNanos = idle.toNanos();
        this.nanos = nanos;
    }

    /** Appends to the camera's video, once its rate is known (at once for a fixed rate). */
    void write(
            String camera, String name, MaskEvent mask, Frame frameOrNull, BufferedImage overlay) {
        // First, so that a camera back from idle starts a new file instead of adding to its old one
        finishIdle();
        Active video = active.get(camera);
        if (video == null) {
            video = new Active(nextFile(camera, name, mask));
            active.put(camera, video);
        }
        video.lastNanos = nanos.getAsLong();
        if (video.writer != null) {
            video.writer.write(overlay);
            return;
        }
        video.rate.add(mask, frameOrNull);
        video.waiting.add(overlay);
        if (sourceRate) {
            video.rate.known().ifPresent(video::start);
        } else {
            video.start(videoFps);
        }
    }

    /** Finishes the videos of cameras without an overlay for the idle time. */
    void finishIdle() {
        long now = nanos.getAsLong();
        List<Active> idle = new ArrayList<>();
        Iterator<Active> oldestFirst = active.values().iterator();
        while (oldestFirst.hasNext()) {
            Active video = oldestFirst.next();
            if (now - video.lastNanos < idleNanos) {
                break;
            }
            oldestFirst.remove();
            idle.add(video);
        }
        finish(idle);
    }

    /** Camera id to its MP4s, in order of first overlay. */
    Map<String, CameraVideos> files() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(files));
    }

    /** How many videos are open or waiting for their rate. */
    int open() {
        return active.size();
    }

    /** Finishes every video, starting those still waiting to know their rate at the best guess. */
    @Override
    public void close() {
        List<Active> all = List.copyOf(active.values());
        active.clear();
        finish(all);
    }

    /**
     * DIR/CAMERA.mp4 first; later DIR/CAMERA/CAMERA-CAPTUREMS-SEQUENCE.mp4, never an existing one.
     */
    private Path nextFile(String camera, String name, MaskEvent mask) {
        CameraVideos before = files.get(camera);
        if (before == null) {
            Path first = directory.resolve(name + ".mp4");
            files.put(camera, new CameraVideos(first, 1));
            return first;
        }
        String stem =
                String.format(
                        "%s-%013d-%08d",
                        name, mask.getCaptureTimestamp().toEpochMilli(), mask.getSequence());
        Path later = before.laterFolder().resolve(stem + ".mp4");
        for (int n = 2; Files.exists(later); n++) {
            later = before.laterFolder().resolve(stem + "-" + n + ".mp4");
        }
        files.put(camera, before.another());
        return later;
    }

    /** Finishes each video, the failing ones too; throws the first failure after. */
    private static void finish(List<Active> videos) {
        RuntimeException first = null;
        for (Active video : videos) {
            try {
                video.finish();
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

    /** A camera's open video, or its first overlays kept until the video's rate is known. */
    private static final class Active {
        private final Path file;
        private final SourceRate rate = new SourceRate();
        private final List<BufferedImage> waiting = new ArrayList<>();
        private VideoWriter writer;
        private long lastNanos;

        Active(Path file) {
            this.file = file;
        }

        /** Opens the video at a rate and writes the overlays that waited for it. */
        void start(double fps) {
            BufferedImage first = waiting.get(0);
            writer = VideoWriter.open(file, first.getWidth(), first.getHeight(), fps);
            waiting.forEach(writer::write);
            waiting.clear();
        }

        void finish() {
            try {
                if (writer == null) {
                    start(rate.best());
                }
            } finally {
                if (writer != null) {
                    writer.close();
                }
            }
        }
    }
}
