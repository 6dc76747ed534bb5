package io.canvasflow.registry;

import io.canvasflow.cli.options.BaseCommand;
import io.canvasflow.cli.options.CameraIds;
import io.canvasflow.cli.options.CommandConfigOptions;
import io.canvasflow.cli.options.KafkaOptions;
import io.canvasflow.model.ModelLoadException;
import io.canvasflow.model.ModelSpec;
import io.canvasflow.model.SegmentationModel;
import io.canvasflow.schemas.avro.AssignmentScope;
import io.canvasflow.schemas.avro.ModelAssignment;
import io.canvasflow.schemas.avro.ModelError;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code canvasflow models}: the model registry on Kafka.
 *
 * <pre>
 * canvasflow models publish models/rnn --bootstrap-servers localhost:9092
 * canvasflow models assign --camera cam-1 --model canvasflow-rnn-vtest-59bf7d10673a
 * canvasflow models assign --default --model canvasflow-rnn-synthetic-516d5821e8e9
 * canvasflow models list
 * </pre>
 */
@Command(
        name = "models",
        description = "Publish models to Kafka, assign them to cameras, list and remove them.",
        subcommands = {
            ModelsCommand.Publish.class,
            ModelsCommand.ListVersions.class,
            ModelsCommand.Remove.class,
            ModelsCommand.Assign.class,
            ModelsCommand.Unassign.class,
            ModelsCommand.Assignments.class
        })
