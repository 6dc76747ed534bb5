package io.canvasflow.topology;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How the sources of a {@link CanvasFlowConfig} name what they set: a key with or without the
 * {@value CanvasFlowConfig#KAFKA_PREFIX} prefix ({@code kafka.state.dir} sets {@code state.dir}),
 * and an environment variable ({@code CANVASFLOW_CANVAS_MAX_GAP_MS} sets {@code
 * canvas.max.gap.ms}), with the {@code CANVASFLOW_} variables that are not settings. What a tool
 * that runs serve's configuration asks about a key or a variable is answered here, as the
 * configuration reads it.
 */
public final class SettingNames {

    /**
     * The {@code CANVASFLOW_} variables that are not settings: the launchers' (heap, home, stack
     * traces) and the tests' data locations.
     */
    private static final Set<String> NOT_SETTINGS =
            Set.of(
                    "CANVASFLOW_HEAP",
                    "CANVASFLOW_HOME",
                    "CANVASFLOW_TRACE",
                    "CANVASFLOW_DATA",
                    "CANVASFLOW_VTEST",
                    "CANVASFLOW_LABELME_DIR",
                    "CANVASFLOW_CHROMIUM");

    /**
     * What Kubernetes (and Docker's links) set for a Service whose name is canvasflow or starts
     * with canvasflow-, exactly in their shapes, each with the shape of its value: {@code
     * {SVC}_SERVICE_HOST} (an address), {@code {SVC}_SERVICE_PORT} and {@code
     * {SVC}_SERVICE_PORT_{PORT NAME}} (a port), {@code {SVC}_PORT} and {@code
     * {SVC}_PORT_{N}_{PROTO}} ({@code tcp://ADDRESS:PORT}), and {@code
     * {SVC}_PORT_{N}_{PROTO}_PROTO|_PORT|_ADDR}, where {@code {SVC}} is {@code CANVASFLOW} ({@code
     * canvasflow}) or {@code CANVASFLOW_METRICS} ({@code canvasflow-metrics}) and the like. A
     * ClusterIP Service named canvasflow in the pod's namespace sets them for every pod. The value
     * counts too: {@code CANVASFLOW_HTP_PORT=9090}, a misspelt {@code http.port}, has the name of a
     * Service htp's variable but not its value, and is refused as naming no setting rather than
     * passed over.
     */
    private static final List<ServiceLink> SERVICE_LINKS =
            List.of(
                    ServiceLink.of("_SERVICE_HOST", ServiceLink.ADDRESS),
                    ServiceLink.of("_SERVICE_PORT(_[A-Z0-9_]+)?", ServiceLink.PORT),
                    ServiceLink.of(
                            "_PORT(_[0-9]+_(TCP|UDP|SCTP))?",
                            "(tcp|udp|sctp)://\\[?"
                                    + ServiceLink.ADDRESS
                                    + "\\]?:"
                                    + ServiceLink.PORT),
                    ServiceLink.of("_PORT_[0-9]+_(TCP|UDP|SCTP)_PROTO", "tcp|udp|sctp"),
                    ServiceLink.of("_PORT_[0-9]+_(TCP|UDP|SCTP)_PORT", ServiceLink.PORT),
                    ServiceLink.of("_PORT_[0-9]+_(TCP|UDP|SCTP)_ADDR", ServiceLink.ADDRESS));

    /** One shape of a Service's variable: its name after the Service's, and its value. */
    private record ServiceLink(Pattern name, Pattern value) {

        /** An IPv4 or IPv6 address, as kubelet writes a Service's cluster IP. */
        static final String ADDRESS = "[0-9A-Fa-f:.]+";

        static final String PORT = "[0-9]{1,5}";

        static ServiceLink of(String suffix, String value) {
            return new ServiceLink(
                    Pattern.compile("CANVASFLOW(_[A-Z0-9_]+)?" + suffix), Pattern.compile(value));
        }

        boolean matches(String variable, String value) {
            return name.matcher(variable).matches()
                    && value != null
                    && this.value.matcher(value.trim()).matches();
        }
    }

    private SettingNames() {}

    /**
     * The name a key sets: trimmed, without the {@value CanvasFlowConfig#KAFKA_PREFIX} prefix.
     *
     * @param key a key as given in a file or a {@code -D}
     * @return the setting's or the Kafka property's name
     */
    public static String unprefixed(String key) {
        String name = key.trim();
        return name.startsWith(CanvasFlowConfig.KAFKA_PREFIX)
                ? name.substring(CanvasFlowConfig.KAFKA_PREFIX.length())
                : name;
    }

    /**
     * The key a {@code CANVASFLOW_} variable gives: the rest of its name, lower case, each
     * underscore a dot.
     *
     * @param variable a name that starts with {@value CanvasFlowConfig#ENV_PREFIX}
     * @return the key, a setting's or not
     */
    static String keyOf(String variable) {
        return variable.substring(CanvasFlowConfig.ENV_PREFIX.length())
                .toLowerCase(Locale.ROOT)
                .replace('_', '.');
    }

    /**
     * Whether a key a variable gives names a setting or a Kafka property.
     *
     * @param key what {@link #keyOf} gave
     * @return whether the configuration takes it
     */
    static boolean isSettingKey(String key) {
        return ConfigSources.DEFAULTS.containsKey(key)
                || key.startsWith(CanvasFlowConfig.KAFKA_PREFIX);
    }

    /**
     * Whether a configuration built with the environment reads this variable: {@value
     * CanvasFlowConfig#ENV_BOOTSTRAP_SERVERS}, and each {@code CANVASFLOW_} variable but the
     * launchers' and Kubernetes' service links, a setting's or one it refuses as naming none.
     *
     * @param variable an environment variable's name
     * @param value its value (a service link's name with another value is read)
     * @return whether it is read, so that it can change (or stop) serve
     */
    public static boolean isReadFromEnvironment(String variable, String value) {
        if (variable.equals(CanvasFlowConfig.ENV_BOOTSTRAP_SERVERS)) {
            return true;
        }
        if (!variable.startsWith(CanvasFlowConfig.ENV_PREFIX)) {
            return false;
        }
        // A service link's name with its kind of value first: a Service named canvasflow-http
        // sets CANVASFLOW_HTTP_PORT=tcp://10.0.0.1:8080, which no setting takes as its value (and
        // canvasflow-kafka's would set Kafka properties); CANVASFLOW_HTTP_PORT=9090 is the setting
        if (SERVICE_LINKS.stream().anyMatch(l -> l.matches(variable, value))) {
            return false;
        }
        return isSettingKey(keyOf(variable)) || !NOT_SETTINGS.contains(variable);
    }
}
