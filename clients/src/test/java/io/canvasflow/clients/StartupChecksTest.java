package io.canvasflow.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.clients.view.ViewCommand;
import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.testsupport.Refusals;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** publish and masks check the cluster and their topics before they start anything. */
class StartupChecksTest {

    /** Status, standard error, seconds. */
    private record Outcome(int status, String err, double seconds) {}

    private static Outcome run(Callable<Integer> command, String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(command).setErr(new PrintWriter(err));
        long start = System.nanoTime();
        int status = cli.execute(args);
        return new Outcome(status, err.toString(), (System.nanoTime() - start) / 1e9);
    }

    @Test
    void shouldRefuseABadMasksOptionInOneSentence() {
        // Given an out-of-range value of each of masks' numeric options
        String[] servers = {"--bootstrap-servers", "127.0.0.1:1"};
        Map<List<String>, String> refusals =
                Map.of(
                        List.of(servers[0], servers[1], "--max-frames", "-1"),
                        "--max-frames must be at least 1, not -1 (leave it out for no limit)",
                        List.of(servers[0], servers[1], "--max-frames", "0"),
                        "--max-frames must be at least 1, not 0 (leave it out for no limit)",
                        List.of(servers[0], servers[1], "--png-every", "-2"),
                        "--png-every must be >= 0",
                        List.of(servers[0], servers[1], "--video-fps", "1000"),
                        "--video-fps must be between 0 and 1000",
                        List.of(servers[0], servers[1], "--alpha", "NaN"),
                        "--alpha must be between 0 and 1");

        // Then each is refused, named, before the cluster is asked anything
        Refusals.assertEachRefused(MasksCommand::new, refusals);
    }

    @Test
    void shouldRefuseALimitOfNoFramesInsteadOfPublishingForever() {
        // Given publish told to stop each camera after 0 frames, or fewer
        String[] camera = {"--bootstrap-servers", "127.0.0.1:1", "--camera", "a=synthetic:0:5"};
        Map<List<String>, String> refusals =
                Map.of(
                        List.of(camera[0], camera[1], camera[2], camera[3], "--limit", "0"),
                        "--limit must be at least 1, not 0 (leave it out for no limit)",
                        List.of(camera[0], camera[1], camera[2], camera[3], "--limit", "-3"),
                        "--limit must be at least 1, not -3 (leave it out for no limit)");

        // Then each is refused, named, before the cluster is asked anything
        Refusals.assertEachRefused(PublishCommand::new, refusals);
    }

    @Test
    void shouldRefuseAFolderWhoseFirstImageCannotBeReadBeforeSendingAnything(@TempDir Path dir)
            throws Exception {
        // Given a folder of files named .jpg that are no images, beside a good camera
        Files.write(dir.resolve("1.jpg"), new byte[] {1, 2, 3});
        Files.write(dir.resolve("2.jpg"), new byte[] {4, 5, 6});

        // When publish is given both (camera a's frames went out, then "camera b stopped: 2 of
        // the 2 images ... could not be read" and status 1)
        Outcome publish =
                run(
                        new PublishCommand(),
                        "--camera",
                        "a=synthetic:0:5",
                        "--camera",
                        "b=" + dir,
                        "--bootstrap-servers",
                        "127.0.0.1:1");

        // Then it is refused in one sentence before the cluster is asked anything
        assertEquals(2, publish.status(), publish.err());
        assertEquals(
                "--camera b: the first image in "
                        + dir
                        + ", 1.jpg, cannot be read (expected a JPEG or PNG image but no ImageIO"
                        + " reader understands these 3 bytes); give a folder whose images are JPEG"
                        + " or PNG files",
                publish.err().lines().findFirst().orElse(""));
    }