public final class ModelsCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** The options every subcommand shares: the cluster and the registry topics. */
    public static final class RegistryOptions {

        @Mixin KafkaOptions kafkaOptions;

        @Mixin CommandConfigOptions commandConfig;

        @Option(
                names = "--models-topic",
                paramLabel = "NAME",
                description = "Models topic (default: models).")
        String modelsTopic;

        @Option(
                names = "--assignments-topic",
                paramLabel = "NAME",
                description = "Assignments topic (default: model-assignments).")
        String assignmentsTopic;

        @Option(
                names = "--errors-topic",
                paramLabel = "NAME",
                description =
                        "Where serve instances report the versions they refuse, serve's"
                                + " topic.model.errors (default: model-errors).")
        String errorsTopic;

        /**
         * The client of the cluster the options name.
         *
         * @param topicsMustExist whether the registry topics must be there already: all but {@code
         *     publish}, which creates them. A mistyped topic name would otherwise be created by a
         *     cluster that makes topics on first use, not compacted, and read as an empty registry.
         */
        ModelRegistryClient client(boolean topicsMustExist) {
            ModelRegistryClient.RegistryTopics topics =
                    RegistryTopicNames.of(modelsTopic, assignmentsTopic, errorsTopic);
            String servers = kafkaOptions.bootstrapServersOr(System.getenv());
            if (servers == null) {
                throw new ModelRegistryException(
                        "no Kafka bootstrap servers: pass --bootstrap-servers HOST:PORT or set "
                                + KafkaOptions.BOOTSTRAP_ENV);
            }
            Map<String, String> client;
            String unreachable;
            try {
                client = commandConfig.client(servers);
                // Without this, an absent cluster is a minute of client retries and a trace.
                unreachable =
                        KafkaOptions.preflight(
                                servers,
                                client,
                                topicsMustExist
                                        ? List.of(topics.models(), topics.assignments())
                                        : List.of(),
                                "check the topic names, or publish a model first with `canvasflow"
                                        + " models publish DIR`, which creates the registry"
                                        + " topics");
            } catch (IllegalArgumentException e) {
                throw new ModelRegistryException(e.getMessage());
            }
            if (unreachable != null) {
                throw new ModelRegistryException(unreachable);
            }
            return new ModelRegistryClient(new HashMap<>(client), topics);
        }
    }

    /**
     * A {@code models} subcommand: the cluster and topic options, and its work, where a registry
     * error or a bad model directory is one line on standard error and status 2.
     */
    abstract static class RegistryCommand extends BaseCommand {

        @Mixin RegistryOptions registry;

        @Spec CommandSpec spec;

        /** The subcommand's work against the cluster the options name. */
        abstract void run(ModelRegistryClient client, PrintWriter out);

        /** Whether the subcommand creates the registry topics itself ({@code publish}). */
        boolean createsTopics() {
            return false;
        }

        /** Refuses the subcommand's own options that are wrong, before the cluster is asked. */
        void checkOptions() {}

        @Override
        public final Integer call() {
            try {
                checkOptions();
                ModelRegistryClient client = registry.client(!createsTopics());
                // Before anything is read: a topic of another kind (frames, cleanup.policy=delete)
                // is one sentence, not a warning per record first. A topic that is not there yet
                // passes; publish checks again the topics it makes.
                client.checkKept();
                run(client, out());
                out().flush();
                return 0;
            } catch (ModelRegistryException | ModelLoadException e) {
                err().println("canvasflow models " + spec.name() + ": " + e.getMessage());
                err().flush();
                return 2;
            }
        }
    }

    /** {@code models publish DIR}. */
    @Command(name = "publish", description = "Publish a model directory to the models topic.")
    static final class Publish extends RegistryCommand {

        /** The largest chunk: its record, with the key and the Avro envelope, stays under 1 MiB. */
        static final int MAX_CHUNK_BYTES = 1_000_000;

        @Parameters(
                paramLabel = "DIR",
                description = "The model directory (model.json and its parameters).")
        Path dir;

        @Option(
                names = "--chunk-bytes",
                defaultValue = "" + ModelPublication.DEFAULT_CHUNK_BYTES,
                paramLabel = "N",
                description =
                        "Largest chunk, under the topic's max.message.bytes (default:"
                                + " ${DEFAULT-VALUE}).")
        int chunkBytes;

        @Option(
                names = "--replication",
                defaultValue = "1",
                paramLabel = "N",
                description =
                        "Replicas of the registry topics when this creates them; they hold the only"
                                + " copy of each model, so use 3 on a production cluster (default:"
                                + " ${DEFAULT-VALUE}).")
        short replication;

        @Option(
                names = "--assign-default",
                description =
                        "Then assign it to every camera nothing else covers, replacing any default"
                                + " assigned before.")
        boolean assignDefault;

        @Option(
                names = "--assign-default-if-none",
                description =
                        "Then assign it to every camera nothing else covers only if no default is"
                                + " assigned yet (a deployment's first model: safe to run again).")
        boolean assignDefaultIfNone;

        @Override
        boolean createsTopics() {
            return true;
        }

        @Override
        void checkOptions() {
            // A chunk and its envelope must fit Kafka's default 1 MiB record and request limits.
            if (chunkBytes < ModelCatalog.MIN_CHUNK_BYTES || chunkBytes > MAX_CHUNK_BYTES) {
                throw new ModelRegistryException(
                        "--chunk-bytes "
                                + chunkBytes
                                + " is out of range: use 1024 to "
                                + MAX_CHUNK_BYTES
                                + " (Kafka's default record limit is 1 MiB)");
            }
            if (replication < 1) {
                throw new ModelRegistryException(
                        "--replication " + replication + " is out of range: use 1 or more");
            }
            if (assignDefault && assignDefaultIfNone) {
                throw new ModelRegistryException(
                        "--assign-default and --assign-default-if-none are exclusive: pass"
                                + " --assign-default to replace the default, or"
                                + " --assign-default-if-none to keep one already assigned");
            }
        }

        @Override
        void run(ModelRegistryClient client, PrintWriter out) {
            // Loaded once here, so that parameters that do not fit the network (a model.json of
            // another architecture, with the parameter file's digest) are refused now, not by
            // every serve instance after it was assigned.
            SegmentationModel.load(dir).close();
            ModelPublication publication = ModelPublication.read(dir, chunkBytes);
            refuseAnotherModelUnder(dir, publication, client.read());
            // Refused before any topic is made, else the topics it made are gone again
            client.publishCreatingTopics(publication, replication)
                    .forEach(name -> out.println("created topic " + name));
            out.printf(
                    "published %s: %d bytes in %d chunks, SHA-256 %s%n",
                    publication.version(),
                    publication.parametersBytes(),
                    publication.chunks().size(),
                    publication.manifest().getParametersSha256());
            if (assignDefaultIfNone) {
                // Read again, to its end, now: a default assigned while this one published counts
                ModelAssignment before = defaultAssignment(client.read());
                if (before != null) {
                    // A re-run (a Job re-applied, `docker compose up`) keeps the operator's choice
                    out.printf(
                            "left the default alone: it is %s, assigned %s by %s%n",
                            before.getModelVersion(),
                            before.getAssignedAt(),
                            before.getAssignedBy());
                    return;
                }
            }
            if (assignDefault || assignDefaultIfNone) {
                client.assign(AssignmentScope.DEFAULT, null, publication.version());
                out.printf("assigned %s to default%n", publication.version());
            }
        }

        /** The default assignment, or null when there is none. */
        private static ModelAssignment defaultAssignment(ModelCatalog catalog) {
            return catalog.assignments().stream()
                    .filter(a -> a.getScope() == AssignmentScope.DEFAULT)
                    .findFirst()
                    .orElse(null);
        }
    }

    /**
     * Refuses a model whose version is published with another model.json or other parameters: the
     * version is a name in model.json, kept when model.json is edited, so an edited one (class
     * names, colours, iterations) would publish under the same name, and the instances that have
     * the version loaded would go on serving the old one.
     */
    static void refuseAnotherModelUnder(
            Path dir, ModelPublication publication, ModelCatalog catalog) {
        String version = publication.version();
        for (ModelCatalog.Version v : catalog.versions()) {
            if (v.version().equals(version)
                    && !ModelCatalog.sameModel(v.manifest(), publication.manifest())) {
                throw new ModelRegistryException(
                        "model "
                                + version
                                + " is already published with another model.json or other"
                                + " parameters; give this one another \"version\" in "
                                + dir.resolve(ModelSpec.FILE_NAME)
                                + ", or remove the published one first (`canvasflow models"
                                + " remove "
                                + version
                                + "`)");
            }
        }
    }

    /**
     * A version's last column in the list: its classes, then its lineage as model.json records it
     * (see {@link #lineage(ModelSpec)}); "" when model.json could not be read.
     */
    static String classesAndLineage(ModelSpec spec) {
        if (spec == null) {
            return "";
        }
        String lineage = lineage(spec);
        return String.join(",", spec.classNames()) + (lineage.isEmpty() ? "" : " " + lineage);
    }

    /**
     * A model's lineage, from its model.json: the model it was fine-tuned from ({@code
     * fineTunedFrom}), where its labels came from ({@code metrics.lineage}: source, teacher,
     * camera, frames, class map, held-out range) and its class weights ({@code classWeights}), in
     * that order; "" for a model that records none. The labels' classes are left out where they are
     * the model's own, which the list shows already.
     */
    static String lineage(ModelSpec spec) {
        Map<String, Object> metrics = spec.metrics() == null ? Map.of() : spec.metrics();
        Map<Object, Object> shown = new LinkedHashMap<>();
        if (metrics.get("fineTunedFrom") != null) {
            shown.put("fineTunedFrom", metrics.get("fineTunedFrom"));
        }
        Object data = metrics.get("lineage");
        if (data instanceof Map<?, ?> map) {
            map.forEach(
                    (k, v) -> {
                        if (!("classes".equals(k) && spec.classNames().equals(v))) {
                            shown.put(k, v);
                        }
                    });
        } else if (data != null) {
            shown.put("lineage", data);
        }
        if (metrics.get("classWeights") != null) {
            shown.put("classWeights", metrics.get("classWeights"));
        }
        return shown.isEmpty() ? "" : asWritten(shown);
    }

    /**
     * A value of model.json as it was written: Gson reads every number as a double, so a whole
     * number is written without its ".0" ({@code frames=570}), in maps and lists too.
     */
    static String asWritten(Object value) {
        if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        if (value instanceof Map<?, ?> map) {
            List<String> parts = new ArrayList<>();
            map.forEach((k, v) -> parts.add(k + "=" + asWritten(v)));
            return "{" + String.join(", ", parts) + "}";
        }
        if (value instanceof List<?> list) {
            return "["
                    + String.join(", ", list.stream().map(ModelsCommand::asWritten).toList())
                    + "]";
        }
        return String.valueOf(value);
    }

    /** {@code models list}. */
    @Command(name = "list", description = "List the published versions.")
    static final class ListVersions extends RegistryCommand {

        private static final String ROW = "%-44s %-28s %-9s %10s %-24s %-10s %s%n";

        @Override
        void run(ModelRegistryClient client, PrintWriter out) {
            // read first: a registry that cannot be read prints its sentence and no header
            ModelRegistryClient.Snapshot registry = client.readWithRefusals();
            List<ModelCatalog.Version> versions = registry.catalog().versions();
            out.printf(
                    ROW,
                    "VERSION",
                    "MODEL ID",
                    "INPUT",
                    "BYTES",
                    "PUBLISHED",
                    "STATUS",
                    "CLASSES / LINEAGE");
            for (ModelCatalog.Version v : versions) {
                ModelSpec spec = v.spec();
                out.printf(
                        ROW,
                        v.version(),
                        spec == null ? "?" : spec.modelId(),
                        spec == null ? "?" : spec.input().width() + "x" + spec.input().height(),
                        v.manifest().getParametersBytes(),
                        v.manifest().getPublishedAt(),
                        v.status(),
                        classesAndLineage(spec));
                List<ModelError> refusals = registry.refusals().of(v.version(), v.manifest());
                if (!refusals.isEmpty()) {
                    out.println("  " + ReportedRefusals.describe(refusals));
                }
            }
        }
    }

    /** {@code models remove VERSION}. */
    @Command(name = "remove", description = "Remove a version that no assignment names.")
    static final class Remove extends RegistryCommand {

        @Parameters(paramLabel = "VERSION", description = "The version to remove.")
        String version;

        @Override
        void run(ModelRegistryClient client, PrintWriter out) {
            client.remove(version, client.read());
            out.printf("removed %s%n", version);
        }
    }

    /** Which cameras an assignment covers: exactly one of the three. */
    static final class Scope {
        @Option(names = "--camera", paramLabel = "ID", description = "One camera.")
        String camera;

        @Option(
                names = "--camera-pattern",
                paramLabel = "REGEX",
                description = "Every camera whose whole id matches (Java regular expression).")
        String pattern;

        @Option(names = "--default", description = "Every camera nothing else covers.")
        boolean isDefault;

        AssignmentScope scope() {
            return camera != null
                    ? AssignmentScope.CAMERA
                    : pattern != null ? AssignmentScope.PATTERN : AssignmentScope.DEFAULT;
        }

        String target() {
            if (pattern != null) {
                try {
                    Pattern.compile(pattern);
                } catch (PatternSyntaxException e) {
                    throw new ModelRegistryException(
                            "--camera-pattern "
                                    + pattern
                                    + " is not a regular expression: "
                                    + e.getDescription());
                }
            }
            return camera != null ? camera : pattern;
        }

        String key() {
            return ModelKeys.assignment(scope(), target());
        }
    }

    /** {@code models assign}. */
    @Command(name = "assign", description = "Assign a published version to cameras.")
    static final class Assign extends RegistryCommand {

        @ArgGroup(exclusive = true, multiplicity = "1")
        Scope scope;

        @Option(
                names = "--model",
                required = true,
                paramLabel = "VERSION",
                description = "The version to serve.")
        String version;

        /**
         * A camera id is one {@code publish --camera} takes ({@link CameraIds}): serve would
         * dead-letter every frame of a longer one, and no camera is published under a blank one.
         * Unassign takes any, so that an assignment made before this check can be removed.
         */
        @Override
        void checkOptions() {
            String problem = scope.camera == null ? null : CameraIds.problem(scope.camera);
            if (problem != null) {
                throw new ModelRegistryException(
                        "--camera: the id '" + CameraIds.shown(scope.camera) + "' " + problem);
            }
            scope.target(); // a pattern that does not compile
        }

        @Override
        void run(ModelRegistryClient client, PrintWriter out) {
            String key = scope.key();
            ModelRegistryClient.Snapshot registry = client.readWithRefusals();
            ModelCatalog catalog = registry.catalog();
            if (!catalog.isComplete(version)) {
                throw new ModelRegistryException(
                        "model "
                                + version
                                + (catalog.isPublished(version)
                                        ? " is incomplete on the models topic; publish it again"
                                        : " is not published; `canvasflow models publish DIR`"
                                                + " first"));
            }
            client.assign(scope.scope(), scope.target(), version);
            out.printf("assigned %s to %s%n", version, key);
            // Assigned all the same: an instance that refused it keeps serving its last good model.
            catalog.versions().stream()
                    .filter(v -> v.version().equals(version))
                    .map(v -> registry.refusals().of(version, v.manifest()))
                    .filter(refusals -> !refusals.isEmpty())
                    .findFirst()
                    .ifPresent(
                            refusals -> {
                                err().println(
                                                "canvasflow models assign: model "
                                                        + version
                                                        + " was "
                                                        + ReportedRefusals.describe(refusals)
                                                        + "; assigned all the same: on those"
                                                        + " instances its cameras keep their last"
                                                        + " good model until it is published"
                                                        + " again");
                                err().flush();
                            });
        }
    }

    /** {@code models unassign}. */
    @Command(name = "unassign", description = "Remove an assignment.")
    static final class Unassign extends RegistryCommand {

        @ArgGroup(exclusive = true, multiplicity = "1")
        Scope scope;

        @Override
        void run(ModelRegistryClient client, PrintWriter out) {
            String key = scope.key();
            // a typo would otherwise be a tombstone for nothing and "unassigned" said
            boolean assigned =
                    client.read().assignments().stream()
                            .anyMatch(
                                    a ->
                                            ModelKeys.assignment(a.getScope(), a.getTarget())
                                                    .equals(key));
            if (!assigned) {
                throw new ModelRegistryException(
                        "there is no assignment "
                                + key
                                + " to remove; `canvasflow models assignments` lists them");
            }
            client.assign(scope.scope(), scope.target(), null);
            out.printf("unassigned %s%n", key);
        }
    }

    /** {@code models assignments}. */
    @Command(name = "assignments", description = "List the assignments.")
    static final class Assignments extends RegistryCommand {

        private static final String ROW = "%-32s %-44s %-24s %s%n";

        @Override
        void run(ModelRegistryClient client, PrintWriter out) {
            out.printf(ROW, "COVERS", "VERSION", "ASSIGNED", "BY");
            for (ModelAssignment a : client.read().assignments()) {
                out.printf(
                        ROW,
                        ModelKeys.assignment(a.getScope(), a.getTarget()),
                        a.getModelVersion(),
                        a.getAssignedAt(),
                        a.getAssignedBy());
            }
        }
    }
}
