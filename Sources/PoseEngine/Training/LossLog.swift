import AtomicFiles
import Foundation

/// The per-step loss history of a run, kept as CSV (step, each loss, lr,
/// grad_norm, seconds) so it can be read by anything and survives resumes.
public struct LossLog: Sendable {
    public struct Row: Sendable {
        public var step: Int
        public var values: [String: Double]
    }

    public let path: URL
    public private(set) var columns: [String]
    /// The column progress reports and the plot follow: the first the run logs.
    public let mainColumn: String
    public private(set) var rows: [Row] = []
    /// Columns the run logs that the log it resumed did not have: earlier rows leave them empty.
    public private(set) var columnsAddedOnResume: [String] = []
    /// Columns of the resumed log the run no longer writes: kept for the earlier rows.
    public private(set) var columnsNoLongerLogged: [String] = []

    /// Opens the log of a run resumed at `resumeStep`, keeping only rows up to it (a resumed
    /// run repeats the steps after its last checkpoint); a fresh run (nil) starts an empty
    /// log whatever file is there. A log written by another version of the trainer keeps
    /// every column, old and new, so neither its history nor the new values are lost.
    public init(path: URL, columns: [String], resumeStep: Int?) {
        self.path = path
        self.columns = columns
        mainColumn = columns.first ?? "loss"
        guard let resumeStep, let text = try? String(contentsOf: path, encoding: .utf8) else { return }
        let lines = text.split(separator: "\n").map(String.init)
        guard let header = lines.first?.split(separator: ",").map(String.init), header.first == "step" else { return }
        let previous = Array(header.dropFirst())
        columnsAddedOnResume = columns.filter { !previous.contains($0) }
        columnsNoLongerLogged = previous.filter { !columns.contains($0) }
        self.columns = columns + columnsNoLongerLogged
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == header.count, let step = Int(fields[0]), step <= resumeStep else { continue }
            var values: [String: Double] = [:]
            for (column, field) in zip(previous, fields.dropFirst()) { values[column] = Double(field) }
            rows.append(Row(step: step, values: values))
        }
    }

    public mutating func append(step: Int, values: [String: Double]) {
        rows.append(Row(step: step, values: values))
    }

    /// Rewrites the whole file atomically (small: one line per step).
    public func save() throws {
        var text = "step," + columns.joined(separator: ",") + "\n"
        for row in rows {
            text += "\(row.step)," + columns.map { row.values[$0].map { String(format: "%.6g", $0) } ?? "" }.joined(separator: ",") + "\n"
        }
        let writer = try AtomicFileWriter(path: path.path)
        try writer.write(Array(text.utf8))
        try writer.commit()
    }

    public func series(_ column: String) -> [(step: Int, value: Double)] {
        rows.compactMap { row in row.values[column].map { (row.step, $0) } }
    }
}
