package io.canvasflow.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.schemas.avro.Frame;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

class SchemaEvolutionTest {

    private static final String ADDED_FIELD = "exposureMillis";

    /** The current Frame schema plus one optional field, as a later version might add it. */
    private static Schema frameWithAddedOptionalField() {
        String current = Frame.getClassSchema().toString();
        String added =
                ",{\"name\":\""
                        + ADDED_FIELD
                        + "\",\"type\":[\"null\",\"double\"],\"default\":null}]}";
        return new Schema.Parser().parse(current.substring(0, current.length() - 2) + added);
    }

    /** Generic data that reads timestamp-millis as Instant, like the generated classes. */
    private static GenericData genericWithTimestamps() {
        GenericData data = new GenericData();
        data.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        return data;
    }

    /** The given frame as a generic record of the newer schema, the added field at its default. */
    private static GenericRecord asNewerRecord(Frame frame, Schema newer) {
        GenericRecordBuilder builder = new GenericRecordBuilder(newer);
        for (Schema.Field field : Frame.getClassSchema().getFields()) {
            builder.set(field.name(), frame.get(field.pos()));
        }
        builder.set(
                "encoding",
                new GenericData.EnumSymbol(
                        newer.getField("encoding").schema(), frame.getEncoding().name()));
        return builder.build();
    }

    @Test
    void shouldReadCurrentFrameWithReaderThatAddsAnOptionalField() throws IOException {
        Frame written = SampleRecords.frame();
        byte[] bytes = AvroSerdes.frame().serialize(written);
        Schema newer = frameWithAddedOptionalField();
        BinaryMessageDecoder<GenericRecord> newerReader =
                new BinaryMessageDecoder<>(genericWithTimestamps(), newer);
        newerReader.addSchema(Frame.getClassSchema());

        GenericRecord read = newerReader.decode(bytes);

        assertEquals(asNewerRecord(written, newer), read);
        assertEquals(null, read.get(ADDED_FIELD));
    }

    @Test
    void shouldRejectFrameFromNewerWriterAsUnknownSchema() throws IOException {
        Schema newer = frameWithAddedOptionalField();
        GenericRecord record = asNewerRecord(SampleRecords.frame(), newer);
        record.put(ADDED_FIELD, 8.5);
        byte[] bytes =
                new BinaryMessageEncoder<GenericRecord>(genericWithTimestamps(), newer)
                        .encode(record)
                        .array();

        UnknownSchemaException e =
                assertThrows(
                        UnknownSchemaException.class, () -> AvroSerdes.frame().deserialize(bytes));

        assertTrue(e.getMessage().endsWith("(not a known CanvasFlow schema)"), e.getMessage());
    }
}