    @Test
    void shouldRefuseACameraGivenTwiceOrWithoutASourceBeforeConnecting() {
        Outcome huge =
                run(
                        new PublishCommand(),
                        "--camera",
                        "a=synthetic:0:5",
                        "--resize",
                        "99999x99999",
                        "--bootstrap-servers",
                        "127.0.0.1:1");
        assertEquals(2, huge.status(), huge.err());
        assertTrue(huge.err().contains("each from 1 to 8192"), huge.err());

        Outcome twice =
                run(
                        new PublishCommand(),
                        "--camera",
                        "a=synthetic:0:5",
                        "--camera",
                        "a=synthetic:1:5",
                        "--bootstrap-servers",
                        "127.0.0.1:1");
        assertEquals(2, twice.status(), twice.err());
        assertTrue(
                twice.err().startsWith("--camera a is given twice; give each camera one source"),
                twice.err());

        Outcome noSource =
                run(new PublishCommand(), "--camera", "a", "--bootstrap-servers", "127.0.0.1:1");
        assertEquals(2, noSource.status(), noSource.err());
        assertTrue(
                noSource.err().startsWith("--camera expects ID=SOURCE but found 'a'"),
                noSource.err());
    }

    @Test
    void shouldRefuseACameraIdServeWouldNotTakeOrThatBreaksALine() {
        String longest = "c".repeat(256);
        Outcome tooLong =
                run(
                        new PublishCommand(),
                        "--camera",
                        longest + "c=synthetic:0:5",
                        "--bootstrap-servers",
                        "127.0.0.1:1");
        Outcome newline =
                run(
                        new PublishCommand(),
                        "--camera",
                        "gate\nrow=synthetic:0:5",
                        "--bootstrap-servers",
                        "127.0.0.1:1");
        Outcome longestTaken =
                run(
                        new PublishCommand(),
                        "--camera",
                        longest + "=synthetic:0:5",
                        "--bootstrap-servers",
                        "127.0.0.1:1");

        assertEquals(2, tooLong.status(), tooLong.err());
        assertTrue(
                tooLong.err()
                        .startsWith(
                                "--camera: the id '"
                                        + "c".repeat(40)
                                        + "...' is 257 characters, more than the 256 serve takes"
                                        + " (camera.id.max.length); give a shorter one"),
                tooLong.err());
        assertEquals(2, newline.status(), newline.err());
        assertTrue(
                newline.err()
                        .startsWith(
                                "--camera: the id 'gate\\u000Arow' holds the control character"
                                        + " U+000A; give one without"),
                newline.err());
        // 256 characters pass, to the check of the cluster
        assertTrue(
                longestTaken.err().startsWith("no Kafka broker at 127.0.0.1:1"),
                longestTaken.err());
    }

    @Test
    void shouldRefuseATransactionalIdWhichWouldMakePublishHang() {
        Outcome transactional =
                run(
                        new PublishCommand(),
                        "--camera",
                        "a=synthetic:0:5",
                        "--producer-property",
                        "transactional.id=cams",
                        "--bootstrap-servers",
                        "127.0.0.1:1");

        assertEquals(2, transactional.status(), transactional.err());
        assertTrue(
                transactional
                        .err()
                        .startsWith(
                                "--producer-property transactional.id is not for publish, which"
                                        + " sends frames as they come and never in a transaction;"
                                        + " leave it out (its producer is idempotent already)"),
                transactional.err());
    }

    @Test
    void shouldExitWithinFifteenSecondsNamingTheAddressWhereNoBrokerListens() {
        Outcome publish =
                run(
                        new PublishCommand(),
                        "--camera",
                        "a=synthetic:0:5",
                        "--bootstrap-servers",
                        "127.0.0.1:1");
        Outcome masks = run(new MasksCommand(), "--bootstrap-servers", "127.0.0.1:1");

        for (Outcome o : new Outcome[] {publish, masks}) {
            assertEquals(2, o.status(), o.err());
            assertTrue(
                    o.err()
                            .lines()
                            .findFirst()
                            .orElse("")
                            .startsWith("no Kafka broker at 127.0.0.1:1: nothing accepts"),
                    o.err());
            assertTrue(o.seconds() < 15, o.seconds() + " s");
        }
    }

