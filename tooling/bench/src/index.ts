export { BenchCleanup } from "./cleanup.js";
export { countLines, countLinesContaining, lastLineTimestampMs, parseMinaTimestampMs, percentiles, perSecond, cpuPercent, splitLines, type Percentiles } from "./measure.js";
export { runPipeline, type PipelineRunOptions, type PipelineRunResult, type CpuBreakdown } from "./pipeline-bench.js";
export { buildWriterImage, WRITER_SCRIPT, WRITER_IMAGE_REPOSITORY } from "./writer-image.js";
export { writerCompose, deployWriters, type WriterStackOptions } from "./writer-stack.js";
export { renderTable } from "./table.js";
