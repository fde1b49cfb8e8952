package railyard.pipelines;

import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Test;

public class DebugRunTest {
  @Test
  public void run() throws Exception {
    String[] args = (System.getProperty("dbg.args") + ",--lake=/tmp/dbg/lake,--warehouse=/tmp/dbg/wh,--serving=/tmp/dbg/serving.db").split(",");
    RailyardOptions options = PipelineOptionsFactory.fromArgs(args).as(RailyardOptions.class);
    Railyard.run(Railyard.loadSpec(options), options, args).print(System.out);
  }
}