    @Test
    void shouldRefuseToPublishFramesToAModelRegistryTopicBeforeLookingForTheBroker() {
        // When frames are published to each registry topic (Kafka took them, and every serve
        // read them as unreadable registry records at each start)
        List<List<Object>> outcomes =
                List.of("models", "model-assignments", "model-errors").stream()
                        .map(
                                topic ->
                                        run(
                                                new PublishCommand(),
                                                "--camera",
                                                "a=synthetic:0:5",
                                                "--topic",
                                                topic,
                                                "--bootstrap-servers",
                                                "127.0.0.1:1"))
                        .map(
                                o ->
                                        List.<Object>of(
                                                o.status(), o.err().lines().findFirst().orElse("")))
                        .toList();

        // Then each is one sentence, status 2, before any broker is looked for
        assertEquals(
                List.of("models", "model-assignments", "model-errors").stream()
                        .map(
                                topic ->
                                        List.<Object>of(
                                                2,
                                                "--topic "
                                                        + topic
                                                        + " is a model registry topic, not a"
                                                        + " frames topic; publish frames to the"
                                                        + " frames topic (the default) or another"
                                                        + " topic of frames"))
                        .toList(),
                outcomes);
    }

    @Test
    void shouldRefuseATopicNameKafkaWouldRefuseBeforeLookingForTheBroker() {
        // Given topic names Kafka refuses (publish sent nothing and said only what the broker
        // said; replay, in tools, failed with status 1 after starting)
        List<Outcome> outcomes =
                List.of(
                        run(
                                new PublishCommand(),
                                "--camera",
                                "a=synthetic:0:5",
                                "--topic",
                                "bad name",
                                "--bootstrap-servers",
                                "127.0.0.1:1"),
                        run(
                                new MasksCommand(),
                                "--masks-topic",
                                "bad name",
                                "--bootstrap-servers",
                                "127.0.0.1:1"),
                        run(
                                new ViewCommand(),
                                "--frames-topic",
                                "..",
                                "--bootstrap-servers",
                                "127.0.0.1:1"));

        // Then each is one sentence in Kafka's words (then the usage), status 2, before any
        // broker is looked for
        assertEquals(
                List.of(
                        List.of(
                                2,
                                "Invalid value for option '--topic': Topic name is invalid: 'bad"
                                        + " name' contains one or more characters other than"
                                        + " ASCII alphanumerics, '.', '_' and '-'"),
                        List.of(
                                2,
                                "Invalid value for option '--masks-topic': Topic name is invalid:"
                                        + " 'bad name' contains one or more characters other than"
                                        + " ASCII alphanumerics, '.', '_' and '-'"),
                        List.of(
                                2,
                                "Invalid value for option '--frames-topic': Topic name is"
                                        + " invalid: '..' is not allowed")),
                outcomes.stream()
                        .map(
                                o ->
                                        List.<Object>of(
                                                o.status(), o.err().lines().findFirst().orElse("")))
                        .toList());
    }

    @Test
    void shouldSayHowToCreateTheTopicInsteadOfWaitingForIt() {
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start()) {
            Outcome publish =
                    run(
                            new PublishCommand(),
                            "--camera",
                            "a=synthetic:0:5",
                            "--topic",
                            "no-such-frames",
                            "--bootstrap-servers",
                            kafka.bootstrapServers());
            Outcome masks =
                    run(
                            new MasksCommand(),
                            "--masks-topic",
                            "no-such-masks",
                            "--bootstrap-servers",
                            kafka.bootstrapServers());
            // view used to wait for it, an empty page for ever
            Outcome view =
                    run(
                            new ViewCommand(),
                            "--port",
                            "0",
                            "--masks-topic",
                            "no-such-masks",
                            "--bootstrap-servers",
                            kafka.bootstrapServers());

            assertEquals(2, publish.status(), publish.err());
            assertTrue(
                    publish.err().startsWith("topic no-such-frames does not exist at "),
                    publish.err());
            assertTrue(publish.err().contains("canvasflow serve --create-topics"), publish.err());
            assertTrue(publish.seconds() < 15, publish.seconds() + " s");
            assertEquals(2, masks.status(), masks.err());
            assertTrue(
                    masks.err().startsWith("topic no-such-masks does not exist at "), masks.err());
            assertEquals(2, view.status(), view.err());
            assertTrue(
                    view.err().contains("topics no-such-masks, frames do not exist at "),
                    view.err());
            assertTrue(view.seconds() < 15, view.seconds() + " s");
        }
    }
}
