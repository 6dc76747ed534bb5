package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.testsupport.CommandRun;
import io.canvasflow.testsupport.Refusals;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeCommandTest {

    @TempDir Path dir;

    private List<Object> run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ServeCommand()).setErr(new PrintWriter(err));
        int status = cli.execute(args);
        return List.of(status, err.toString().strip());
    }

    @Test
    void shouldExitWithOneSentenceWhenTheModelIsMissing() {
        Path missing = dir.resolve("no-model");

        List<Object> result =
                run("--bootstrap-servers", "127.0.0.1:1", "--model", missing.toString());

        assertEquals(
                List.of(
                        2,
                        "canvasflow serve: no model.json in "
                                + missing
                                + ": expected a CanvasFlow model directory"),
                result);
    }

    @Test
    void shouldRefuseAStateDirectoryItCannotMakeBeforeAnythingStarts() throws Exception {
        // Given a state directory under a file (found, before, when a model would not unpack)
        Path file = Files.writeString(dir.resolve("a-file"), "x");

        List<Object> result =
                run(
                        "--bootstrap-servers",
                        "127.0.0.1:1",
                        "--state-dir",
                        file.resolve("state").toString());

        assertEquals(
                List.of(
                        2,
                        "canvasflow serve: state.dir "
                                + file.resolve("state")
                                + " lies under "
                                + file
                                + ", which is a file; give a path in a folder"),
                result);
    }

    @Test
    void shouldRefuseAStateDirectoryTheSystemWillNotMakeInOneSentence() {
        // Given a state directory whose parent this user may write in but that the system will
        // not make (a name too long; as root, /proc/x is another): Kafka Streams refused it in its
        // own words, after the topics were made
        Path state = dir.resolve("s".repeat(300));

        // When serve starts on it
        List<Object> result = run("--bootstrap-servers", "127.0.0.1:1", "--state-dir", "" + state);

        // Then it is refused before anything starts, naming the setting and the flag
        assertEquals(
                List.of(
                        2,
                        "canvasflow serve: state.dir "
                                + state
                                + " cannot be made (File name too long); give --state-dir (or"
                                + " state.dir) a folder this user can make and write in"),
                result);
    }

    @Test
    void shouldRefuseAModelsCacheFolderTheSystemWillNotMakeOnlyWhenModelsAreFollowed() {
        // Given a models cache folder whose parent this user may write in but that the system
        // will not make (a name too long): the model follower failed on it after the topics
        Path cache = dir.resolve("c".repeat(300));
        Path state = dir.resolve("state");

        // When serve starts on it, following models (the default), and when the host is checked
        // for settings that do not follow models
        List<Object> followed =
                run(
                        "--bootstrap-servers",
                        "127.0.0.1:1",
                        "--state-dir",
                        "" + state,
                        "-D",
                        "models.cache.dir=" + cache);
        String unfollowed =
                HostChecks.problem(
                        CanvasFlowConfig.fromMap(
                                Map.of(
                                        CanvasFlowConfig.STATE_DIR,
                                        "" + state,
                                        CanvasFlowConfig.HTTP_PORT,
                                        "0",
                                        CanvasFlowConfig.MODELS_FOLLOW,
                                        "false",
                                        CanvasFlowConfig.MODELS_CACHE_DIR,
                                        "" + cache)));

        // Then serve refuses it before anything starts, in one sentence naming the setting; a
        // serve that follows no models never writes there and is not refused for it
        assertEquals(
                List.of(
                        2,
                        "canvasflow serve: models.cache.dir "
                                + cache
                                + " cannot be made (File name too long); give models.cache.dir a"
                                + " folder this user can make and write in"),
                followed);
        assertEquals(null, unfollowed);
    }

    @Test
    void shouldRefuseAFlagAndADOfItsSettingThatDisagreeAndTakeThemWhereTheyAgree() {
        // Given each of serve's flags with a -D of its setting and another value
        List<String> print = List.of("--bootstrap-servers", "127.0.0.1:1", "--print-config");
        Map<List<String>, String> pairs = new LinkedHashMap<>();
        pairs.put(
                List.of("--threads", "4", "-D", "num.stream.threads=5"),
                "--threads 4 and -D num.stream.threads=5 disagree; give one");
        pairs.put(
                List.of("--http-port", "2222", "-D", "http.port=3333"),
                "--http-port 2222 and -D http.port=3333 disagree; give one");
        pairs.put(
                List.of("--model", "/tmp/a", "-D", "model.dir=/tmp/b"),
                "--model /tmp/a and -D model.dir=/tmp/b disagree; give one");
        pairs.put(
                List.of("-D", "bootstrap.servers=h2:2"),
                "--bootstrap-servers 127.0.0.1:1 and -D bootstrap.servers=h2:2 disagree; give"
                        + " one");
        pairs.put(
                List.of("--create-topics", "-D", "topics.create=false"),
                "--create-topics and -D topics.create=false disagree; give one");
        pairs.put(
                List.of("--state-dir", "/tmp/s1", "-D", "state.dir=/tmp/s2"),
                "--state-dir /tmp/s1 and -D state.dir=/tmp/s2 disagree; give one");

        // When serve reads each command line
        Map<List<String>, List<Object>> results = new LinkedHashMap<>();
        Map<List<String>, List<Object>> expected = new LinkedHashMap<>();
        pairs.forEach(
                (args, sentence) -> {
                    List<String> all = new java.util.ArrayList<>(print);
                    all.addAll(args);
                    results.put(args, run(all.toArray(String[]::new)));
                    expected.put(args, List.of(2, "canvasflow serve: " + sentence));
                });
        // and the same pairs with one meaning
        List<Object> agreeing =
                run(
                        "--bootstrap-servers",
                        "127.0.0.1:1",
                        "--print-config",
                        "--threads",
                        "4",
                        "-D",
                        "num.stream.threads=04",
                        "--create-topics",
                        "-D",
                        "topics.create=TRUE",
                        "--state-dir",
                        "/tmp/s1",
                        "-D",
                        "state.dir=/tmp/s1/",
                        "-D",
                        "bootstrap.servers=127.0.0.1:1");

        // Then each disagreement is one sentence naming both, and agreement passes
        assertEquals(expected, results);
        assertEquals(List.of(0, ""), agreeing);
    }

    @Test
    void shouldRefuseAFlagAndAKafkaPrefixedDOfItsSettingThatDisagree() {
        // Given --threads with -D kafka.num.stream.threads, which the configuration reads as
        // num.stream.threads: once with another value, once with the same
        List<String> print = List.of("--bootstrap-servers", "127.0.0.1:1", "--print-config");
        List<String> disagreeing = new java.util.ArrayList<>(print);
        disagreeing.addAll(List.of("--threads", "4", "-D", "kafka.num.stream.threads=5"));
        List<String> agreeing = new java.util.ArrayList<>(print);
        agreeing.addAll(List.of("--threads", "4", "-D", "kafka.num.stream.threads=4"));

        // When serve reads each
        List<List<Object>> results =
                List.of(
                        run(disagreeing.toArray(String[]::new)),
                        run(agreeing.toArray(String[]::new)));

        // Then the other value is one sentence naming the -D as given, and the same value passes
        assertEquals(
                List.of(
                        List.of(
                                2,
                                "canvasflow serve: --threads 4 and -D kafka.num.stream.threads=5"
                                        + " disagree; give one"),
                        List.of(0, "")),
                results);
    }

    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void shouldRefuseAStateFolderAnotherProcessHoldsBeforeKafkaStreamsTriesIt() throws Exception {
        // Given another process that holds Kafka Streams' lock on the application's state folder,
        // as a serve running there does
        Path state = dir.resolve("state");
        Path folder = state.resolve(CanvasFlowConfig.defaults().applicationId());
        Path log = dir.resolve("holder.log");
        try (LockHolder.Running holder =
                LockHolder.start(folder.resolve(StateFolderLock.KAFKA_LOCK_FILE), log)) {
            assertEquals(LockHolder.LOCKED, holder.said());

            // When serve starts on that folder, its log captured with what it says
            CommandRun run =
                    CommandRun.of(
                            () -> new CommandLine(new ServeCommand()),
                            "--bootstrap-servers",
                            "127.0.0.1:1",
                            "--state-dir",
                            state.toString());

            // Then it says which folder and what to do, and nothing else: no ERROR of Kafka
            // Streams' about the lock, no broker looked for, no model loaded
            assertEquals(
                    List.of(
                            2,
                            List.of(
                                    "canvasflow serve: the state directory "
                                            + folder
                                            + " is in use by another instance of canvasflow on"
                                            + " this host; give this one its own with --state-dir"
                                            + " DIR (and --http-port 0)")),
                    List.of(run.exit(), run.errLines()));
        }

        // and once the holder is gone the folder is free
        assertEquals(
                null,
                StateFolderLock.problem(
                        CanvasFlowConfig.builder()
                                .opt(CanvasFlowConfig.STATE_DIR, state.toString())
                                .build()));
    }

    @Test
    void shouldExitWithOneSentenceOnAnUnknownSetting() {
        List<Object> result =
                run("--bootstrap-servers", "127.0.0.1:1", "-D", "canvas.seeded.iteration=3");

        assertEquals(2, result.get(0));
        assertEquals(
                "canvasflow serve: unknown setting 'canvas.seeded.iteration': expected a CanvasFlow setting",
                result.get(1).toString().substring(0, result.get(1).toString().indexOf(" (")));
    }

    @Test
    void shouldExitWithOneSentenceThatSaysHowToStartABrokerWithoutBootstrapServers()
            throws Exception {
        // Given settings that name no Kafka cluster
        CanvasFlowConfig config = CanvasFlowConfig.builder().optEnvironment(Map.of()).build();
        StringWriter err = new StringWriter();

        // When serve starts
        int status = ServeCommand.serve(config, new PrintWriter(err));

        // Then it refuses before anything starts, in one sentence naming the missing setting
        assertEquals(
                List.of(2, ServeCommand.NO_BOOTSTRAP_SERVERS),
                List.of(status, err.toString().strip()));
        assertTrue(ServeCommand.NO_BOOTSTRAP_SERVERS.contains("--bootstrap-servers"));
        assertTrue(ServeCommand.NO_BOOTSTRAP_SERVERS.contains("canvasflow broker"));
    }

    @Test
    void shouldPrintWhatTheSettingsResolveToAndWhereEachCameFromWithSecretsHidden()
            throws Exception {
        // Given a settings file with a setting and a secured cluster's properties, and the
        // command line overriding another setting
        Path file =
                Files.writeString(
                        dir.resolve("serve.properties"),
                        String.join(
                                "\n",
                                "canvas.keyframe.interval=30",
                                "canvas.max.gap.ms=7",
                                "kafka.security.protocol=SASL_SSL",
                                "kafka.basic.auth.user.info=user:hunter2",
                                "kafka.schema.registry.url=https://user:hunter3@registry:8081",
                                "sasl.jaas.config=org.apache.kafka.common.security.plain"
                                        + ".PlainLoginModule required username=\"u\""
                                        + " password=\"s3cret\";",
                                "producer.ssl.key.password=changeit"));
        StringWriter out = new StringWriter();
        CommandLine cli =
                new CommandLine(new ServeCommand())
                        .setOut(new PrintWriter(out))
                        .setErr(new PrintWriter(new StringWriter()));

        // When serve prints its configuration (no broker listens at that address)
        int status =
                cli.execute(
                        "--config",
                        file.toString(),
                        "--bootstrap-servers",
                        "broker-1:9092",
                        "-D",
                        "canvas.seeded.iterations=3",
                        "-D",
                        "canvas.max.gap.ms=2000",
                        "--print-config");

        // Then it exits 0 without connecting, every setting on a line with its source
        assertEquals(0, status);
        Map<String, String> lines = new java.util.HashMap<>();
        out.toString().lines().forEach(l -> lines.put(l.split(" +")[0], l));
        assertTrue(
                lines.get("canvas.keyframe.interval").matches("\\S+ +30 +key in " + file),
                lines.get("canvas.keyframe.interval"));
        assertTrue(
                lines.get("canvas.seeded.iterations").matches("\\S+ +3 +command line"),
                lines.get("canvas.seeded.iterations"));
        assertTrue(
                lines.get("bootstrap.servers").matches("\\S+ +broker-1:9092 +command line"),
                lines.get("bootstrap.servers"));
        assertTrue(
                lines.get("canvas.max.gap.ms").matches("\\S+ +2000 +command line"),
                "the command line's value, although the default's, overrides the file's: "
                        + lines.get("canvas.max.gap.ms"));
        assertTrue(lines.get("application.id").endsWith(" default"), lines.get("application.id"));
        assertEquals(
                CanvasFlowConfig.settingNames().size() + 1 + 1 + 1 + 5,
                out.toString().lines().count(),
                "a header, every setting, a blank line, a header and five properties");
        // And the Kafka properties, the secrets among them hidden wherever Kafka says so
        String fromFile = " +key in " + file;
        assertTrue(lines.get("security.protocol").matches("\\S+ +SASL_SSL" + fromFile));
        for (String secret :
                List.of("sasl.jaas.config", "producer.ssl.key.password", "basic.auth.user.info")) {
            assertTrue(
                    lines.get(secret).matches("\\S+ +\\[hidden\\]" + fromFile), lines.get(secret));
        }
        assertTrue(
                lines.get("schema.registry.url")
                        .matches("\\S+ +https://\\[hidden\\]@registry:8081" + fromFile),
                lines.get("schema.registry.url"));
        for (String secret : List.of("s3cret", "changeit", "hunter2", "hunter3")) {
            assertFalse(out.toString().contains(secret), secret + " printed:\n" + out);
        }
    }

    @Test
    void shouldRefuseTopicsAndCountsKafkaWouldNotTakeEvenWhenOnlyPrintingTheConfig() {
        // Given settings that used to pass, and then looped for ever or failed after the topics
        // were made: a dead-letter topic that is the frames topic dead-lettered its own dead
        // letters, a replication factor of -5 failed every stream thread at each rebalance
        List<String> print = List.of("--bootstrap-servers", "127.0.0.1:1", "--print-config");
        Map<List<String>, String> refusals = new LinkedHashMap<>();
        refusals.put(
                List.of("-D", "topic.frames=sB", "-D", "topic.masks=sB-m", "-D", "topic.dlq=sB"),
                "canvasflow serve: settings topic.frames and topic.dlq both name topic sB;");
        refusals.put(
                List.of("-D", "topic.masks=frames"),
                "canvasflow serve: settings topic.frames and topic.masks both name topic frames;");
        refusals.put(
                List.of("-D", "topic.frames=bad name"),
                "canvasflow serve: setting topic.frames must be a Kafka topic name");
        refusals.put(
                List.of("-D", "application.id=bad id!"),
                "canvasflow serve: setting application.id must be letters, digits");
        refusals.put(
                List.of("-D", "replication.factor=-5"),
                "canvasflow serve: Kafka property replication.factor is not valid: it must be -1");
        refusals.put(
                List.of("-D", "frame.max.bytes=999999999999"),
                "canvasflow serve: setting frame.max.bytes must be an integer from 1 to"
                        + " 2147483647");
        refusals.put(
                List.of("--threads", "999"),
                "canvasflow serve: setting num.stream.threads must be an integer from 1 to 256");
        Map<List<String>, String> withPrint = new LinkedHashMap<>();
        refusals.forEach(
                (args, words) -> {
                    List<String> all = new java.util.ArrayList<>(print);
                    all.addAll(args);
                    withPrint.put(all, words);
                });

        // Then --print-config refuses each with one sentence and status 2
        List<CommandRun> runs = Refusals.assertEachRefused(ServeCommand::new, withPrint);

        // and prints no configuration
        runs.forEach(run -> assertEquals("", run.out(), run.err()));
    }

    @Test
    void shouldRefuseAnInvalidKafkaPropertyInOneSentenceBeforeAnythingStarts() {
        // Given values Kafka's own definitions refuse, for Streams and for one of its clients
        for (String[] bad :
                List.of(
                        new String[] {"session.timeout.ms=abc", "Not a number of type INT"},
                        new String[] {"producer.acks=maybe", "String must be one of"},
                        new String[] {"main.consumer.max.poll.records=-5", "at least 1"},
                        // parsed by KafkaStreams' constructor, after the topics were made
                        new String[] {"application.server=nohostport", "Expected format host:port"},
                        new String[] {"application.server=host:99999999999", "99999999999"},
                        // a class, but not a timestamp extractor: every stream thread failed
                        new String[] {
                            "default.timestamp.extractor=java.lang.String",
                            "class java.lang.String is not a"
                                    + " org.apache.kafka.streams.processor.TimestampExtractor"
                        })) {
            // When serve reads them (no broker listens at that address: nothing gets that far)
            List<Object> result =
                    run("--bootstrap-servers", "127.0.0.1:1", "--print-config", "-D", bad[0]);

            // Then it stops with one sentence that names the property and what Kafka expects
            String name = bad[0].substring(0, bad[0].indexOf('='));
            assertEquals(2, result.get(0), bad[0]);
            String err = result.get(1).toString();
            assertTrue(
                    err.startsWith("canvasflow serve: Kafka property " + name + " is not valid: ")
                            && err.contains(bad[1])
                            && err.lines().count() == 1,
                    err);
        }
    }

    @Test
    void shouldRefuseAPropertyCanvasFlowSetsItselfInsteadOfReplacingItSilently() {
        // Given Kafka properties that CanvasFlow sets after the user's (its dead-letter handlers)
        for (String[] own :
                List.of(
                        new String[] {
                            "processing.exception.handler=com.example.Mine",
                            "records that fail go to the dead-letter topic (setting topic.dlq)"
                        },
                        new String[] {
                            "kafka.default.deserialization.exception.handler=com.example.Mine",
                            "records that fail go to the dead-letter topic (setting topic.dlq)"
                        },
                        new String[] {
                            "errors.dead.letter.queue.topic.name=mine", "set topic.dlq instead"
                        })) {
            // When serve reads one
            List<Object> result =
                    run("--bootstrap-servers", "127.0.0.1:1", "--print-config", "-D", own[0]);

            // Then it says so in one sentence, where the value was replaced without a word and
            // --print-config showed it as if it were used
            String name = own[0].substring(0, own[0].indexOf('=')).replace("kafka.", "");
            assertEquals(2, result.get(0), own[0]);
            assertEquals(
                    "canvasflow serve: Kafka property "
                            + name
                            + " is set by CanvasFlow and cannot be replaced: "
                            + own[1]
                            + "; remove it",
                    result.get(1).toString().strip());
        }
    }
}
