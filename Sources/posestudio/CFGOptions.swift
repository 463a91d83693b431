import ArgumentParser
import PoseEngine

/// `--cfg`, `--cfg-combined` and `--cfg-face`: Face0's 3-way CFG weights, and `--cfg-from`, the
/// steps they act on; shared by the commands that render from settings and by the judged benches.
struct CFGOptions: ParsableArguments {
    @Option(help: "Face0 CFG scale w, 0 to 50 (1: no classifier-free guidance; default \(SettingsOptions.defaults.cfg.scale)).") var cfg: Float?
    @Option(name: .customLong("cfg-combined"),
            help: "Face0 CFG c: share of the joint text+face prediction, 0 to 1 (1: standard CFG; default \(SettingsOptions.defaults.cfg.combined)).")
    var cfgCombined: Float?
    @Option(name: .customLong("cfg-face"), help: "Face0 CFG a: face share against text in the separate part, 0 to 1 (default \(SettingsOptions.defaults.cfg.face)).")
    var cfgFace: Float?
    @Option(name: .customLong("cfg-from"), help: ArgumentHelp(
        "Timestep at and below which the CFG weights act; noisier steps run the text and face prediction alone (1000, the default: every step).",
        discussion: "850 skips CFG on the three noisiest of 20 steps: heads come out nearer the asked x, y and scale, "
            + "and yaw sweeps rank less orderly (docs/guidance.md, \"CFG on the quieter steps only\")."))
    var cfgFrom: Int?

    /// `settings` with the CFG options given on the command line in place.
    func apply(to settings: inout StudioSettings) {
        if let cfg { settings.cfg.scale = cfg }
        if let cfgCombined { settings.cfg.combined = cfgCombined }
        if let cfgFace { settings.cfg.face = cfgFace }
        if let cfgFrom { settings.cfgFrom = cfgFrom }
    }
}
