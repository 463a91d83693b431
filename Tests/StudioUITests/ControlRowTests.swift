import PoseEngine
import Testing
@testable import StudioUI

/// A control row shows its whole value, apart from the slider, and says when text is cut.
@Suite struct ControlRowTests {
    private func row(_ control: Control, _ settings: StudioSettings, width: Int = 60) -> String {
        ControlRow.segments(control, settings: settings, estimate: nil, selected: false, width: width).text
    }

    @Test func aTenDigitSeedIsShownWholeAndApartFromItsSlider() {
        var settings = StudioSettings()
        settings.seed = 4_294_967_295
        let line = row(.seed, settings)
        #expect(line.hasSuffix(" 4294967295"), "\(line)")
        #expect(TerminalCells.width(line) <= 60)
        settings.seed = 7
        #expect(TerminalCells.width(row(.seed, settings)) == TerminalCells.width(line), "the row keeps its width")
    }

    @Test func aCutPromptEndsInAnEllipsis() {
        var settings = StudioSettings()
        settings.prompt = String(repeating: "a painting of a person with red curly hair ", count: 3)
        let line = row(.prompt, settings)
        #expect(line.trimmingCharacters(in: .whitespaces).hasSuffix("…") && TerminalCells.width(line) <= 60, "\(line)")
        settings.prompt = "a sketch"
        #expect(!row(.prompt, settings).contains("…"))
    }

    @Test func thePushLimitRowSetsTheBoundAndSaysWhenThereIsNone() {
        var settings = StudioSettings()
        #expect(Control.pushLimit.formatted(settings) == "0.50")
        settings = Control.pushLimit.adjusted(settings, by: 2, coarse: false)
        #expect(settings.guidancePushLimit == 0.6 && settings.poseGuidance.pushLimit == 0.6)
        settings = Control.pushLimit.adjusted(settings, by: -10, coarse: true)
        #expect(settings.guidancePushLimit == 0 && Control.pushLimit.formatted(settings) == "none")
        settings.guidancePushLimit = nil  // a session saved before the bound
        #expect(Control.pushLimit.formatted(settings) == "none" && row(.pushLimit, settings).hasSuffix(" none"))
        settings = Control.pushLimit.setting(99, in: settings)
        #expect(settings.guidancePushLimit == StudioSettings.maximumGuidancePushLimit && settings.problems().isEmpty)
    }

    @Test func theCFGEarlyRowSetsTheNoisierStepsScaleAndSaysWhenEveryStepRunsInFull() {
        var settings = StudioSettings()
        #expect(Control.cfgEarly.formatted(settings) == "3.0")
        settings = Control.cfgEarly.adjusted(settings, by: 2, coarse: false)
        #expect(settings.cfgEarlyScale == 4 && settings.earlyCFG.scale == 4)
        settings.cfgFrom = 1000  // a session saved before the early scale
        #expect(Control.cfgEarly.formatted(settings) == "full" && row(.cfgEarly, settings).hasSuffix(" full"))
        settings = Control.cfgEarly.adjusted(settings, by: -1, coarse: true)
        #expect(settings.cfgFrom == StudioSettings().cfgFrom && settings.cfgEarlyScale == 5, "one coarse step down from w = 7.5")
    }
}
