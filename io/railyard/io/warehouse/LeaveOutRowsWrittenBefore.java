package railyard.io.warehouse;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.hadoop.conf.Configuration;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.apache.parquet.avro.AvroReadSupport;
import railyard.io.files.Partitions;
import railyard.schema.DeclaredSchema;
import railyard.transforms.RailyardMetrics;

/**
 * A batch write into a warehouse table that holds rows already (the same import run again, a
 * backfill over what a stream wrote) leaves out each row whose event id the same day partition
 * holds: the warehouse holds an event once however often it is written, as the lake and the dead
 * letters do. Left-out rows are counted under {@code railyard/warehouse_rows_written_before}.
 *
 * <p>When the run starts, one step lists which day partitions hold files (a side input). Rows of
 * other days (every row of a first run) go straight to the write; rows of an occupied day are
 * joined by (day, event id) with the ids its files hold, read by column ({@code _event_id} and
 * {@code _event_time} only). The write follows the join, so it sees only files written before
 * this run. To write a day again from scratch, delete its partition first.
 */
public final class LeaveOutRowsWrittenBefore extends PTransform<PCollection<Row>, PCollection<Row>> {
  /** Rows left out because their day partition held their event id already. */
  public static final String WRITTEN_BEFORE = "warehouse_rows_written_before";

  private static final TupleTag<Row> FRESH = new TupleTag<>() {};
  private static final TupleTag<KV<String, Row>> TO_CHECK = new TupleTag<>() {};
  private static final TupleTag<Row> ROWS = new TupleTag<>() {};
  private static final TupleTag<Boolean> HELD = new TupleTag<>() {};

  private final String tableDirectory;
  private final org.apache.avro.Schema avroSchema;

  private LeaveOutRowsWrittenBefore(String tableDirectory, org.apache.avro.Schema avroSchema) {
    this.tableDirectory = tableDirectory;
    this.avroSchema = avroSchema;
  }

  /** Against the table at {@code tableDirectory}, whose files are written with {@code avroSchema}. */
  static LeaveOutRowsWrittenBefore in(String tableDirectory, org.apache.avro.Schema avroSchema) {
    return new LeaveOutRowsWrittenBefore(tableDirectory, avroSchema);
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> rows) {
    Schema schema = rows.getSchema();
    PCollection<String> occupied =
        rows.getPipeline()
            .apply("Table", Create.of(tableDirectory).withCoder(StringUtf8Coder.of()))
            .apply("OccupiedDays", ParDo.of(new OccupiedDaysFn()))
            .setCoder(StringUtf8Coder.of());
    PCollectionView<List<String>> occupiedDays = occupied.apply("AsSideInput", View.asList());
    PCollectionTuple split =
        rows.apply(
            "ByOccupiedDay",
            ParDo.of(new SplitFn(occupiedDays))
                .withSideInputs(occupiedDays)
                .withOutputTags(FRESH, TupleTagList.of(TO_CHECK)));
    PCollection<KV<String, Row>> toCheck =
        split.get(TO_CHECK).setCoder(KvCoder.of(StringUtf8Coder.of(), rows.getCoder()));

    org.apache.avro.Schema ids = idsOnly(avroSchema);
    PCollection<KV<String, Boolean>> held =
        occupied
            .apply(
                "FilesOfDay",
                MapElements.into(TypeDescriptors.strings())
                    .via(day -> Partitions.join(tableDirectory, day, "*.parquet")))
            .apply(FileIO.matchAll().withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
            .apply(FileIO.readMatches())
            .apply(
                "ReadEventIds",
                ParquetIO.readFiles(ids)
                    .withProjection(ids, ids)
                    // ParquetIO sets the projection but reads into the file's whole schema, which
                    // fails on its required columns left out; read into the projection instead.
                    .withConfiguration(readInto(ids)))
            .apply("IdOfHeldRow", ParDo.of(new HeldIdFn()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), BooleanCoder.of()));

    PCollection<Row> notHeld =
        KeyedPCollectionTuple.of(ROWS, toCheck)
            .and(HELD, held)
            .apply("JoinWithHeldIds", CoGroupByKey.create())
            .apply("KeepRowsNotHeld", ParDo.of(new KeepNotHeldFn()))
            .setRowSchema(schema);
    return PCollectionList.of(split.get(FRESH).setRowSchema(schema))
        .and(notHeld)
        .apply("AllRowsToWrite", Flatten.pCollections())
        .setRowSchema(schema);
  }

