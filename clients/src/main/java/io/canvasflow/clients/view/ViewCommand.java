package io.canvasflow.clients.view;

import io.canvasflow.cli.options.KafkaOptions;
import io.canvasflow.cli.options.TopicChoice;
import io.canvasflow.clients.FollowOptions;
import io.canvasflow.clients.GracefulStop;
import io.canvasflow.clients.KafkaSilence;
import io.canvasflow.clients.MaskFollower;
import io.canvasflow.schemas.KafkaClientFailure;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code canvasflow view}: a live web page of every camera's newest frame with its mask on top, and
 * the cameras' figures. It follows the masks and frames topics with a {@link MaskFollower} (the
 * join {@code masks --out} uses, {@code read_committed}), keeps each camera's newest tile on a
 * {@link TileBoard} and serves the page with {@link ViewServer}. It never produces to Kafka.
 *
 * <pre>
 * canvasflow view --bootstrap-servers localhost:9092        # http://127.0.0.1:8090/
 * canvasflow view --bootstrap-servers kafka:9092 --bind 0.0.0.0 --port 8080
 * </pre>
 */
@Command(
        name = "view",
        mixinStandardHelpOptions = true,
        description = {
            "Serve a live web page of the cameras: each camera's newest frame with its mask"
                    + " blended on top, the class legend, and per camera frames/s, latency"
                    + " p50/p99, iterations, seeded and reset frames and the model version."
                    + " Read-only; follows the topics from their end."
        })
public final class ViewCommand implements Callable<Integer> {

    @Mixin KafkaOptions kafkaOptions;

    @Mixin FollowOptions follow;

    @Spec private CommandSpec spec;

    @Option(
            names = "--bind",
            defaultValue = "127.0.0.1",
            paramLabel = "ADDRESS",
            description =
                    "Listen on this address of this machine; 0.0.0.0 for every interface"
                            + " (default: ${DEFAULT-VALUE}, this machine only).")
    String bind;

    @Option(
            names = "--port",
            defaultValue = "" + ViewServer.DEFAULT_PORT,
            paramLabel = "PORT",
            description = "Listen on this port; 0 for any free one (default: ${DEFAULT-VALUE}).")
    int port;

    /**
     * Runs the command and exits with its status.
     *
     * @param args the command line arguments
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new ViewCommand()).execute(args));
    }

    @Override
    public Integer call() {
        KafkaSilence.quietNetworkClient();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return view(out);
        } catch (ViewBindException e) {
            err.println(
                    "canvasflow view: "
                            + e.getMessage()
                            + " (choose another --port, or 0 for any free one)");
            err.flush();
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("canvasflow view: " + e.getMessage());
            err.flush();
            return 2;
        }
    }

    private int view(PrintWriter out) {
        String bootstrap = kafkaOptions.bootstrapServersOr(System.getenv());
        if (bootstrap == null) {
            throw new IllegalArgumentException(
                    "missing Kafka bootstrap servers: give --bootstrap-servers HOST:PORT or set "
                            + KafkaOptions.BOOTSTRAP_ENV);
        }
        InetSocketAddress address = address(bind, port);
        // a name from serve's settings is said in the start line below
        TopicChoice masks = follow.masksTopic(System.getenv());
        TopicChoice frames = follow.framesTopic(System.getenv());
        try (LiveView view =
                        LiveView.start(
                                bootstrap,
                                FollowOptions.masks(masks),
                                FollowOptions.frames(frames),
                                address,
                                follow.consumerProperties(),
                                follow.joinFrames(),
                                follow.joinMemory(),
                                follow.duration());
                GracefulStop stop = new GracefulStop("view-shutdown", view::stop)) {
            // Its consumer would retry an absent cluster for ever, so ask it first (after the
            // local checks: the address, the port and the consumer's own settings).
            // Both topics must exist, as for `masks --out`: a typo would be an empty page for ever,
            // or masks without their frames.
            String unreachable =
                    KafkaOptions.preflight(
                            bootstrap,
                            follow.consumerProperties(),
                            List.of(masks.name(), frames.name()),
                            FollowOptions.HOW_TO_CREATE_TOPICS);
            if (unreachable != null) {
                throw new IllegalArgumentException(unreachable);
            }
            out.printf(
                    "Live view at %s (masks %s, frames %s at %s; Ctrl-C to stop)%n",
                    view.url(), masks, frames, bootstrap);
            out.flush();
            view.run();
        } catch (KafkaException e) {
            // A consumer property Kafka refuses, or bootstrap servers it cannot parse
            throw new IllegalArgumentException(
                    "could not follow "
                            + masks.name()
                            + " at "
                            + bootstrap
                            + ": "
                            + KafkaClientFailure.describe(e),
                    e);
        }
        return 0;
    }

    /**
     * Checks where the viewer may listen: an address of this machine (or every interface) and a
     * port in 0..65535.
     *
     * @param bind the address or host name
     * @param port the port; 0 for any free one
     * @return the socket address
     * @throws IllegalArgumentException with one sentence when either is unusable
     */
    public static InetSocketAddress address(String bind, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(
                    "expected --port between 0 and 65535 but found " + port);
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(bind.trim());
        } catch (UnknownHostException | RuntimeException e) {
            address = null;
        }
        if (bind.isBlank() || address == null || !isLocal(address)) {
            throw new IllegalArgumentException(
                    "expected --bind to be an address of this machine (127.0.0.1, 0.0.0.0 or an"
                            + " interface's address) but found '"
                            + bind
                            + "'");
        }
        return new InetSocketAddress(address, port);
    }

    private static boolean isLocal(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return false;
        }
    }
}
