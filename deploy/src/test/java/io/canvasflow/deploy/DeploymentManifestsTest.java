package io.canvasflow.deploy;

import static io.canvasflow.deploy.YamlFiles.list;
import static io.canvasflow.deploy.YamlFiles.map;
import static io.canvasflow.deploy.YamlFiles.read;
import static io.canvasflow.deploy.YamlFiles.yamlDocs;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.canvasflow.cli.CanvasflowCli;
import io.canvasflow.clients.FrameSource;
import io.canvasflow.clients.FrameSources;
import io.canvasflow.clients.PublishCommand;
import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.model.DeviceChoice;
import io.canvasflow.model.EngineWarmUp;
import io.canvasflow.topology.CanvasFlowApp;
import io.canvasflow.topology.CanvasFlowConfig;
import io.canvasflow.topology.CanvasFlowTopology;
import io.canvasflow.topology.ServeCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The deployment assets against the application: every YAML file under {@code deploy/k8s} and
 * {@code deploy/compose}, the Dockerfile and the launcher. Each environment variable and property
 * they set must be read by the application (fed to {@link CanvasFlowConfig#builder}, which refuses
 * an unknown key, and found again in the result), by the launcher script or by DJL (found in the
 * class that reads it); each command line must parse; ports and probe paths must be the
 * application's, and the probe paths must answer on a running instance.
 */
class DeploymentManifestsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path DEPLOY = ROOT.resolve("deploy");
    private static final Path DOCKERFILE = DEPLOY.resolve("docker/Dockerfile");
    private static final Path COMPOSE = DEPLOY.resolve("compose/compose.yaml");
    private static final Path K8S = DEPLOY.resolve("k8s");
    private static final Path K8S_BASE = K8S.resolve("base");
    private static final Path K8S_GPU = K8S.resolve("overlays/gpu");
    private static final Path LAUNCHER = ROOT.resolve("canvasflow");

    /** The serve image's entrypoint: runs canvasflow-serve.jar. */
    private static final Path SERVE_LAUNCHER = DEPLOY.resolve("docker/canvasflow-serve");

    /** Where the serve image's files come from: serve's own distribution, nothing else. */
    private static final String SERVE_DISTRIBUTION = "/src/topology/target/";

    /** Variables the launcher script reads (the heap and extra JVM flags). */
    private static final Set<String> LAUNCHER_ENV = Set.of("CANVASFLOW_HEAP", "JAVA_OPTS");

    /** Variables DJL reads, with the class that reads each. */
    private static final Map<String, String> DJL_ENV =
            Map.of(
                    "DJL_CACHE_DIR", "ai/djl/util/Utils.class",
                    "ENGINE_CACHE_DIR", "ai/djl/util/Utils.class",
                    "PYTORCH_LIBRARY_PATH", "ai/djl/pytorch/jni/LibUtils.class",
                    "PYTORCH_VERSION", "ai/djl/pytorch/jni/LibUtils.class",
                    "PYTORCH_FLAVOR", "ai/djl/pytorch/jni/LibUtils.class");

    /** JVM system properties ({@code -D} in JAVA_OPTS) that something reads, and what. */
    private static final Map<String, String> JVM_PROPERTIES =
            Map.of(
                    "ai.djl.pytorch.num_threads", "ai/djl/pytorch/engine/PtEngine.class",
                    "ai.djl.pytorch.num_interop_threads", "ai/djl/pytorch/engine/PtEngine.class");

    private static final String HEALTH_PATH = "/health";

    /** What liveness and startup probes ask: /health but for what a restart does not mend. */
    private static final String LIVENESS_PATH = "/health/live";

    private static final String METRICS_PATH = "/metrics";

    @TempDir Path tmp;

    // ---------------------------------------------------------------------------------------
    // Dockerfile

    @Test
    void shouldBuildWithTheReadmeBuildCommand() {
        // Given the README's build command and the Dockerfile's build stage
        String readmeCommand = readmeBuildCommand();
        List<Instruction> build = dockerfile().stream().filter(i -> i.stage() == 0).toList();

        // Then the stage is the Maven image and runs exactly that command
        assertEquals("maven:3.9-eclipse-temurin-17 AS build", first(build, "FROM").args());
        List<String> runs =
                build.stream()
                        .filter(i -> i.keyword().equals("RUN"))
                        .map(i -> withoutOptions(i.args()))
                        .toList();
        assertEquals(List.of(readmeCommand), runs);
    }

    @Test
    void shouldRunTheLauncherFromTheImageWithTheJarWhereTheLauncherLooks() {
        List<Instruction> runtime = runtimeStage();
        String launcher = launcherInImage();
        String home = launcher.substring(0, launcher.lastIndexOf('/'));

        // The runtime stage is a JRE 17, run as a non-root user
        assertEquals("eclipse-temurin:17-jre AS runtime", first(runtime, "FROM").args());
        String user = last(runtime, "USER").args();
        assertFalse(user.equals("root") || user.equals("0"), "runs as root: " + user);

        // The entrypoint is serve's launcher, with the jar, its lib/ and models where it looks
        Matcher jar = Pattern.compile("jar=\"\\$here/([^\"]+)\"").matcher(read(SERVE_LAUNCHER));
        assertTrue(jar.find(), "the launcher no longer says where the jar is");
        Set<String> copied =
                runtime.stream()
                        .filter(i -> i.keyword().equals("COPY"))
                        .map(i -> lastToken(i.args()))
                        .collect(Collectors.toCollection(TreeSet::new));
        assertTrue(copied.contains(home + "/" + jar.group(1)), copied.toString());
        assertTrue(copied.contains(launcher), copied.toString());
        assertTrue(copied.contains(home + "/lib/"), copied.toString());
        // but no model: serve takes every camera's model from the models topic
        assertFalse(copied.contains(home + "/models/"), copied.toString());
        assertEquals(
                null, CanvasFlowConfig.builder().optEnvironment(imageEnv()).build().modelDir());
        assertTrue(CanvasFlowConfig.builder().optEnvironment(imageEnv()).build().modelsFollow());
        // and only serve's runtime comes from the build: its jar and its lib/
        List<String> fromBuild =
                runtime.stream()
                        .filter(
                                i ->
                                        i.keyword().equals("COPY")
                                                && i.args().contains("--from=build"))
                        .map(i -> withoutOptions(i.args()).split(" ")[0])
                        .toList();
        assertEquals(
                List.of(SERVE_DISTRIBUTION + "canvasflow-serve.jar", SERVE_DISTRIBUTION + "lib/"),
                fromBuild);
        // and both launchers carry the offline flags the README promises
        for (Path l : List.of(LAUNCHER, SERVE_LAUNCHER)) {
            assertTrue(
                    read(l).contains("-Dai.djl.offline=true -DOPT_OUT_TRACKING=true"),
                    l + ": launcher flags changed");
        }
    }

    @Test
    void shouldUnpackTheNativeLibraryAtBuildTimeByLoadingTheEngineWithoutABenchmark() {
        List<Instruction> runtime = runtimeStage();
        Map<String, String> env = imageEnv();
        String launcher = launcherInImage();
        String home = launcher.substring(0, launcher.lastIndexOf('/'));

        // A RUN of java after ENGINE_CACHE_DIR is set, on the image's lib/, of a class that exists
        // and only loads the engine, checking that the cache holds libtorch afterwards
        Instruction unpack =
                runtime.stream()
                        .filter(i -> i.keyword().equals("RUN") && i.args().startsWith("java "))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no RUN of java"));
        assertTrue(runtime.indexOf(unpack) > runtime.indexOf(last(runtime, "ENV")));
        String command = unpack.args().split("&&")[0].trim();
        assertTrue(command.contains("-cp \"" + home + "/lib/*\""), command);
        String mainClass = lastToken(command);
        assertEquals(EngineWarmUp.class.getName(), mainClass);
        assertTrue(
                command.contains("-Dai.djl.offline=true"), "the warm-up may go online: " + command);
        assertTrue(
                unpack.args().contains(env.get("ENGINE_CACHE_DIR") + "/pytorch/"),
                "the RUN does not check the engine cache: " + unpack.args());
        assertFalse(unpack.args().contains("bench"), "the image runs a benchmark to unpack");
        assertEveryVariableIsRead("Dockerfile ENV", env, env, true);
    }

    @Test
    void shouldHealthCheckTheApplicationsHealthPathOnItsPort() {
        List<Instruction> runtime = runtimeStage();
        CanvasFlowConfig image = CanvasFlowConfig.builder().optEnvironment(imageEnv()).build();

        Matcher url =
                Pattern.compile("http://[^:/\\s\"]+:(?:\\$\\{(\\w+):-(\\d+)}|(\\d+))(/[^\"\\s]*)")
                        .matcher(last(runtime, "HEALTHCHECK").args());
        assertTrue(url.find(), "no URL in HEALTHCHECK");
        String port = url.group(2) != null ? url.group(2) : url.group(3);

        assertEquals(HEALTH_PATH, url.group(4));
        assertEquals(image.httpPort(), Integer.parseInt(port));
        assertEquals(Integer.toString(image.httpPort()), last(runtime, "EXPOSE").args());
        if (url.group(1) != null) {
            // the variable in the URL is the one that moves the port
            assertEquals(
                    9999,
                    CanvasFlowConfig.builder()
                            .optEnvironment(Map.of(url.group(1), "9999"))
                            .build()
                            .httpPort());
        }
        // and the state volume is where the image's settings put the state directory
        assertEquals(image.stateDir(), last(runtime, "VOLUME").args());
    }

    @Test
    void shouldKeepBuildOutputsOutOfTheBuildContext() {
        List<String> ignored = read(ROOT.resolve(".dockerignore")).lines().toList();

        assertTrue(ignored.contains("**/target"), ignored.toString());
        assertTrue(ignored.contains(".git"), ignored.toString());
        assertFalse(ignored.contains("models"), "models/ must reach the cli image");
    }

    // ---------------------------------------------------------------------------------------
    // Compose

    @Test
    void shouldRunServeTwiceAgainstKafkaOfTheClientsVersion() {
        Map<String, Object> kafka = composeService("kafka");
        Map<String, Object> serve = composeService("serve");

        // Kafka is the official image of the clients' version
        assertEquals("apache/kafka:" + rootPomProperty("kafka.version"), kafka.get("image"));

        // serve: two replicas, built from the Dockerfile, every setting read
        assertEquals(2, map(serve.get("deploy")).get("replicas"));
        assertBuiltFromTheDockerfile(serve);
        Launch launch =
                new Launch(
                        "compose serve",
                        strings(serve.getOrDefault("command", List.of())),
                        merged(imageEnv(), env(serve)),
                        Map.of(),
                        env(serve));
        CanvasFlowConfig config = serveConfig(launch);
        assertNotEquals("", config.bootstrapServers());
        assertTrue(
                advertisedListeners(kafka)
                        .containsAll(List.of(config.bootstrapServers().split(","))),
                "serve's bootstrap servers are not among Kafka's advertised listeners");
        // both replicas get partitions, and the state stays on the image's volume
        assertTrue(config.topicPartitions() >= 2 * config.numStreamThreads());
        assertTrue(config.topicsCreate(), "nothing creates the topics");
        assertEquals(last(runtimeStage(), "VOLUME").args(), config.stateDir());
        // the image's /health check applies to serve
        assertFalse(serve.containsKey("healthcheck"), "serve overrides the image's HEALTHCHECK");
    }

    @Test
    void shouldGiveServeItsFirstModelThroughKafkaBeforeItStarts() {
        Map<String, Object> models = composeService("models");
        Map<String, Object> serve = composeService("serve");

        // A one-shot service of the command-line image publishes a shipped model, as the default
        assertBuiltFromTheDockerfile(models);
        assertEquals("cli", map(models.get("build")).get("target"));
        String[] args = strings(models.get("command")).toArray(String[]::new);
        assertPublishesAShippedModelAsTheDefault(parse(args));
        assertEquals(
                env(serve).get(CanvasFlowConfig.ENV_BOOTSTRAP_SERVERS),
                env(models).get(CanvasFlowConfig.ENV_BOOTSTRAP_SERVERS));

        // and serve starts after it did, with no model directory, following the models topic
        assertEquals(
                "service_completed_successfully",
                map(map(serve.get("depends_on")).get("models")).get("condition"));
        CanvasFlowConfig config =
                CanvasFlowConfig.builder().optEnvironment(merged(imageEnv(), env(serve))).build();
        assertEquals(null, config.modelDir());
        assertTrue(config.modelsFollow());
    }

    /**
     * The command publishes a model the cli image ships, and assigns it to every camera unless a
     * default is assigned: it runs again at every apply or {@code up}, and {@code --assign-default}
     * would take back the default an operator assigned since.
     */
    private static void assertPublishesAShippedModelAsTheDefault(ParseResult parsed) {
        assertEquals(List.of("models", "publish"), commandNames(parsed));
        ParseResult publish = parsed.subcommand().subcommand();
        assertEquals(
                List.of(true, false),
                List.of(
                        publish.hasMatchedOption("--assign-default-if-none"),
                        publish.hasMatchedOption("--assign-default")),
                "the model is not assigned only where no default is");
        Path inImage = publish.matchedPositionalValue(0, null);
        assertNotNull(inImage, "publish names no model directory");
        String shipped = "/opt/canvasflow/models/";
        assertTrue(
                dockerfile().stream()
                        .anyMatch(
                                i ->
                                        i.keyword().equals("COPY")
                                                && i.args().equals("models/ " + shipped)),
                "the cli image does not ship models/ at " + shipped);
        assertTrue(inImage.toString().startsWith(shipped), inImage.toString());
        Path inRepo =
                ROOT.resolve("models").resolve(inImage.toString().substring(shipped.length()));
        assertTrue(Files.isRegularFile(inRepo.resolve("model.json")), inRepo + " is not a model");
    }

    @Test
    void shouldPublishASyntheticCameraAndFollowMasksWithRealOptions() {
        String bootstrap = env(composeService("serve")).get(CanvasFlowConfig.ENV_BOOTSTRAP_SERVERS);

        for (String name : List.of("publish", "masks")) {
            Map<String, Object> service = composeService(name);
            assertBuiltFromTheDockerfile(service);
            // the serve image holds serve only: the clients come from the command-line stage
            assertEquals("cli", map(service.get("build")).get("target"), name);
            assertTrue(
                    dockerfile().stream()
                            .anyMatch(
                                    i ->
                                            i.keyword().equals("FROM")
                                                    && i.args().endsWith(" AS cli")),
                    "the Dockerfile has no cli stage");
            Map<String, String> env = env(service);
            // the serve image's variables are for serve (checked above)
            assertEveryVariableIsRead("compose " + name, env, env, false);
            assertEquals(bootstrap, env.get(PublishCommand.BOOTSTRAP_ENV), name);
            assertEquals(true, map(service.get("healthcheck")).get("disable"), name);

            ParseResult parsed = parse(strings(service.get("command")).toArray(String[]::new));
            assertEquals(List.of(name), commandNames(parsed));
            if (name.equals("publish")) {
                List<String> cameras = parsed.subcommand().matchedOptionValue("--camera", null);
                assertNotNull(cameras, "publish has no --camera");
                for (String camera : cameras) {
                    // ID=SOURCE
                    String source = camera.substring(camera.indexOf('=') + 1);
                    assertTrue(source.startsWith(FrameSources.SYNTHETIC_PREFIX), source);
                    try (FrameSource opened = FrameSources.open(source)) {
                        assertNotNull(opened, camera);
                    }
                }
            } else {
                Path out = parsed.subcommand().matchedOptionValue("--out", null);
                assertNotNull(out, "masks writes no overlays");
                assertTrue(
                        strings(service.get("volumes")).stream()
                                .anyMatch(v -> v.endsWith(":" + out)),
                        "masks --out is not on a volume");
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Kubernetes

    @Test
    void shouldParseEveryManifestAndReferenceEachFromAKustomization() throws IOException {
        Set<Path> referenced = new TreeSet<>();
        for (Path dir : List.of(K8S_BASE, K8S_GPU)) {
            Map<String, Object> k = kustomization(dir);
            Stream.of("resources", "patches", "configMapGenerator")
                    .flatMap(key -> list(k.getOrDefault(key, List.of())).stream())
                    .forEach(
                            entry -> {
                                if (entry instanceof String path) {
                                    referenced.add(dir.resolve(path).normalize());
                                } else if (map(entry).containsKey("path")) {
                                    referenced.add(
                                            dir.resolve((String) map(entry).get("path"))
                                                    .normalize());
                                } else {
                                    strings(map(entry).get("files"))
                                            .forEach(
                                                    f ->
                                                            referenced.add(
                                                                    dir.resolve(f).normalize()));
                                }
                            });
        }
        List<Path> yamls;
        try (Stream<Path> files = Stream.concat(Files.walk(K8S), Files.walk(COMPOSE.getParent()))) {
            yamls = files.filter(p -> p.toString().matches(".*\\.ya?ml$")).sorted().toList();
        }
        for (Path yaml : yamls) {
            List<Map<String, Object>> docs = yamlDocs(yaml);
            assertFalse(docs.isEmpty(), yaml + " is empty");
            boolean kustomization = yaml.getFileName().toString().startsWith("kustomization.");
            if (!kustomization && yaml.startsWith(K8S)) {
                assertTrue(referenced.contains(yaml), yaml + " is in no kustomization");
            }
        }
        referenced.forEach(p -> assertTrue(Files.exists(p), p + " is referenced but missing"));
        assertTrue(yamls.size() >= 6, yamls.toString());
    }

    @Test
    void shouldPublishTheFirstModelWithAJobOnTheSameCluster() {
        Map<String, Object> job = k8sResource(K8S_BASE, "Job");
        Map<String, Object> sts = k8sResource(K8S_BASE, "StatefulSet");
        Map<String, Object> container =
                map(list(map(podTemplate(job).get("spec")).get("containers")).get(0));

        // The Job runs the command-line image: it publishes a shipped model as the default
        assertEquals("canvasflow-cli", container.get("image"));
        assertTrue(
                list(kustomization(K8S_BASE).get("images")).stream()
                        .anyMatch(i -> "canvasflow-cli".equals(map(i).get("name"))),
                "the kustomization does not set the cli image");
        assertPublishesAShippedModelAsTheDefault(
                parse(strings(container.get("args")).toArray(String[]::new)));

        // on the cluster serve uses, and serve has no model directory
        CanvasFlowConfig config =
                serveConfig(k8sLaunch(K8S_BASE, sts, serveContainer(sts), List.of()));
        assertEquals(
                config.bootstrapServers(),
                env(container).get(CanvasFlowConfig.ENV_BOOTSTRAP_SERVERS));
        assertEquals(null, config.modelDir());
        assertTrue(config.modelsFollow());
    }

    @Test
    void shouldRunServeAsAStatefulSetWithAStateVolumeAndStaticMembershipPerPod() {
        Map<String, Object> sts = k8sResource(K8S_BASE, "StatefulSet");
        Map<String, Object> service = k8sResource(K8S_BASE, "Service");
        Map<String, Object> container = serveContainer(sts);
        String podName = metadataName(sts) + "-0";

        CanvasFlowConfig config = serveConfig(k8sLaunch(K8S_BASE, sts, container, List.of()));

        // The state directory is the PersistentVolumeClaim of the pod
        List<Object> claims = list(map(sts.get("spec")).get("volumeClaimTemplates"));
        assertEquals(1, claims.size());
        String claim = metadataName(map(claims.get(0)));
        assertEquals(mountPath(container, claim), config.stateDir());
        // group.instance.id is the pod name, and reaches each stream thread's consumer
        assertEquals(
                podName, config.kafkaProperties().get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG));
        StreamsConfig streams = new StreamsConfig(CanvasFlowTopology.streamsConfig(config));
        assertEquals(
                podName + "-1",
                streams.getMainConsumerConfigs(config.applicationId(), "client", 1)
                        .get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG));
        // the optional Secret becomes the SASL JAAS config
        assertEquals(
                "secret:canvasflow-kafka/sasl.jaas.config",
                config.kafkaProperties().get("sasl.jaas.config"));
        // the headless Service names the pods of this StatefulSet
        assertEquals(metadataName(service), map(sts.get("spec")).get("serviceName"));
        assertEquals("None", map(service.get("spec")).get("clusterIP"));
        // and keeps a pod that reads not ready (/health DOWN) reachable by name, to ask it why
        assertEquals(true, map(service.get("spec")).get("publishNotReadyAddresses"));
        assertEquals(
                podLabels(sts)
                        .entrySet()
                        .containsAll(map(map(service.get("spec")).get("selector")).entrySet()),
                true);
        // the pod runs as the image's user
        Matcher uid = Pattern.compile("--uid (\\d+)").matcher(read(DOCKERFILE));
        assertTrue(uid.find());
        assertEquals(
                Integer.parseInt(uid.group(1)),
                map(map(podSpec(sts)).get("securityContext")).get("runAsUser"));
    }

    @Test
    void shouldProbeAndScrapeTheApplicationsPathsOnItsPort() {
        Map<String, Object> sts = k8sResource(K8S_BASE, "StatefulSet");
        Map<String, Object> container = serveContainer(sts);
        CanvasFlowConfig config = serveConfig(k8sLaunch(K8S_BASE, sts, container, List.of()));
        Map<String, Integer> ports = containerPorts(container);

        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            Map<String, Object> get = map(map(container.get(probe)).get("httpGet"));
            assertEquals(
                    probe.equals("readinessProbe") ? HEALTH_PATH : LIVENESS_PATH,
                    get.get("path"),
                    probe);
            assertEquals(config.httpPort(), resolvePort(get.get("port"), ports), probe);
        }
        Map<String, Object> annotations =
                map(map(podTemplate(sts).get("metadata")).get("annotations"));
        assertEquals("true", annotations.get("prometheus.io/scrape"));
        assertEquals(METRICS_PATH, annotations.get("prometheus.io/path"));
        assertEquals(Integer.toString(config.httpPort()), annotations.get("prometheus.io/port"));
        Map<String, Object> servicePort =
                map(list(map(k8sResource(K8S_BASE, "Service").get("spec")).get("ports")).get(0));
        assertEquals(config.httpPort(), resolvePort(servicePort.get("targetPort"), ports));
    }

    @Test
    void shouldRequestAndLimitResourcesWithRoomBesideTheHeap() {
        Map<String, Object> container = serveContainer(k8sResource(K8S_BASE, "StatefulSet"));
        Map<String, Object> resources = map(container.get("resources"));
        Map<String, Object> requests = map(resources.get("requests"));
        Map<String, Object> limits = map(resources.get("limits"));
        String heap = env(container).get("CANVASFLOW_HEAP");

        assertNotNull(requests.get("cpu"));
        assertNotNull(limits.get("cpu"));
        assertNotNull(heap, "the launcher's 6g default heap would apply");
        // PyTorch and RocksDB live outside the heap
        assertTrue(bytes((String) requests.get("memory")) > bytes(heap));
        assertTrue(bytes((String) limits.get("memory")) >= bytes(heap) + bytes("1Gi"));
    }

    @Test
    void shouldSetOnlyRealSettingsInTheGpuOverlayAndSayItIsUntested() {
        Map<String, Object> sts = k8sResource(K8S_BASE, "StatefulSet");
        Map<String, Object> k = kustomization(K8S_GPU);
        Path patchFile = K8S_GPU.resolve((String) map(list(k.get("patches")).get(0)).get("path"));
        Map<String, Object> patch = yamlDocs(patchFile).get(0);
        Map<String, Object> patchContainer = serveContainer(patch);

        CanvasFlowConfig config =
                serveConfig(
                        k8sLaunch(
                                K8S_BASE,
                                sts,
                                serveContainer(sts),
                                list(patchContainer.get("env"))));

        assertEquals(List.of("../../base"), k.get("resources"));
        assertEquals(metadataName(sts), metadataName(patch));
        assertEquals(DeviceChoice.GPU, config.modelDevice());
        assertEquals(
                1, map(map(patchContainer.get("resources")).get("limits")).get("nvidia.com/gpu"));
        assertFalse(map(podSpec(patch).get("nodeSelector")).isEmpty());
        assertTrue(read(K8S_GPU.resolve("kustomization.yaml")).contains("UNTESTED"));
        assertTrue(read(patchFile).contains("UNTESTED"));
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void shouldAnswerTheManifestsProbeAndScrapePathsOnARunningInstance() throws Exception {
        // Given the Kubernetes settings, on an in-process broker, a local state dir and port
        Map<String, Object> sts = k8sResource(K8S_BASE, "StatefulSet");
        Map<String, Object> container = serveContainer(sts);
        CanvasFlowConfig manifest = serveConfig(k8sLaunch(K8S_BASE, sts, container, List.of()));
        // without the optional Secret: this broker is not secured
        Map<String, String> values = new LinkedHashMap<>(manifest.settings());
        values.putAll(manifest.kafkaProperties());
        values.remove("sasl.jaas.config");
        List<String> probePaths = new ArrayList<>();
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            probePaths.add((String) map(map(container.get(probe)).get("httpGet")).get("path"));
        }
        String scrapePath =
                (String)
                        map(map(podTemplate(sts).get("metadata")).get("annotations"))
                                .get("prometheus.io/path");
        HttpClient http = HttpClient.newHttpClient();

        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start()) {
            CanvasFlowConfig local =
                    CanvasFlowConfig.fromMap(values)
                            .with(CanvasFlowConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers())
                            .with(CanvasFlowConfig.TOPIC_REPLICATION, "1")
                            .with(StreamsConfig.REPLICATION_FACTOR_CONFIG, "1")
                            .with(CanvasFlowConfig.STATE_DIR, tmp.resolve("state").toString())
                            .with(CanvasFlowConfig.HTTP_PORT, "0")
                            .with(CanvasFlowConfig.MODEL_DEVICE, "cpu");
            // and the model published as the models Job does, the image having no model files
            Map<String, Object> job = k8sResource(K8S_BASE, "Job");
            List<String> publish =
                    new ArrayList<>(
                            strings(
                                    map(list(map(podTemplate(job).get("spec")).get("containers"))
                                                    .get(0))
                                            .get("args")));
            publish.set(2, ROOT.resolve("models/rnn").toString());
            // one broker here: the cluster's replication would not fit
            int replication = publish.indexOf("--replication");
            if (replication >= 0) {
                publish.set(replication + 1, "1");
            }
            publish.addAll(List.of("--bootstrap-servers", kafka.bootstrapServers()));
            assertEquals(
                    0,
                    new CommandLine(new CanvasflowCli()).execute(publish.toArray(String[]::new)));
            assertEquals(null, local.modelDir());

            // When the application runs
            try (CanvasFlowApp app = CanvasFlowApp.start(local)) {
                String base = "http://127.0.0.1:" + app.httpPort();
                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                List<Integer> probes = statuses(http, base, probePaths);
                while (!probes.stream().allMatch(s -> s == 200) && System.nanoTime() < deadline) {
                    Thread.sleep(500);
                    probes = statuses(http, base, probePaths);
                }
                HttpResponse<String> scrape = get(http, base + scrapePath);

                // Then every probe path answers 200 and the scrape path serves Prometheus text
                assertEquals(List.of(200, 200, 200), probes);
                assertEquals(200, scrape.statusCode());
                assertTrue(scrape.body().contains("# TYPE jvm_memory_used_bytes gauge"));
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // What the application, the launcher and DJL read

    /** A container: its command line after the launcher, its environment, its mounted files. */
    private record Launch(
            String where,
            List<String> args,
            Map<String, String> env,
            Map<String, String> files,
            Map<String, String> manifestEnv) {}

    /**
     * Loads the configuration {@code serve} would load in this container, asserting that every
     * variable, file property and command-line setting is read and lands unchanged.
     */
    private CanvasFlowConfig serveConfig(Launch launch) {
        assertEveryVariableIsRead(launch.where(), launch.env(), launch.manifestEnv(), true);
        // The image runs ServeCommand itself: the arguments are serve's own
        ParseResult serve = parseServe(launch.args().toArray(String[]::new));
        Set<String> known =
                Set.of(
                        "--config",
                        "-D",
                        "--bootstrap-servers",
                        "--model",
                        "--threads",
                        "--create-topics");
        serve.matchedOptions()
                .forEach(
                        o ->
                                assertTrue(
                                        known.contains(o.longestName()),
                                        launch.where() + ": unchecked option " + o.longestName()));

        // Expected values, later sources winning: file, environment, command line
        Map<String, String> expected = new LinkedHashMap<>();
        Path file = null;
        Path configPath = serve.matchedOptionValue("--config", null);
        if (configPath != null) {
            String content = launch.files().get(configPath.toString());
            assertNotNull(content, launch.where() + ": --config " + configPath + " is not mounted");
            file = write(tmp.resolve("config-" + Math.abs(launch.where().hashCode())), content);
            Properties properties = new Properties();
            assertDoesNotThrow(() -> properties.load(new StringReader(content)));
            properties
                    .stringPropertyNames()
                    .forEach(k -> expected.put(k, properties.getProperty(k)));
        }
        Map<String, String> fromEnv = new LinkedHashMap<>();
        launch.env()
                .forEach(
                        (name, value) -> {
                            String key = settingOf(name);
                            if (key != null) {
                                fromEnv.put(key, value);
                            }
                        });
        Map<String, String> overrides =
                new LinkedHashMap<>(serve.matchedOptionValue("-D", Map.of()));
        putIfMatched(serve, "--bootstrap-servers", CanvasFlowConfig.BOOTSTRAP_SERVERS, overrides);
        putIfMatched(serve, "--model", CanvasFlowConfig.MODEL_DIR, overrides);
        putIfMatched(serve, "--threads", CanvasFlowConfig.NUM_STREAM_THREADS, overrides);
        if (serve.hasMatchedOption("--create-topics")) {
            overrides.put(CanvasFlowConfig.TOPICS_CREATE, "true");
        }
        for (Map<String, String> later : List.of(fromEnv, overrides)) {
            later.forEach(
                    (key, value) -> {
                        String before = expected.get(key);
                        // a file value silently replaced by another source is a trap for whoever
                        // edits the file
                        assertTrue(
                                before == null || before.trim().equals(value.trim()),
                                launch.where()
                                        + ": "
                                        + key
                                        + "="
                                        + before
                                        + " in the file is"
                                        + " overridden by "
                                        + value);
                        expected.put(key, value);
                    });
        }

        Path configFile = file;
        CanvasFlowConfig config =
                assertDoesNotThrow(
                        () ->
                                CanvasFlowConfig.builder()
                                        .optFile(configFile)
                                        .optEnvironment(launch.env())
                                        .opt(overrides)
                                        .build(),
                        launch.where());
        expected.forEach((key, value) -> assertLanded(launch.where(), config, key, value));
        return config;
    }

    private static void putIfMatched(
            ParseResult serve, String option, String key, Map<String, String> overrides) {
        Object value = serve.matchedOptionValue(option, null);
        if (value != null) {
            overrides.put(key, value.toString());
        }
    }

    /** The setting a variable sets per CanvasFlowConfig's contract, or null for none. */
    private static String settingOf(String name) {
        if (name.equals(CanvasFlowConfig.ENV_BOOTSTRAP_SERVERS)) {
            return CanvasFlowConfig.BOOTSTRAP_SERVERS;
        }
        if (!name.startsWith(CanvasFlowConfig.ENV_PREFIX)) {
            return null;
        }
        String key =
                name.substring(CanvasFlowConfig.ENV_PREFIX.length())
                        .toLowerCase(Locale.ROOT)
                        .replace('_', '.');
        return CanvasFlowConfig.settingNames().contains(key)
                        || key.startsWith(CanvasFlowConfig.KAFKA_PREFIX)
                ? key
                : null;
    }

    private static void assertLanded(
            String where, CanvasFlowConfig config, String key, String value) {
        String name = key.trim();
        String stripped =
                name.startsWith(CanvasFlowConfig.KAFKA_PREFIX)
                        ? name.substring(CanvasFlowConfig.KAFKA_PREFIX.length())
                        : name;
        String actual =
                CanvasFlowConfig.settingNames().contains(stripped)
                        ? config.settings().get(stripped)
                        : config.kafkaProperties().get(stripped);
        String want = CanvasFlowConfig.settingNames().contains(stripped) ? value.trim() : value;
        assertEquals(want, actual, where + ": " + key + " was not read as set");
    }

    /**
     * Every variable is a CanvasFlow setting (only where {@code serve} runs), read by the launcher
     * or by DJL, or only referenced by another variable as {@code $(NAME)}.
     */
    private void assertEveryVariableIsRead(
            String where, Map<String, String> env, Map<String, String> manifestEnv, boolean serve) {
        String launcher = read(serve ? SERVE_LAUNCHER : LAUNCHER);
        for (Map.Entry<String, String> e : env.entrySet()) {
            String name = e.getKey();
            String what = where + ": " + name;
            if (settingOf(name) != null
                    && (serve || name.equals(CanvasFlowConfig.ENV_BOOTSTRAP_SERVERS))) {
                continue;
            }
            if (!serve && name.equals(PublishCommand.BOOTSTRAP_ENV)) {
                continue;
            }
            if (LAUNCHER_ENV.contains(name)) {
                assertTrue(launcher.contains("${" + name), what + " is not read by the launcher");
                if (name.equals("JAVA_OPTS")) {
                    assertJvmPropertiesAreRead(what, e.getValue());
                }
                continue;
            }
            if (DJL_ENV.containsKey(name)) {
                assertClassMentions(DJL_ENV.get(name), name);
                continue;
            }
            boolean referenced =
                    manifestEnv.values().stream()
                            .anyMatch(v -> v != null && v.contains("$(" + name + ")"));
            assertTrue(referenced, what + " is read by nothing");
        }
    }

    private void assertJvmPropertiesAreRead(String where, String javaOpts) {
        for (String flag : javaOpts.trim().split("\\s+")) {
            assertTrue(flag.startsWith("-D"), where + ": unexpected JVM flag " + flag);
            String property = flag.substring(2).split("=", 2)[0];
            assertTrue(
                    JVM_PROPERTIES.containsKey(property),
                    where
                            + ": -D"
                            + property
                            + " is read by nothing (CanvasFlow settings are not"
                            + " JVM system properties)");
            assertClassMentions(JVM_PROPERTIES.get(property), property);
        }
    }

    /** The class that reads a name holds it as a constant. */
    private void assertClassMentions(String classResource, String name) {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(classResource)) {
            assertNotNull(in, classResource + " is not on the class path");
            String constants = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(constants.contains(name), classResource + " does not read " + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ParseResult parse(String... args) {
        try {
            return new CommandLine(new CanvasflowCli()).parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            return fail("canvasflow " + String.join(" ", args) + ": " + e.getMessage());
        }
    }

    private static ParseResult parseServe(String... args) {
        try {
            return new CommandLine(new ServeCommand()).parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            return fail("canvasflow-serve " + String.join(" ", args) + ": " + e.getMessage());
        }
    }

    private static List<String> commandNames(ParseResult parsed) {
        List<String> names = new ArrayList<>();
        for (ParseResult p = parsed.subcommand(); p != null; p = p.subcommand()) {
            names.add(p.commandSpec().name());
        }
        return names;
    }

    // ---------------------------------------------------------------------------------------
    // Kubernetes reading

    private static Map<String, Object> kustomization(Path dir) {
        return yamlDocs(dir.resolve("kustomization.yaml")).get(0);
    }

    private static Map<String, Object> k8sResource(Path dir, String kind) {
        List<Map<String, Object>> found = new ArrayList<>();
        for (Object resource : list(kustomization(dir).get("resources"))) {
            Path path = dir.resolve((String) resource).normalize();
            if (Files.isRegularFile(path)) {
                yamlDocs(path).stream().filter(d -> kind.equals(d.get("kind"))).forEach(found::add);
            }
        }
        assertEquals(1, found.size(), "one " + kind + " in " + dir);
        return found.get(0);
    }

    /** ConfigMap name to its files (key to content), from the kustomization's generator. */
    private static Map<String, Map<String, String>> generatedConfigMaps(Path dir) {
        Map<String, Map<String, String>> maps = new LinkedHashMap<>();
        for (Object generator :
                list(kustomization(dir).getOrDefault("configMapGenerator", List.of()))) {
            Map<String, String> files = new LinkedHashMap<>();
            for (String entry : strings(map(generator).get("files"))) {
                String[] keyAndFile = entry.contains("=") ? entry.split("=", 2) : null;
                String source = keyAndFile == null ? entry : keyAndFile[1];
                String key =
                        keyAndFile == null
                                ? Path.of(entry).getFileName().toString()
                                : keyAndFile[0];
                files.put(key, read(dir.resolve(source)));
            }
            maps.put((String) map(generator).get("name"), files);
        }
        return maps;
    }

    /**
     * The launch of a StatefulSet's container on pod 0: the image's ENTRYPOINT stays (no {@code
     * command}), variables resolved as Kubernetes does, plus the variables of an overlay patch.
     */
    private Launch k8sLaunch(
            Path dir,
            Map<String, Object> sts,
            Map<String, Object> container,
            List<Object> patchEnv) {
        assertFalse(container.containsKey("command"), "the command replaces the launcher");
        String podName = metadataName(sts) + "-0";
        List<Object> entries = new ArrayList<>(list(container.getOrDefault("env", List.of())));
        for (Object patched : patchEnv) {
            entries.removeIf(e -> map(e).get("name").equals(map(patched).get("name")));
            entries.add(patched);
        }
        Map<String, String> raw = new LinkedHashMap<>();
        Map<String, String> resolved = new LinkedHashMap<>();
        for (Object entry : entries) {
            Map<String, Object> e = map(entry);
            String name = (String) e.get("name");
            String value;
            if (e.containsKey("value")) {
                value = String.valueOf(e.get("value"));
                raw.put(name, value);
                Matcher ref = Pattern.compile("\\$\\((\\w+)\\)").matcher(value);
                value =
                        ref.replaceAll(
                                m ->
                                        Matcher.quoteReplacement(
                                                resolved.getOrDefault(m.group(1), m.group())));
            } else {
                Map<String, Object> from = map(e.get("valueFrom"));
                if (from.containsKey("fieldRef")) {
                    assertEquals("metadata.name", map(from.get("fieldRef")).get("fieldPath"));
                    value = podName;
                } else {
                    Map<String, Object> secret = map(from.get("secretKeyRef"));
                    value = "secret:" + secret.get("name") + "/" + secret.get("key");
                }
                raw.put(name, null);
            }
            resolved.put(name, value);
        }
        Map<String, Map<String, String>> configMaps = generatedConfigMaps(dir);
        Map<String, String> files = new LinkedHashMap<>();
        for (Object volume : list(podSpec(sts).getOrDefault("volumes", List.of()))) {
            Map<String, Object> v = map(volume);
            if (v.containsKey("configMap")) {
                String configMap = (String) map(v.get("configMap")).get("name");
                Map<String, String> content = configMaps.get(configMap);
                assertNotNull(content, "ConfigMap " + configMap + " is not generated");
                String mount = mountPath(container, (String) v.get("name"));
                content.forEach((key, text) -> files.put(mount + "/" + key, text));
            }
        }
        return new Launch(
                "k8s " + dir.getFileName() + (patchEnv.isEmpty() ? "" : " with an overlay's env"),
                strings(container.get("args")),
                merged(imageEnv(), resolved),
                files,
                raw);
    }

    private static Map<String, Object> podTemplate(Map<String, Object> sts) {
        return map(map(sts.get("spec")).get("template"));
    }

    private static Map<String, Object> podSpec(Map<String, Object> sts) {
        return map(podTemplate(sts).get("spec"));
    }

    private static Map<String, String> podLabels(Map<String, Object> sts) {
        Map<String, String> labels = new LinkedHashMap<>();
        map(map(podTemplate(sts).get("metadata")).get("labels"))
                .forEach((k, v) -> labels.put(k, String.valueOf(v)));
        return labels;
    }

    private static Map<String, Object> serveContainer(Map<String, Object> sts) {
        List<Object> containers = list(podSpec(sts).get("containers"));
        assertEquals(1, containers.size());
        return map(containers.get(0));
    }

    private static String metadataName(Map<String, Object> resource) {
        return (String) map(resource.get("metadata")).get("name");
    }

    private static String mountPath(Map<String, Object> container, String volume) {
        return list(container.get("volumeMounts")).stream()
                .map(YamlFiles::map)
                .filter(m -> volume.equals(m.get("name")))
                .map(m -> (String) m.get("mountPath"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("volume " + volume + " is not mounted"));
    }

    private static Map<String, Integer> containerPorts(Map<String, Object> container) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        list(container.get("ports"))
                .forEach(
                        p ->
                                ports.put(
                                        (String) map(p).get("name"),
                                        (Integer) map(p).get("containerPort")));
        return ports;
    }

    private static int resolvePort(Object port, Map<String, Integer> named) {
        if (port instanceof Integer number) {
            return number;
        }
        assertTrue(named.containsKey(port), "no container port named " + port);
        return named.get(port);
    }

    private static Map<String, String> env(Map<String, Object> containerOrService) {
        Map<String, String> env = new LinkedHashMap<>();
        Object entries = containerOrService.get("environment");
        if (entries == null) {
            entries = containerOrService.getOrDefault("env", List.of());
        }
        if (entries instanceof Map<?, ?> m) {
            m.forEach((k, v) -> env.put((String) k, String.valueOf(v)));
        } else {
            for (Object entry : list(entries)) {
                Map<String, Object> e = map(entry);
                env.put(
                        (String) e.get("name"),
                        e.containsKey("value") ? String.valueOf(e.get("value")) : null);
            }
        }
        return env;
    }

    // ---------------------------------------------------------------------------------------
    // Compose reading

    private static Map<String, Object> compose() {
        return yamlDocs(COMPOSE).get(0);
    }

    /** A service of the Compose file, by name. */
    private static Map<String, Object> composeService(String name) {
        return map(map(compose().get("services")).get(name));
    }

    private static void assertBuiltFromTheDockerfile(Map<String, Object> service) {
        Map<String, Object> build = map(service.get("build"));
        Path context = COMPOSE.getParent().resolve((String) build.get("context")).normalize();
        assertEquals(ROOT, context);
        assertEquals(DOCKERFILE, context.resolve((String) build.get("dockerfile")));
    }

    private static List<String> advertisedListeners(Map<String, Object> kafka) {
        String listeners = env(kafka).get("KAFKA_ADVERTISED_LISTENERS");
        return Stream.of(listeners.split(",")).map(l -> l.substring(l.indexOf("://") + 3)).toList();
    }

    // ---------------------------------------------------------------------------------------
    // Dockerfile, README, launcher and pom reading

    private record Instruction(int stage, String keyword, String args) {}

    private static List<Instruction> dockerfile() {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int stage = -1;
        for (String line : read(DOCKERFILE).lines().toList()) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            String logical = current.toString().replaceAll("\\s+", " ");
            current.setLength(0);
            String[] parts = logical.split(" ", 2);
            String keyword = parts[0].toUpperCase(Locale.ROOT);
            if (keyword.equals("FROM")) {
                stage++;
            }
            instructions.add(new Instruction(stage, keyword, parts.length > 1 ? parts[1] : ""));
        }
        return instructions;
    }

    private static List<Instruction> runtimeStage() {
        List<Instruction> all = dockerfile();
        int lastStage = all.get(all.size() - 1).stage();
        return all.stream().filter(i -> i.stage() == lastStage).toList();
    }

    /** The runtime stage's ENV, in order. */
    private static Map<String, String> imageEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        for (Instruction i : runtimeStage()) {
            if (i.keyword().equals("ENV")) {
                for (String pair : i.args().split(" ")) {
                    String[] kv = pair.split("=", 2);
                    env.put(kv[0], kv[1].replaceAll("^\"|\"$", ""));
                }
            }
        }
        return env;
    }

    private static String launcherInImage() {
        List<Object> entrypoint = list(new Yaml().load(last(runtimeStage(), "ENTRYPOINT").args()));
        assertEquals(1, entrypoint.size(), "ENTRYPOINT is not just the launcher");
        String launcher = (String) entrypoint.get(0);
        assertTrue(launcher.endsWith("/" + SERVE_LAUNCHER.getFileName()), launcher);
        return launcher;
    }

    private static Instruction first(List<Instruction> instructions, String keyword) {
        return instructions.stream()
                .filter(i -> i.keyword().equals(keyword))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + keyword));
    }

    private static Instruction last(List<Instruction> instructions, String keyword) {
        Instruction found = null;
        for (Instruction i : instructions) {
            if (i.keyword().equals(keyword)) {
                found = i;
            }
        }
        assertNotNull(found, "no " + keyword);
        return found;
    }

    private static String withoutOptions(String args) {
        return Stream.of(args.split(" "))
                .dropWhile(t -> t.startsWith("--"))
                .collect(Collectors.joining(" "));
    }

    private static String lastToken(String args) {
        String[] tokens = args.split(" ");
        return tokens[tokens.length - 1];
    }

    /** The Maven command of the README's build line ({@code mvn ... install ... && ...}). */
    private static String readmeBuildCommand() {
        Matcher m =
                Pattern.compile("(?m)^\\s*(mvn\\s[^&#\\n]*\\binstall\\b[^&#\\n]*?)\\s*(?:&&.*)?$")
                        .matcher(read(ROOT.resolve("README.md")));
        assertTrue(m.find(), "no build command in the README");
        return m.group(1).trim().replaceAll("\\s+", " ");
    }

    private static String rootPomProperty(String name) {
        Matcher m =
                Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</")
                        .matcher(read(ROOT.resolve("pom.xml")));
        assertTrue(m.find(), name + " is not in the root pom");
        return m.group(1).trim();
    }

    // ---------------------------------------------------------------------------------------
    // Small helpers

    private static List<String> strings(Object o) {
        return list(o).stream().map(String::valueOf).toList();
    }

    private static Map<String, String> merged(Map<String, String> a, Map<String, String> b) {
        Map<String, String> m = new LinkedHashMap<>(a);
        m.putAll(b);
        return m;
    }

    /** Bytes of a Kubernetes quantity (4Gi, 512Mi) or a JVM size (2g, 1536m). */
    private static long bytes(String size) {
        Matcher m = Pattern.compile("(\\d+)([KMGkmg])i?").matcher(size.trim());
        assertTrue(m.matches(), "unreadable size " + size);
        int shift =
                switch (Character.toUpperCase(m.group(2).charAt(0))) {
                    case 'K' -> 10;
                    case 'M' -> 20;
                    default -> 30;
                };
        return Long.parseLong(m.group(1)) << shift;
    }

    private static List<Integer> statuses(HttpClient http, String base, List<String> paths)
            throws IOException, InterruptedException {
        List<Integer> statuses = new ArrayList<>();
        for (String path : paths) {
            statuses.add(get(http, base + path).statusCode());
        }
        return statuses;
    }

    private static HttpResponse<String> get(HttpClient http, String url)
            throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Path write(Path file, String content) {
        try {
            return Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
