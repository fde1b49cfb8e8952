package railyard.io.kafka;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * The offset ranges already landed, per hour partition and topic partition, as the lake's file
 * names say. An hour partition is listed once, when a record of it first comes by; what this
 * instance lands afterwards is added as it goes. Replays keep their receipt time (the record
 * timestamp), so a copy always falls in the hour partition of its original.
 */
final class LandedOffsets {
  /** Hour partitions kept in memory; one that falls out is listed again when needed. */
  private static final int HOURS_KEPT = 48;

  private final String rawDirectory;
  private final Map<String, Map<LandedFile, List<long[]>>> byHour =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<LandedFile, List<long[]>>> e) {
          return size() > HOURS_KEPT;
        }
      };

  LandedOffsets(String rawDirectory) {
    this.rawDirectory = rawDirectory;
  }

  boolean covers(LandedFile file, long offset) throws IOException {
    for (long[] range : ranges(file)) {
      if (range[0] <= offset && offset <= range[1]) {
        return true;
      }
    }
    return false;
  }

  void add(LandedFile file, long firstOffset, long lastOffset) throws IOException {
    ranges(file).add(new long[] {firstOffset, lastOffset});
  }

  private List<long[]> ranges(LandedFile file) throws IOException {
    Map<LandedFile, List<long[]>> hour = byHour.get(file.hourPartition());
    if (hour == null) {
      hour = new HashMap<>();
      byHour.put(file.hourPartition(), hour);
      listed(file.hourPartition(), hour);
    }
    return hour.computeIfAbsent(file, f -> new ArrayList<>());
  }

  private void listed(String hourPartition, Map<LandedFile, List<long[]>> hour) throws IOException {
    String pattern =
        LakeLandingFiles.directory(rawDirectory, hourPartition) + LandedFile.PREFIX + "*" + LandedFile.SUFFIX;
    MatchResult match = FileSystems.match(pattern, EmptyMatchTreatment.ALLOW);
    if (match.status() == MatchResult.Status.NOT_FOUND) {
      return;
    }
    for (MatchResult.Metadata metadata : match.metadata()) {
      String name = metadata.resourceId().getFilename();
      LandedFile.Parsed parsed = LandedFile.parse(hourPartition, name);
      if (parsed != null) {
        hour.computeIfAbsent(parsed.file(), f -> new ArrayList<>()).add(parsed.range());
      }
    }
  }
}
