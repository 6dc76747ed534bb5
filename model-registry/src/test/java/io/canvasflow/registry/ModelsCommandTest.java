package io.canvasflow.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.model.ModelSpec;
import io.canvasflow.model.SegmentationModel;
import io.canvasflow.testsupport.CommandRun;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelsCommandTest {

    private static final String CLASSES = "sky,road,building,vegetation,vehicle,person";

    @Test
    void shouldWriteWholeNumbersAsWritten() {
        // Given a lineage as Gson reads model.json: every number a double
        Map<String, Object> lineage = new LinkedHashMap<>();
        lineage.put("source", "topic:frames-labelled");
        lineage.put("frames", 570.0);
        lineage.put("share", 0.25);
        lineage.put("classWeights", java.util.List.of(1.0, 0.816));

        // Then the list writes 570, not 570.0 (and a fraction as it is), in lists too
        assertEquals(
                "{source=topic:frames-labelled, frames=570, share=0.25, classWeights=[1, 0.816]}",
                ModelsCommand.asWritten(lineage));
    }

    @Test
    void shouldListTheModelAShippedModelWasFineTunedFrom() {
        // Given the shipped recurrent model, fine-tuned from another on synthetic data
        ModelSpec rnn = SegmentationModel.readSpec(ModelCatalogTest.MODELS.resolve("rnn"));

        // Then its row names the model it was fine-tuned from
        assertEquals(
                CLASSES + " {fineTunedFrom=canvasflow-rnn-synthetic-2d7a7110c74e}",
                ModelsCommand.classesAndLineage(rnn));
    }

    @Test
    void shouldListTheWholeLineageOfAModelTrainedOnACamerasFrames() throws Exception {
        // Given a model.json as train --init --data topic:... --camera writes it
        String text =
                Files.readString(ModelCatalogTest.MODELS.resolve("rnn").resolve("model.json"))
                        .replace(
                                "\"fineTunedFrom\": \"canvasflow-rnn-synthetic-2d7a7110c74e\"",
                                "\"fineTunedFrom\": \"canvasflow-rnn-synthetic-2d7a7110c74e\","
                                        + " \"classWeights\": [0.5, 1.0, 2.25, 1.0, 1.0, 3.0],"
                                        + " \"frozenBackboneSteps\": 200, \"lineage\": {"
                                        + " \"source\": \"topic:frames-labelled\", \"teacher\":"
                                        + " \"segformer\", \"camera\": \"cam-1\", \"frames\": 570,"
                                        + " \"sequenceRange\": \"0-599\", \"classes\": [\"sky\","
                                        + " \"road\", \"building\", \"vegetation\", \"vehicle\","
                                        + " \"person\"], \"heldOut\": \"500-599\"}");
        ModelSpec spec = SegmentationModel.parseSpec(text, "a test model.json");

        // Then its row says what it was fine-tuned from, on what data, with which class weights;
        // the data's classes, the model's own, only once
        assertEquals(
                CLASSES
                        + " {fineTunedFrom=canvasflow-rnn-synthetic-2d7a7110c74e,"
                        + " source=topic:frames-labelled, teacher=segformer, camera=cam-1,"
                        + " frames=570, sequenceRange=0-599, heldOut=500-599,"
                        + " classWeights=[0.5, 1, 2.25, 1, 1, 3]}",
                ModelsCommand.classesAndLineage(spec));
    }

    @Test
    void shouldListNoLineageForAModelThatRecordsNone() {
        ModelSpec ff = SegmentationModel.readSpec(ModelCatalogTest.MODELS.resolve("ff"));

        assertEquals(CLASSES, ModelsCommand.classesAndLineage(ff));
    }

    /**
     * A models subcommand run where nothing listens: a refusal of its options must come before the
     * cluster is asked, or it would say that no broker answers.
     */
    private static CommandRun offline(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-servers", "127.0.0.1:1"));
        return CommandRun.of(new ModelsCommand(), all.toArray(String[]::new));
    }

    @Test
    void shouldRefuseTheCameraIdsPublishRefusesBeforeAssigning() {
        // Given camera ids publish --camera refuses: blank, and longer than serve takes
        String longId = "c".repeat(5000);

        // When they are assigned a model
        CommandRun blank = offline("assign", "--model", "V", "--camera", "");
        CommandRun tooLong = offline("assign", "--model", "V", "--camera", longId);

        // Then each is one sentence and status 2, before the cluster is asked
        assertEquals(2, blank.exit(), blank.err());
        assertEquals(
                "canvasflow models assign: --camera: the id '' is blank; give the id the camera's"
                        + " frames are published under\n",
                blank.err());
        assertEquals(2, tooLong.exit(), tooLong.err());
        assertEquals(
                "canvasflow models assign: --camera: the id '"
                        + "c".repeat(40)
                        + "...' is 5000 characters, more than the 256 serve takes"
                        + " (camera.id.max.length); give a shorter one\n",
                tooLong.err());
    }

    @Test
    void shouldRefuseATopicNameKafkaRefusesBeforeAskingTheCluster() {
        // Given a registry topic name with a space, which the cluster refuses once the other
        // topics were created
        for (String option : List.of("--models-topic", "--assignments-topic", "--errors-topic")) {
            // When a model is published or listed with it
            for (String command : List.of("publish", "list")) {
                CommandRun run =
                        offline(
                                command.equals("publish")
                                        ? new String[] {command, "models/ff", option, "bad name"}
                                        : new String[] {command, option, "bad name"});

                // Then it is one sentence naming the option, status 2
                assertEquals(2, run.exit(), run.err());
                assertEquals(
                        "canvasflow models "
                                + command
                                + ": "
                                + option
                                + ": Topic name is invalid: 'bad name' contains one or more"
                                + " characters other than ASCII alphanumerics, '.', '_' and '-';"
                                + " give a name Kafka takes\n",
                        run.err());
            }
        }
    }

    @Test
    void shouldRefuseTwoRegistryOptionsNamingOneTopic() {
        // When two registry topics are one, named twice or once and by a default
        CommandRun both =
                offline(
                        "publish",
                        "models/ff",
                        "--models-topic",
                        "same",
                        "--assignments-topic",
                        "same");
        CommandRun byDefault = offline("list", "--errors-topic", "models");

        // Then each is one sentence naming both, status 2
        assertEquals(2, both.exit(), both.err());
        assertEquals(
                "canvasflow models publish: --models-topic same and --assignments-topic same name"
                        + " the same topic; give each registry topic its own, as they hold records"
                        + " of different kinds\n",
                both.err());
        assertEquals(2, byDefault.exit(), byDefault.err());
        assertEquals(
                "canvasflow models list: models (the default of --models-topic) and --errors-topic"
                        + " models name the same topic; give each registry topic its own, as they"
                        + " hold records of different kinds\n",
                byDefault.err());
    }

    @Test
    void shouldRefuseTwoRegistryTopicsKafkaCannotTellApart() {
        // Given registry topics that differ only in '.' and '_', which the cluster refuses as the
        // second of them once the first was made
        // When a model is published with them, or listed with one against a default
        CommandRun publish =
                offline(
                        "publish",
                        "models/ff",
                        "--models-topic",
                        "a.b",
                        "--assignments-topic",
                        "a_b");
        CommandRun list =
                offline(
                        "list",
                        "--assignments-topic",
                        "model.errors",
                        "--errors-topic",
                        "model_errors");

        // Then each is one sentence naming both, status 2, before anything is asked of the cluster
        assertEquals(2, publish.exit(), publish.err());
        assertEquals(
                "canvasflow models publish: --models-topic a.b and --assignments-topic a_b name"
                        + " topics Kafka cannot tell apart ('.' and '_' collide); give each registry"
                        + " topic its own, as they hold records of different kinds\n",
                publish.err());
        assertEquals(2, list.exit(), list.err());
        assertEquals(
                "canvasflow models list: --assignments-topic model.errors and --errors-topic"
                        + " model_errors name topics Kafka cannot tell apart ('.' and '_' collide);"
                        + " give each registry topic its own, as they hold records of different"
                        + " kinds\n",
                list.err());
    }

    @Test
    void shouldRefuseBothWaysOfAssigningTheDefaultBeforeAskingTheCluster() {
        // When a model is published with both default options, which say opposite things about a
        // default already assigned
        CommandRun both =
                offline("publish", "models/ff", "--assign-default", "--assign-default-if-none");

        // Then it is one sentence, status 2, before the cluster is asked
        assertEquals(
                List.of(
                        2,
                        "",
                        "canvasflow models publish: --assign-default and --assign-default-if-none"
                                + " are exclusive: pass --assign-default to replace the default, or"
                                + " --assign-default-if-none to keep one already assigned\n"),
                List.of(both.exit(), both.out(), both.err()));
    }
}
