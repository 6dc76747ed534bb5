package io.canvasflow.clients;

import io.canvasflow.cli.options.BaseCommand;
import io.canvasflow.cli.options.FileConverters;
import io.canvasflow.cli.options.KafkaOptions;
import io.canvasflow.cli.options.TopicChoice;
import io.canvasflow.schemas.KafkaClientFailure;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code canvasflow masks}: follows the masks topic with a live per-camera table, and with {@code
 * --out} writes overlay PNGs and MP4s per camera (a new MP4 when a camera sends again after {@link
 * OverlayWriter#FINISH_IDLE_AFTER} without an overlay).
 *
 * <pre>
 * canvasflow masks --bootstrap-servers localhost:9092 --out overlays \
 *     --from-beginning --max-frames 500
 * </pre>
 */
@Command(
        name = "masks",
        description = {
            "Follow mask events: a live per-camera table (frames, fps, latency p50/p99,"
                    + " iterations, seeded and reset frames); with --out, overlay PNGs and MP4s"
                    + " per camera."
        })
public final class MasksCommand extends BaseCommand {

    private static final Logger LOG = LoggerFactory.getLogger(MasksCommand.class);

    @Mixin KafkaOptions kafkaOptions;

    @Mixin FollowOptions follow;

    @Option(
            names = "--group",
            paramLabel = "ID",
            description = "Consume in this consumer group (default: all partitions, no group).")
    String groupId;

    @Option(
            names = "--from-beginning",
            description = "Start at the earliest masks instead of new ones.")
    boolean fromBeginning;

    @Option(
            names = "--max-frames",
            paramLabel = "N",
            description = "Stop after N mask events, at least 1 (default: no limit).")
    Long maxFrames;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            converter = FileConverters.OutputFolder.class,
            description =
                    "Write overlays here: DIR/CAMERA/CAMERA-CAPTUREMS-SEQUENCE.png and"
                            + " DIR/CAMERA.mp4, finished once the camera has had no overlay for 5"
                            + " minutes; when it sends again, DIR/CAMERA/CAMERA-CAPTUREMS-SEQUENCE.mp4"
                            + " (CAMERA:"
                            + " the camera id made safe as a file name, with a short hash of the id"
                            + " where that changed it or another camera has the name, whatever the"
                            + " case).")
    Path out;

    @Option(
            names = "--png-every",
            defaultValue = "10",
            paramLabel = "N",
            description =
                    "With --out, write every N-th overlay per camera as PNG; 0 for none"
                            + " (default: ${DEFAULT-VALUE}).")
    int pngEvery;

    @Option(
            names = "--video-fps",
            paramLabel = "FPS",
            description =
                    "With --out, the MP4 frame rate; 0 for no video (default: each camera's own"
                            + " rate, as its publisher recorded it, else from the frames'"
                            + " capture times).")
    Double videoFps;

    @Option(
            names = "--alpha",
            defaultValue = "0.5",
            paramLabel = "0-1",
            description = "Overlay opacity (default: ${DEFAULT-VALUE}).")
    double alpha;

    @Override
    public Integer call() {
        KafkaSilence.quietNetworkClient();
        PrintWriter stdout = out();
        FollowResult result = follow(stdout, System.console() != null);
        stdout.printf(
                "%d masks from %d cameras in %.1f s (%d bad records skipped)%n",
                result.masks(), result.cameras().size(), result.seconds(), result.badRecords());
        if (out != null) {
            stdout.printf("%d overlays in %s%n", result.overlays(), out.toAbsolutePath());
            result.withoutFrame().forEach((camera, n) -> printWithoutFrame(stdout, camera, n));
            result.videos().forEach((camera, videos) -> printVideos(stdout, camera, videos));
        }
        stdout.flush();
        return 0;
    }

    private static void printVideos(PrintWriter stdout, String camera, CameraVideos videos) {
        stdout.printf("  %s: %s", camera, videos.first());
        if (videos.files() > 1) {
            stdout.printf(
                    " and %d more in %s (each begun when it sent again after %d minutes or more"
                            + " without an overlay)",
                    videos.files() - 1,
                    videos.laterFolder(),
                    OverlayWriter.FINISH_IDLE_AFTER.toMinutes());
        }
        stdout.println();
    }

    private void printWithoutFrame(
            PrintWriter stdout, String camera, FollowResult.WithoutFrame without) {
        stdout.printf("  camera %s: %d overlays without their frame", camera, without.masks());
        if (without.bufferFull() > 0) {
            stdout.printf(
                    ", %d of them for want of room: raise --join-frames (now %d), or"
                            + " --join-memory (now %dm) for many cameras",
                    without.bufferFull(), follow.joinFrames(), follow.joinMemory() >> 20);
        }
        if (without.bufferFull() < without.masks()) {
            stdout.printf(
                    "; %d frames did not come (the publisher restarted, sent them before this"
                            + " command began, or had not sent them when it stopped)",
                    without.masks() - without.bufferFull());
        }
        stdout.println();
    }

    /**
     * Follows the masks until a limit or Ctrl-C, printing the table.
     *
     * @param table where the live table goes
     * @param inPlace whether to redraw the table in place (a terminal)
     * @return what was seen
     * @throws ParameterException when an option is missing or out of range
     */
    public FollowResult follow(PrintWriter table, boolean inPlace) {
        validate();
        Map<String, String> consumer = consumerConfig();
        // Before the preflight (which takes only what an admin client knows) and the output folder
        String refused =
                MaskFollower.consumerConfigProblem(
                        bootstrapServers(), groupId, fromBeginning, consumer);
        if (refused != null) {
            throw usage(refused);
        }
        TopicChoice masks;
        TopicChoice frames;
        try {
            masks = follow.masksTopic(System.getenv());
            frames = follow.framesTopic(System.getenv());
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        if (masks.fromSettings() || (out != null && frames.fromSettings())) {
            // serve's settings chose them: say which, since a flag would have been seen
            LOG.info(
                    "following masks topic {}{}",
                    masks,
                    out == null ? "" : " and frames topic " + frames);
        }
        String problem =
                KafkaOptions.preflight(
                        bootstrapServers(),
                        consumer,
                        out == null ? List.of(masks.name()) : List.of(masks.name(), frames.name()),
                        FollowOptions.HOW_TO_CREATE_TOPICS);
        if (problem != null) {
            throw usage(problem);
        }
        OverlayWriter overlays =
                out == null
                        ? null
                        : videoFps == null
                                ? new OverlayWriter(out, pngEvery, new OverlayRenderer(alpha, true))
                                : new OverlayWriter(
                                        out, pngEvery, videoFps, new OverlayRenderer(alpha, true));
        MaskFollower follower =
                MaskFollower.builder()
                        .setBootstrapServers(bootstrapServers())
                        .optMasksTopic(FollowOptions.masks(masks))
                        .optFramesTopic(FollowOptions.frames(frames))
                        .optGroupId(groupId)
                        .optFromBeginning(fromBeginning)
                        .optDuration(follow.duration())
                        .optMaxFrames(maxFrames == null ? 0 : maxFrames)
                        .optOverlays(overlays)
                        .optJoinCapacity(follow.joinFrames())
                        .optJoinMemory(follow.joinMemory())
                        .optTable(table, inPlace)
                        .optConsumerProperties(consumer)
                        .build();
        // Resources close in reverse: the overlays (every MP4's index) before the stop, whose
        // shutdown hook holds the JVM on Ctrl-C or SIGTERM until then. Closed the other way round,
        // the hook let the JVM exit while the videos were being finished.
        try (GracefulStop stop = new GracefulStop("masks-shutdown", follower::stop);
                overlays) {
            return follower.run();
        } catch (KafkaException e) {
            // The consumer throws a bad setting as is, or wrapped when it fails to construct
            String reason = KafkaClientFailure.reason(e);
            if (reason != null) {
                throw usage(
                        "could not create a Kafka consumer for "
                                + bootstrapServers()
                                + ": "
                                + reason,
                        e);
            }
            throw e;
        }
    }

    private Map<String, String> consumerConfig() {
        try {
            return follow.consumerProperties();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private void validate() {
        if (bootstrapServers() == null || bootstrapServers().isBlank()) {
            throw usage(
                    "Missing Kafka bootstrap servers: give --bootstrap-servers HOST:PORT or set "
                            + PublishCommand.BOOTSTRAP_ENV);
        }
        // in the order the options are listed, so that the first bad one is the one named
        if (maxFrames != null && maxFrames < 1) {
            throw usage(
                    "--max-frames must be at least 1, not "
                            + maxFrames
                            + " (leave it out for no limit)");
        }
        if (pngEvery < 0) {
            throw usage("--png-every must be >= 0");
        }
        if (videoFps != null && !(videoFps >= 0 && videoFps < 1000)) {
            throw usage("--video-fps must be between 0 and 1000");
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw usage("--alpha must be between 0 and 1");
        }
        if (groupId != null && groupId.isBlank()) {
            throw usage("--group must name a consumer group; leave it out to read every partition");
        }
        try {
            follow.joinFrames();
            follow.joinMemory();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /** The flag, else the environment's KAFKA_BOOTSTRAP_SERVERS, else null. */
    private String bootstrapServers() {
        return kafkaOptions.bootstrapServersOr(System.getenv());
    }
}
