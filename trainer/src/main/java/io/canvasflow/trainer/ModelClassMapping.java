package io.canvasflow.trainer;

import io.canvasflow.model.ModelSpec;
import io.canvasflow.synthetic.ClassTable;
import io.canvasflow.trainer.data.ClassMapping;
import io.canvasflow.trainer.data.DatasetException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How labelled data's classes map onto a model's for scoring: through {@code --class-map FILE} when
 * one is given, else through the class map the model was trained with (recorded in its lineage),
 * when it names every class of the data, else class to class of the same name.
 */
final class ModelClassMapping {

    /** The lineage entry of a model trained with a class map: source class to target or ignore. */
    static final String LINEAGE_KEY = "classMap";

    /** The report's entry for where the mapping came from, beside {@link #LINEAGE_KEY}. */
    static final String FROM_KEY = "classMapFrom";

    /** {@link #FROM_KEY} of the map the model was trained with. */
    static final String FROM_MODEL =
            "model.json's lineage (the class map the model was trained with)";

    /** {@link #FROM_KEY} where no map applies. */
    static final String BY_NAME =
            "no class map: each class scored as the model's class of the same name";

    private ModelClassMapping() {}

    /**
     * A mapping and where it came from, for the report.
     *
     * @param mapping the labels' classes into the model's
     * @param from {@code --class-map FILE}, {@link #FROM_MODEL} or {@link #BY_NAME}
     */
    record Chosen(ClassMapping mapping, String from) {}

    /**
     * The mapping of {@code labels} into the model's classes.
     *
     * @param model the model's spec
     * @param labels the data's classes
     * @param classMap {@code --class-map}, or null
     * @throws DatasetException when the map file is bad, or a class of the data would map to a
     *     class the model does not have
     */
    static ClassMapping of(ModelSpec model, ClassTable labels, Path classMap) {
        return choose(model, labels, classMap).mapping();
    }

    /**
     * Like {@link #of}, saying where the mapping came from.
     *
     * @throws DatasetException as {@link #of}
     */
    static Chosen choose(ModelSpec model, ClassTable labels, Path classMap) {
        ClassTable modelClasses = new ClassTable(model.classNames(), model.classColors());
        if (classMap != null) {
            ClassMapping read = ClassMapping.read(classMap, labels);
            ClassMapping into = read.into(modelClasses);
            if (into == null) {
                List<String> unknown = new ArrayList<>(read.target().names());
                unknown.removeAll(modelClasses.names());
                throw new DatasetException(
                        "Class map "
                                + classMap
                                + " maps to "
                                + unknown
                                + ", which are not classes of model "
                                + model.version()
                                + " "
                                + modelClasses.names()
                                + "; map the data's classes onto those or to ignore");
            }
            return new Chosen(into, "--class-map " + classMap);
        }
        Object lineage = model.metrics().get("lineage");
        Object recorded = lineage instanceof Map<?, ?> m ? m.get(LINEAGE_KEY) : null;
        ClassMapping trained =
                recorded instanceof Map<?, ?> byName ? ClassMapping.recorded(byName, labels) : null;
        ClassMapping mapping = trained == null ? null : trained.into(modelClasses);
        if (mapping != null) {
            return new Chosen(mapping, FROM_MODEL);
        }
        mapping = ClassMapping.identity(labels).into(modelClasses);
        if (mapping == null) {
            List<String> unknown = new ArrayList<>(labels.names());
            unknown.removeAll(modelClasses.names());
            throw new DatasetException(
                    "The labels' classes "
                            + unknown
                            + " are not classes of model "
                            + model.version()
                            + " "
                            + modelClasses.names()
                            + (recorded != null
                                    ? ", and the class map it was trained with does not map every"
                                            + " class of the labels onto them"
                                    : "")
                            + "; give --class-map FILE with a line 'CLASS = MODEL_CLASS' or"
                            + " 'CLASS = ignore' for each of the labels' classes");
        }
        return new Chosen(mapping, BY_NAME);
    }
}
