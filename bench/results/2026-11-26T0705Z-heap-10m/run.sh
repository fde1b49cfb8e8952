#!/bin/bash
# Peak heap after GC: Flink batch, 1M keys, 1M vs 10M events (one run each), niced under a shared machine.
cd /work/main
J="nice -n 19 java -Xmx8g --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.base/java.util=ALL-UNNAMED --add-opens java.base/java.lang.invoke=ALL-UNNAMED -cp /tmp/heap10m/classes:$(cat /tmp/heap10m/cp.txt)"
for n in 1000000 10000000; do
  date -u +%FT%TZ
  $J railyard.bench.GenerateWorkload --spec=bench/specs/many-keys.yaml --events=$n --lake=/tmp/heap10m/lake-$n >/dev/null 2>>/tmp/heap10m/err.log
  $J railyard.bench.BenchRun --spec=bench/specs/many-keys.yaml --lake=/tmp/heap10m/lake-$n --mode=batch --runner=FlinkRunner --parallelism=2 --case=flink-batch-many-$n 2>>/tmp/heap10m/err.log | grep BENCH-RESULT
  $J railyard.bench.PlainJavaLimit --spec=bench/specs/many-keys.yaml --lake=/tmp/heap10m/lake-$n --case=limit-batch-many-$n 2>>/tmp/heap10m/err.log | grep BENCH-RESULT
done
date -u +%FT%TZ
echo finished
