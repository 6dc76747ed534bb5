package io.canvasflow.clients.view;

import io.canvasflow.clients.FollowResult;
import io.canvasflow.clients.MaskFollower;
import io.canvasflow.schemas.Topic;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.MaskEvent;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * What {@code canvasflow view} runs: a {@link MaskFollower} of the masks and frames topics (from
 * their end, {@code read_committed}, masks joined with their frames as {@code masks --out} joins
 * them, in a buffer of {@code --join-frames} frames per camera and {@code --join-memory} bytes in
 * all) that puts each camera's newest picture on a {@link TileBoard}, and the {@link ViewServer}
 * that shows the board. Both forget a camera after {@link TileBoard#FORGET_AFTER} without a mask,
 * its tile and its statistics, so the page drops its tile. The server listens from {@link #start};
 * {@link #run} follows until {@link #stop} or the duration.
 */
public final class LiveView implements AutoCloseable {

    private final MaskFollower follower;
    private final ViewServer server;

    private LiveView(MaskFollower follower, ViewServer server) {
        this.follower = follower;
        this.server = server;
    }

    /**
     * Listens, ready to follow.
     *
     * @param bootstrapServers the Kafka bootstrap servers
     * @param masks the masks topic
     * @param frames the frames topic
     * @param address where to listen (see {@link ViewCommand#address})
     * @param consumerProperties consumer properties over the follower's defaults
     * @param joinFrames frames kept per camera for the join
     * @param joinMemory bytes kept over all cameras for the join
     * @param duration how long to follow, or null until {@link #stop}
     * @return the view, listening
     * @throws ViewBindException when it cannot listen there
     * @throws IllegalArgumentException when a setting is missing or out of range
     */
    public static LiveView start(
            String bootstrapServers,
            Topic<String, MaskEvent> masks,
            Topic<String, Frame> frames,
            InetSocketAddress address,
            Map<String, String> consumerProperties,
            int joinFrames,
            long joinMemory,
            Duration duration) {
        TileBoard board = new TileBoard();
        Map<String, Object> consumer = new HashMap<>();
        consumer.put("client.id", "canvasflow-view");
        consumer.putAll(consumerProperties);
        MaskFollower follower =
                MaskFollower.builder()
                        .setBootstrapServers(bootstrapServers)
                        .optMasksTopic(masks)
                        .optFramesTopic(frames)
                        .optDuration(duration)
                        .optJoinListener(board::onJoined)
                        .optJoinCapacity(joinFrames)
                        .optJoinMemory(joinMemory)
                        .optForgetIdleCameras(TileBoard.FORGET_AFTER)
                        .optConsumerProperties(consumer)
                        .build();
        ViewServer server =
                ViewServer.start(
                        address,
                        board,
                        follower::snapshot,
                        masks.name() + " + " + frames.name() + " at " + bootstrapServers);
        return new LiveView(follower, server);
    }

    /**
     * The page's address.
     *
     * @return {@code http://HOST:PORT/}
     */
    public String url() {
        return server.url();
    }

    /**
     * Follows until {@link #stop} or the duration; the page keeps being served until {@link
     * #close}.
     *
     * @return what the follower saw
     */
    public FollowResult run() {
        return follower.run();
    }

    /** Makes {@link #run} return soon; thread-safe. */
    public void stop() {
        follower.stop();
    }

    /** Stops following and serving. */
    @Override
    public void close() {
        follower.stop();
        server.close();
    }
}
