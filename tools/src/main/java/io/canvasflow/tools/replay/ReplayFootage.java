package io.canvasflow.tools.replay;

import io.canvasflow.clients.FramePublisher;
import io.canvasflow.clients.FrameRate;
import io.canvasflow.clients.PublishJob;
import io.canvasflow.clients.PublishResult;
import io.canvasflow.clients.SyntheticCameraSource;
import io.canvasflow.clients.VideoFileSource;
import io.canvasflow.schemas.Topics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Fills a frames topic for a self-contained replay or benchmark: synthetic street cameras of the
 * trainer's test split (with exact ground truth) and/or a video file (without), published as fast
 * as the broker takes them through the ordinary {@link PublishJob}.
 */
public final class ReplayFootage {

    private ReplayFootage() {}

    /**
     * Publishes synthetic cameras, scenes 0, 1, 2, ..., one per id.
     *
     * @param bootstrapServers the Kafka cluster
     * @param topic the frames topic
     * @param cameraIds one id per camera
     * @param frames frames per camera
     * @param progress where to show a progress line on a terminal, or null
     * @return what was published
     * @throws InterruptedException when interrupted
     */
    public static PublishResult publishSynthetic(
            String bootstrapServers,
            String topic,
            List<String> cameraIds,
            int frames,
            PrintWriter progress)
            throws InterruptedException {
        try (FramePublisher publisher = publisher(bootstrapServers, topic)) {
            PublishJob.Builder job =
                    PublishJob.builder().setPublisher(publisher).optRate(FrameRate.max());
            for (int i = 0; i < cameraIds.size(); i++) {
                job.addCamera(cameraIds.get(i), new SyntheticCameraSource(i, frames));
            }
            showProgress(job, progress);
            return check(job.build().run());
        }
    }

    /**
     * Publishes a video file as one camera.
     *
     * @param bootstrapServers the Kafka cluster
     * @param topic the frames topic
     * @param cameraId the camera id
     * @param video the file
     * @param limit at most this many frames, 0 for all
     * @param progress where to show a progress line on a terminal, or null
     * @return what was published
     * @throws InterruptedException when interrupted
     */
    public static PublishResult publishVideo(
            String bootstrapServers,
            String topic,
            String cameraId,
            Path video,
            long limit,
            PrintWriter progress)
            throws InterruptedException {
        try (FramePublisher publisher = publisher(bootstrapServers, topic)) {
            PublishJob.Builder job =
                    PublishJob.builder()
                            .setPublisher(publisher)
                            .optRate(FrameRate.max())
                            .optLimit(limit)
                            .addCamera(cameraId, VideoFileSource.open(video));
            showProgress(job, progress);
            return check(job.build().run());
        }
    }

    /**
     * Shows the job's progress line on a terminal only, as {@code canvasflow publish} does: output
     * redirected to a file or a pipe gets no carriage returns.
     */
    private static void showProgress(PublishJob.Builder job, PrintWriter progress) {
        PrintWriter shown = PublishJob.progressOnTerminal(progress);
        if (shown != null) {
            job.optProgress(shown);
        }
    }

    /** A camera id from a file name: {@code vtest.avi} gives {@code video-vtest}. */
    public static String videoCameraId(Path video) {
        String name = video.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = (dot > 0 ? name.substring(0, dot) : name).toLowerCase(Locale.ROOT);
        return "video-" + stem.replaceAll("[^a-z0-9_-]", "-");
    }

    private static FramePublisher publisher(String bootstrapServers, String topic) {
        return FramePublisher.builder()
                .setBootstrapServers(bootstrapServers)
                .optTopic(Topics.FRAMES.withName(topic))
                .build();
    }

    private static PublishResult check(PublishResult result) {
        if (!result.succeeded()) {
            throw new IllegalStateException("publishing failed: " + result.summary());
        }
        return result;
    }
}
