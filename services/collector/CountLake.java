// Counts the files and records of a lake folder (the collector benchmark checks every acknowledged event is there).
// java -cp target/railyard.jar services/collector/CountLake.java <lake>
import java.nio.file.*;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.*;
public class CountLake {
  public static void main(String[] a) throws Exception {
    long files = 0, records = 0;
    try (var s = Files.walk(Path.of(a[0]))) {
      for (Path p : (Iterable<Path>) s.filter(x -> x.toString().endsWith(".avro"))::iterator) {
        files++;
        try (var r = new DataFileReader<GenericRecord>(p.toFile(), new GenericDatumReader<>())) {
          while (r.hasNext()) { r.next(); records++; }
        }
      }
    }
    System.out.println("files=" + files + " records=" + records);
  }
}
