package io.canvasflow.clients;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@link PublishJob} did.
 *
 * @param cameras each camera's outcome, by camera id, in the order the cameras were added
 * @param seconds wall time of the whole job, including the final flush
 */
public record PublishResult(Map<String, CameraResult> cameras, double seconds) {

    /** Copies the map, keeping its order. */
    public PublishResult {
        cameras = Collections.unmodifiableMap(new LinkedHashMap<>(cameras));
    }

    /**
     * Returns the frames the broker acknowledged, over all cameras.
     *
     * @return the total
     */
    public long totalFrames() {
        return cameras.values().stream().mapToLong(CameraResult::frames).sum();
    }

    /**
     * Returns the acknowledged frames per second over the whole job.
     *
     * @return the rate, 0 for an instant job
     */
    public double fps() {
        return seconds > 0 ? totalFrames() / seconds : 0;
    }

    /**
     * Whether every camera ran to its end or limit without an error, and sent every frame (a frame
     * too large for the topic is skipped, and the camera goes on) with Kafka's acknowledgement.
     *
     * @return true when no camera failed and no frame went unsent or unacknowledged
     */
    public boolean succeeded() {
        return cameras.values().stream()
                .allMatch(c -> c.error() == null && c.failed() == 0 && c.unacknowledged() == 0);
    }

    /**
     * A one-line summary per camera and a total, for the command line.
     *
     * @return the summary
     */
    public String summary() {
        StringBuilder out = new StringBuilder();
        for (CameraResult camera : cameras.values()) {
            out.append(
                    String.format(
                            "%-16s %8d frames %8.1f fps %8.1f s%s%s%s%s%n",
                            camera.cameraId(),
                            camera.frames(),
                            camera.fps(),
                            camera.seconds(),
                            camera.failed() == 0 ? "" : "  " + camera.failed() + " not sent",
                            camera.unacknowledged() == 0
                                    ? ""
                                    : "  "
                                            + camera.unacknowledged()
                                            + " sent, not acknowledged (stopped before Kafka"
                                            + " answered: they may or may not be in the topic)",
                            camera.skipped() == 0
                                    ? ""
                                    : "  " + camera.skipped() + " skipped for newer",
                            camera.error() == null ? "" : "  FAILED: " + camera.error()));
        }
        out.append(
                String.format(
                        "%-16s %8d frames %8.1f fps %8.1f s%n",
                        "total", totalFrames(), fps(), seconds));
        return out.toString();
    }

    /**
     * One camera's outcome.
     *
     * @param cameraId the camera
     * @param frames frames the broker acknowledged
     * @param failed frames whose send failed
     * @param unacknowledged frames handed to Kafka that it had neither acknowledged nor refused
     *     when the job ended (stopped, and Kafka slow or away); 0 for a job that ran to its end
     * @param skipped a live camera's frames not sent because a newer one came first (publishing
     *     behind, or the burst a stream gives when opened); 0 for other sources
     * @param seconds time from the camera's first frame sent to its end
     * @param error why the camera stopped early, or null when it ran to its end or limit
     */
    public record CameraResult(
            String cameraId,
            long frames,
            long failed,
            long unacknowledged,
            long skipped,
            double seconds,
            String error) {

        /**
         * A camera's outcome with every frame sent answered.
         *
         * @param cameraId the camera
         * @param frames frames the broker acknowledged
         * @param failed frames whose send failed
         * @param skipped a live camera's frames skipped for newer ones
         * @param seconds time from the camera's first frame sent to its end
         * @param error why the camera stopped early, or null
         */
        public CameraResult(
                String cameraId,
                long frames,
                long failed,
                long skipped,
                double seconds,
                String error) {
            this(cameraId, frames, failed, 0, skipped, seconds, error);
        }

        /**
         * Returns the camera's acknowledged frames per second.
         *
         * @return the rate, 0 for an instant run
         */
        public double fps() {
            return seconds > 0 ? frames / seconds : 0;
        }
    }
}
