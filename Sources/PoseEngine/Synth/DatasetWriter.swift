import AtomicFiles
import Foundation

/// Writes samples 0..<count of a dataset into a folder: one image per sample (through a caller
/// supplied image writer, so this engine needs no image library) and labels.jsonl, one JSON
/// object per image in sample order. The labels file is replaced atomically at the end.
public struct DatasetWriter: Sendable {
    public static let labelsFileName = "labels.jsonl"

    public let dataset: SynthDataset
    public let folder: URL
    /// Samples rendered in parallel before they are written.
    public var chunk = 128
    /// Threads that render and encode; the output does not depend on it.
    public var threads = ProcessInfo.processInfo.activeProcessorCount

    public init(dataset: SynthDataset, folder: URL) {
        self.dataset = dataset
        self.folder = folder
    }

    /// How long rendering and writing took.
    public struct Report: Sendable {
        public var count: Int
        public var renderSeconds: Double
        public var writeSeconds: Double

        public var rendersPerSecond: Double { renderSeconds > 0 ? Double(count) / renderSeconds : 0 }
    }

    /// The image file name of sample `index`: zero-padded so names sort in sample order.
    public static func imageFileName(index: Int, count: Int) -> String {
        let digits = max(6, String(max(0, count - 1)).count)
        let number = String(index)
        return String(repeating: "0", count: max(0, digits - number.count)) + number + ".png"
    }

    /// Writes the dataset. `writeImage(image, path)` stores one picture and is called from
    /// several threads at once (for different files); `progress(done)` is called after each chunk.
    public func write(count: Int,
                      writeImage: @escaping @Sendable (SynthImage, String) throws -> Void,
                      progress: (Int) -> Void = { _ in }) throws(DatasetWriterError) -> Report {
        try createFolder()
        var report = Report(count: count, renderSeconds: 0, writeSeconds: 0)
        var lines: [String] = []
        lines.reserveCapacity(count)
        var start = 0
        while start < count {
            let end = min(count, start + chunk)
            let clock = ContinuousClock()
            let began = clock.now
            let samples = dataset.samples(start..<end, threads: threads)
            let rendered = clock.now
            let names = samples.map { Self.imageFileName(index: $0.spec.index, count: count) }
            try writeImages(samples, names: names, writeImage: writeImage)
            for (sample, name) in zip(samples, names) {
                lines.append(Self.jsonLine(SynthLabel(file: name, sample: sample.spec)))
            }
            report.renderSeconds += Self.seconds(rendered - began)
            report.writeSeconds += Self.seconds(clock.now - rendered)
            start = end
            progress(start)
        }
        try writeLabels(lines)
        return report
    }

    /// One label as a single line of JSON with sorted keys (stable bytes for a seed).
    public static func jsonLine(_ label: SynthLabel) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(label), let text = String(data: data, encoding: .utf8) else {
            preconditionFailure("labels hold only finite numbers and strings, which always encode")
        }
        return text
    }

    /// Encoding images is as slow as rendering them: it runs on all threads too.
    private func writeImages(_ samples: [SynthSample], names: [String],
                             writeImage: @escaping @Sendable (SynthImage, String) throws -> Void) throws(DatasetWriterError) {
        let failures = FailureLog()
        let folder = self.folder
        let workers = max(1, min(threads, samples.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in stride(from: worker, to: samples.count, by: workers) {
                let path = folder.appendingPathComponent(names[index]).path
                do {
                    try writeImage(samples[index].image, path)
                } catch {
                    failures.record(index: index, path: path, reason: "\(error)")
                }
            }
        }
        if let failure = failures.first {
            throw .imageWriteFailed(path: failure.path, reason: failure.reason)
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (whole, fraction) = duration.components
        return Double(whole) + Double(fraction) * 1e-18
    }

    private func createFolder() throws(DatasetWriterError) {
        do {
            try FolderMaker.make(folder)
        } catch {
            throw .cannotCreateFolder(path: folder.path, reason: error.reason)
        }
    }

    private func writeLabels(_ lines: [String]) throws(DatasetWriterError) {
        let url = folder.appendingPathComponent(Self.labelsFileName)
        let text = lines.map { $0 + "\n" }.joined()
        do {
            try Data(text.utf8).write(to: url, options: .atomic)
        } catch {
            throw .labelsWriteFailed(path: url.path, reason: SystemReason.of(error))
        }
    }
}

/// Collects write failures from several threads and reports the one of the lowest sample index,
/// so the message does not depend on thread timing.
private final class FailureLog: @unchecked Sendable {
    private let lock = NSLock()
    private var earliest: (index: Int, path: String, reason: String)?

    func record(index: Int, path: String, reason: String) {
        lock.withLock {
            if earliest.map({ index < $0.index }) ?? true { earliest = (index, path, reason) }
        }
    }

    var first: (path: String, reason: String)? {
        lock.withLock { earliest.map { ($0.path, $0.reason) } }
    }
}
