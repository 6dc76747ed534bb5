package io.canvasflow.tools.demo;

import io.canvasflow.clients.ClassMap;
import io.canvasflow.clients.FrameSource;
import io.canvasflow.clients.ImageCodecs;
import io.canvasflow.clients.SourceFrame;
import io.canvasflow.schemas.avro.MaskEvent;
import io.canvasflow.trainer.ConfusionMatrix;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the demo saw of every mask event, and how each scored against the ground truth that was
 * published with its frame. The publisher threads record ground truth through {@link #recording};
 * the follower thread calls {@link #onMask}.
 */
final class DemoScore {

    private static final Logger LOG = LoggerFactory.getLogger(DemoScore.class);

    /** One mask event, reduced to its figures. */
    record Event(
            String cameraId,
            long sequence,
            Timing timing,
            double modelMillis,
            int iterations,
            boolean seeded,
            String resetReason,
            double frameMiou) {}

    /**
     * When a mask event came.
     *
     * @param latencyMillis end-to-end latency the event reports
     * @param arrivalNanos {@link System#nanoTime()} when the follower got it
     */
    record Timing(long latencyMillis, long arrivalNanos) {}

    /** Everything seen of one camera. */
    static final class Camera {
        final List<Event> events = new ArrayList<>();
        final Map<Long, Integer> countBySequence = new LinkedHashMap<>();
        final Set<String> models = new LinkedHashSet<>();
        ConfusionMatrix confusion;
        long scoringFailures;

        long distinct() {
            return countBySequence.size();
        }

        long duplicates() {
            return countBySequence.values().stream().mapToLong(c -> c - 1).sum();
        }

        double miou() {
            return confusion == null ? Double.NaN : confusion.meanIou();
        }
    }

    private final Map<String, Map<Long, byte[]>> truths = new ConcurrentHashMap<>();
    private final Map<String, Camera> cameras = new LinkedHashMap<>();
    private String modelVersion = "";
    private List<String> classNames = List.of();

    /**
     * Wraps a source so that the ground truth of each frame it hands out is kept, under the
     * sequence number the publisher will give it (frames are numbered from 0 in order).
     */
    FrameSource recording(String cameraId, FrameSource source) {
        Map<Long, byte[]> byIndex = new ConcurrentHashMap<>();
        truths.put(cameraId, byIndex);
        return new FrameSource() {
            private long sequence;

            @Override
            public Optional<SourceFrame> next() {
                Optional<SourceFrame> frame = source.next();
                frame.ifPresent(
                        f -> {
                            if (f.groundTruthPng() != null) {
                                byIndex.put(sequence, f.groundTruthPng());
                            }
                            sequence++;
                        });
                return frame;
            }

            @Override
            public double nativeFps() {
                return source.nativeFps();
            }

            // Every method that changes how the source is published is passed on: a live source
            // is paced by its camera, and a reader that stops early reports what was skipped.
            @Override
            public boolean isLive() {
                return source.isLive();
            }

            @Override
            public String skippedUnreadable() {
                return source.skippedUnreadable();
            }

            @Override
            public String description() {
                return source.description();
            }

            @Override
            public void close() {
                source.close();
            }
        };
    }

    /** Records one mask event and scores it when its frame had ground truth. */
    synchronized void onMask(MaskEvent mask) {
        String id = mask.getCameraId();
        Camera camera = cameras.computeIfAbsent(id, k -> new Camera());
        camera.countBySequence.merge(mask.getSequence(), 1, Integer::sum);
        modelVersion = mask.getModelVersion();
        classNames = List.copyOf(mask.getClassNames());
        double frameMiou = Double.NaN;
        Map<Long, byte[]> byIndex = truths.get(id);
        byte[] truthPng = byIndex == null ? null : byIndex.get(mask.getSequence());
        if (truthPng != null && !mask.getSkipped()) {
            try {
                frameMiou = score(camera, mask, truthPng, classNames.size());
            } catch (RuntimeException e) {
                camera.scoringFailures++;
                LOG.warn("could not score mask {}/{}: {}", id, mask.getSequence(), e.getMessage());
            }
        }
        camera.models.add(mask.getModelVersion());
        camera.events.add(
                new Event(
                        id,
                        mask.getSequence(),
                        new Timing(mask.getEndToEndLatencyMillis(), System.nanoTime()),
                        mask.getModelMillis(),
                        mask.getIterations(),
                        mask.getSeeded(),
                        mask.getResetReason() == null ? "" : mask.getResetReason().name(),
                        frameMiou));
    }

    private static double score(Camera camera, MaskEvent mask, byte[] truthPng, int classes) {
        ClassMap predicted = ImageCodecs.classMap(ImageCodecs.bytes(mask.getClassMap()));
        ClassMap truth = ImageCodecs.classMap(truthPng);
        if (predicted.width() != truth.width() || predicted.height() != truth.height()) {
            predicted = ImageCodecs.resizeNearest(predicted, truth.width(), truth.height());
        }
        ConfusionMatrix frame = new ConfusionMatrix(classes);
        frame.add(predicted.indices(), truth.indices());
        if (camera.confusion == null) {
            camera.confusion = new ConfusionMatrix(classes);
        }
        camera.confusion.add(frame);
        return frame.meanIou();
    }

    /** A copy of what each camera saw, in order of first appearance. */
    synchronized Map<String, Camera> cameras() {
        return new LinkedHashMap<>(cameras);
    }

    /** The mIoU of all scored frames of all cameras together; NaN when none had ground truth. */
    synchronized double overallMiou() {
        ConfusionMatrix all = null;
        for (Camera c : cameras.values()) {
            if (c.confusion != null) {
                if (all == null) {
                    all = new ConfusionMatrix(classNames.size());
                }
                all.add(c.confusion);
            }
        }
        return all == null ? Double.NaN : all.meanIou();
    }

    synchronized String modelVersion() {
        return modelVersion;
    }

    synchronized List<String> classNames() {
        return classNames;
    }
}
