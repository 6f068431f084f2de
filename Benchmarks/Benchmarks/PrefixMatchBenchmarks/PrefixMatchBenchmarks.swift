import Benchmark

let benchmarks: @Sendable () -> Void = {
    Benchmark("smoke") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(1) }
    }
}
