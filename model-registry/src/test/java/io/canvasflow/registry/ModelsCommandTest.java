package io.canvasflow.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.model.ModelSpec;
import io.canvasflow.model.SegmentationModel;
import java.nio.file.Files;
import java.util.LinkedHashMap;
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
}
