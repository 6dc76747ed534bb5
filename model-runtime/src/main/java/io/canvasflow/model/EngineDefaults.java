package io.canvasflow.model;

import ai.djl.engine.Engine;
import java.util.Map;

/**
 * DJL's engine, started the way CanvasFlow wants it in any process, not only one the {@code
 * ./canvasflow} launcher started: with DJL's telemetry off unless the user decided otherwise.
 *
 * <p>When DJL's engine first starts, DJL's {@code Ec2Utils.callHome} asks the EC2 metadata address
 * (169.254.169.254) for an instance id and, on EC2, reports to an Amazon S3 bucket; it skips that
 * only in offline mode or with {@code OPT_OUT_TRACKING=true} (an environment variable or a system
 * property). A library that segments video should not make network calls its user did not ask for,
 * so this sets the property when neither is set. It leaves {@code ai.djl.offline} alone: an
 * embedder may rely on DJL downloading the PyTorch natives (see {@link SegmentationModel}).
 */
public final class EngineDefaults {

    /** DJL's switch for its telemetry, read from the environment or the system properties. */
    public static final String OPT_OUT_TRACKING = "OPT_OUT_TRACKING";

    private EngineDefaults() {}

    /**
     * The default engine, started with telemetry off unless {@value #OPT_OUT_TRACKING} is already
     * set, as an environment variable or a system property. Every place in this module that starts
     * the engine goes through here.
     *
     * @return DJL's default engine
     */
    public static Engine engine() {
        optOutOfTracking(System.getenv());
        return Engine.getInstance();
    }

    /**
     * Sets the system property {@value #OPT_OUT_TRACKING} to {@code true} unless it or the
     * environment variable of that name is set (DJL reads the environment first, then the
     * property).
     *
     * @param env the process environment
     */
    static void optOutOfTracking(Map<String, String> env) {
        if (env.get(OPT_OUT_TRACKING) == null && System.getProperty(OPT_OUT_TRACKING) == null) {
            System.setProperty(OPT_OUT_TRACKING, "true");
        }
    }
}
