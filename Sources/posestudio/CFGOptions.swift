import ArgumentParser
import PoseEngine

/// `--cfg`, `--cfg-combined` and `--cfg-face`: Face0's 3-way CFG weights, shared by the commands
/// that render from settings and by bench fidelity.
struct CFGOptions: ParsableArguments {
    @Option(help: "Face0 CFG scale w (1: no classifier-free guidance).") var cfg: Float?
    @Option(name: .customLong("cfg-combined"), help: "Face0 CFG c: share of the joint text+face prediction (1: standard CFG).")
    var cfgCombined: Float?
    @Option(name: .customLong("cfg-face"), help: "Face0 CFG a: face share against text in the separate part.")
    var cfgFace: Float?

    /// `weights` with the weights given on the command line in place.
    func apply(to weights: inout CFGWeights) {
        if let cfg { weights.scale = cfg }
        if let cfgCombined { weights.combined = cfgCombined }
        if let cfgFace { weights.face = cfgFace }
    }
}
