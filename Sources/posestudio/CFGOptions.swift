import ArgumentParser
import PoseEngine

/// `--cfg`, `--cfg-combined` and `--cfg-face`: Face0's 3-way CFG weights; `--cfg-from`, the steps
/// they act on, and `--cfg-early`, the scale of the noisier ones. Shared by the commands that render
/// from settings and by the judged benches.
struct CFGOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Face0 CFG scale w, 0 to 50 (1: no classifier-free guidance; default \(SettingsOptions.defaults.cfg.scale)).") var cfg: Float?
    @Option(name: .customLong("cfg-combined"), parsing: .unconditional,
            help: "Face0 CFG c: share of the joint text+face prediction, 0 to 1 (1: standard CFG; default \(SettingsOptions.defaults.cfg.combined)).")
    var cfgCombined: Float?
    @Option(name: .customLong("cfg-face"), parsing: .unconditional, help: "Face0 CFG a: face share against text in the separate part, 0 to 1 (default \(SettingsOptions.defaults.cfg.face)).")
    var cfgFace: Float?
    @Option(name: .customLong("cfg-from"), parsing: .unconditional, help: ArgumentHelp(
        "Timestep at and below which the CFG weights act in full (default \(SettingsOptions.defaults.cfgFrom); \(StudioSettings.cfgFromEveryStep): every step in full); noisier steps run --cfg-early.",
        discussion: "The noisier steps set where the head is, how large and which way it turns; full CFG there turns heads "
            + "to their right and makes them large (docs/guidance.md, \"Gentler CFG on the noisier steps\")."))
    var cfgFrom: Int?
    @Option(name: .customLong("cfg-early"), parsing: .unconditional, help: ArgumentHelp(
        "CFG scale of the steps above --cfg-from, on the text and face prediction, at most --cfg (default \(SettingsOptions.defaults.cfgEarlyScale); 1: that prediction alone).",
        discussion: "Sessions saved before this option ran 1 above their --cfg-from, and full CFG on every step without one; "
            + "given for such a session without --cfg-from, it also takes new settings' --cfg-from."))
    var cfgEarly: Float?

    /// `settings` with the CFG options given on the command line in place. `--cfg-early` on a
    /// session that runs CFG in full on every step moves it to new settings' `--cfg-from`, as the
    /// studio's row does; a `--cfg-from` given as well wins.
    func apply(to settings: inout StudioSettings) {
        if let cfg { settings.cfg.scale = cfg }
        if let cfgCombined { settings.cfg.combined = cfgCombined }
        if let cfgFace { settings.cfg.face = cfgFace }
        if let cfgEarly { settings = settings.withCFGEarlyScale(cfgEarly) }
        if let cfgFrom { settings.cfgFrom = cfgFrom }
    }
}
