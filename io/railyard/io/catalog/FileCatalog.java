package railyard.io.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import railyard.schema.DeclaredSchema;

/**
 * The warehouse's catalog, kept next to it in {@code <warehouse>/_catalog/<table>/}: one file per
 * schema version ({@code schema-v<N>.json}) and one per Parquet file a run wrote ({@code
 * files/dt=…/<file name>.json}, with its partition, rows and event-time range).
 *
 * <p>Every catalog file is written once, whole, under a name no other writer uses (see {@link
 * WriteOnceFiles}), so any number of batch and streaming runs may write one catalog at once
 * without locks: two runs registering the same version race to create the same file, and the
 * loser checks that what is there is what it would have written. Readers add entries up.
 */
public final class FileCatalog {
  public static final String DIRECTORY = "_catalog";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private static final java.util.regex.Pattern URL_LIKE =
      java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://");

  private final Path warehouse;

  private FileCatalog(Path warehouse) {
    this.warehouse = warehouse;
  }

  /** The catalog of the warehouse at {@code warehouseRoot}, a local or mounted directory. */
  public static FileCatalog at(String warehouseRoot) {
    if (!supports(warehouseRoot)) {
      throw new IllegalArgumentException(
          "the file catalog needs a local or mounted warehouse directory, not " + warehouseRoot);
    }
    return new FileCatalog(Path.of(warehouseRoot).toAbsolutePath().normalize());
  }

  /**
   * Whether {@code warehouseRoot} is a local path the file catalog can keep; a {@code gs://} or
   * {@code s3://} warehouse is not catalogued here.
   */
  public static boolean supports(String warehouseRoot) {
    return warehouseRoot != null && !URL_LIKE.matcher(warehouseRoot).lookingAt();
  }

  public Path warehouse() {
    return warehouse;
  }

  /** The directory holding {@code table}'s Parquet partitions. */
  public Path tableDirectory(String table) {
    return warehouse.resolve(table);
  }

  /** Fails, naming the field, if {@code schema} cannot follow the versions catalogued for it. */
  public void checkCompatible(DeclaredSchema schema) {
    SchemaCompatibility.check(schema, versions(schema.table()));
  }

  /**
   * Checks {@code schema} as {@link #checkCompatible} does, then records each of its versions the
   * catalog does not hold yet, as declared by {@code pipeline}'s spec {@code specFile}.
   */
  public void register(DeclaredSchema schema, String pipeline, String specFile) {
    checkCompatible(schema);
    String now = Instant.now().toString();
    for (int v = 1; v <= schema.version(); v++) {
      SchemaVersion version =
          new SchemaVersion(v, Column.of(schema.fieldsAt(v)), pipeline, specFile, now);
      Path file = tableCatalog(schema.table()).resolve("schema-v" + v + ".json");
      try {
        if (!WriteOnceFiles.create(file, JSON.writeValueAsBytes(version))) {
          checkCompatible(schema); // another run wrote it first: it must agree with ours
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the catalog entry " + file, e);
      }
    }
  }

  /** Records one Parquet file of {@code table}; recording the same file again changes nothing. */
  public void record(String table, FileEntry entry) {
    // Mirrors the file's own path, so files of the same name in two partitions stay apart.
    Path file = tableCatalog(table).resolve("files").resolve(entry.file() + ".json");
    try {
      WriteOnceFiles.create(file, JSON.writeValueAsBytes(entry));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the catalog entry " + file, e);
    }
  }

  /** The catalogued tables, by name. */
  public List<String> tables() {
    Path root = warehouse.resolve(DIRECTORY);
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs.filter(Files::isDirectory)
          .map(d -> d.getFileName().toString())
          .filter(name -> !name.startsWith("."))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the catalog " + root, e);
    }
  }

  /** Every recorded version of {@code table}'s schema, oldest first. */
  public List<SchemaVersion> versions(String table) {
    return readAll(tableCatalog(table), "schema-v", SchemaVersion.class, 1).stream()
        .sorted(Comparator.comparingInt(SchemaVersion::version))
        .toList();
  }

  /** Every recorded file of {@code table}, by path. */
  public List<FileEntry> files(String table) {
    return readAll(tableCatalog(table).resolve("files"), "", FileEntry.class, Integer.MAX_VALUE).stream()
        .sorted(Comparator.comparing(FileEntry::file))
        .toList();
  }

  /** {@code table}'s versions, partitions, rows and newest event time. */
  public TableDescription describe(String table) {
    List<SchemaVersion> versions = versions(table);
    if (versions.isEmpty()) {
      throw new IllegalArgumentException(
          "no table '" + table + "' in the catalog of " + warehouse + "; tables: " + tables());
    }
    return TableDescription.of(table, tableDirectory(table), versions, files(table));
  }

  private Path tableCatalog(String table) {
    return warehouse.resolve(DIRECTORY).resolve(table);
  }

  private static <T> List<T> readAll(Path directory, String prefix, Class<T> type, int depth) {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    List<T> entries = new ArrayList<>();
    try {
      Files.walkFileTree(
          directory,
          EnumSet.noneOf(FileVisitOption.class),
          depth,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
                throws IOException {
              String name = file.getFileName().toString();
              if (attributes.isRegularFile()
                  && name.startsWith(prefix)
                  && name.endsWith(".json")
                  && !name.startsWith(".")) {
                entries.add(JSON.readValue(file.toFile(), type));
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
              // A concurrent writer's hidden temporary file can go between the listing and here.
              if (e instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE;
              }
              throw e;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the catalog in " + directory, e);
    }
    return entries;
  }
}