  /** The {@code dt=…} partitions of a table that hold a Parquet file when the run starts. */
  private static final class OccupiedDaysFn extends DoFn<String, String> {
    @ProcessElement
    public void process(@Element String table, OutputReceiver<String> out) throws IOException {
      Set<String> days = new TreeSet<>();
      MatchResult match =
          FileSystems.match(Partitions.join(table, "dt=*", "*.parquet"), EmptyMatchTreatment.ALLOW);
      for (MatchResult.Metadata file : match.metadata()) {
        days.add(file.resourceId().getCurrentDirectory().getFilename());
      }
      days.forEach(out::output);
    }
  }

  private static org.apache.avro.Schema idsOnly(org.apache.avro.Schema full) {
    List<org.apache.avro.Schema.Field> fields =
        List.of(
            new org.apache.avro.Schema.Field(
                full.getField(DeclaredSchema.EVENT_ID), full.getField(DeclaredSchema.EVENT_ID).schema()),
            new org.apache.avro.Schema.Field(
                full.getField(DeclaredSchema.EVENT_TIME),
                full.getField(DeclaredSchema.EVENT_TIME).schema()));
    return org.apache.avro.Schema.createRecord(
        full.getName(), full.getDoc(), full.getNamespace(), false, fields);
  }

  private static Configuration readInto(org.apache.avro.Schema schema) {
    Configuration conf = new Configuration(false);
    AvroReadSupport.setAvroReadSchema(conf, schema);
    return conf;
  }

  private static String key(String day, Object eventId) {
    return day + "/" + eventId;
  }

  private static final class SplitFn extends DoFn<Row, Row> {
    private final PCollectionView<List<String>> occupiedDays;
    private transient @Nullable Set<String> occupied;

    SplitFn(PCollectionView<List<String>> occupiedDays) {
      this.occupiedDays = occupiedDays;
    }

    @ProcessElement
    public void process(@Element Row row, MultiOutputReceiver out, ProcessContext context) {
      if (occupied == null) {
        occupied = Set.copyOf(context.sideInput(occupiedDays)); // the same in every bundle
      }
      String day = Partitions.daily(row.getDateTime(DeclaredSchema.EVENT_TIME).getMillis());
      if (occupied.contains(day)) {
        out.get(TO_CHECK).output(KV.of(key(day, row.getString(DeclaredSchema.EVENT_ID)), row));
      } else {
        out.get(FRESH).output(row);
      }
    }
  }

  private static final class HeldIdFn extends DoFn<GenericRecord, KV<String, Boolean>> {
    @ProcessElement
    public void process(@Element GenericRecord held, OutputReceiver<KV<String, Boolean>> out) {
      // Read with Avro's generic model and no logical-type conversions: timestamp-millis is a long.
      long millis = (Long) held.get(DeclaredSchema.EVENT_TIME);
      out.output(KV.of(key(Partitions.daily(millis), held.get(DeclaredSchema.EVENT_ID)), true));
    }
  }

  private static final class KeepNotHeldFn extends DoFn<KV<String, CoGbkResult>, Row> {
    private final Counter writtenBefore = RailyardMetrics.counter(WRITTEN_BEFORE);

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> joined, OutputReceiver<Row> out) {
      boolean held = joined.getValue().getAll(HELD).iterator().hasNext();
      for (Row row : joined.getValue().getAll(ROWS)) {
        if (held) {
          writtenBefore.inc();
        } else {
          out.output(row);
        }
      }
    }
  }
}
